package shop.orders;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The shop's HTTP API lives under {@code /api}; the customer's live channel is the WebSocket at {@code /orders}. */
@ApplicationPath("/api")
public class ShopApplication extends Application {
}
