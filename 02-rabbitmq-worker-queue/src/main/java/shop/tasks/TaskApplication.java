package shop.tasks;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The task API lives under {@code /api}; the live dashboard is the WebSocket at {@code /dashboard}. */
@ApplicationPath("/api")
public class TaskApplication extends Application {
}
