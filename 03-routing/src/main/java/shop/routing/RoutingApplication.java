package shop.routing;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The module's HTTP API lives under {@code /api}; the live routing page is at {@code /}. */
@ApplicationPath("/api")
public class RoutingApplication extends Application {
}
