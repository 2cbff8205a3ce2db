package shop.routing;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/**
 * The module's HTTP API lives under {@code /api}; the live routing page is at {@code /}. {@code OPTIONS} answers with
 * the allowed methods only: Jersey's WADL, its default, named the framework's exact version and echoed the requested
 * path into XML (found by {@code FuzzIT}).
 */
@ApplicationPath("/api")
public class RoutingApplication extends Application {

    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", true);
    }
}
