package shop.chat;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The chat's HTTP API lives under {@code /api}; the WebSocket is at {@code /chat/{room}}. */
@ApplicationPath("/api")
public class ChatApplication extends Application {
}
