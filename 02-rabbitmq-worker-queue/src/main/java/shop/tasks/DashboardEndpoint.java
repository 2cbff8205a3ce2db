package shop.tasks;

import jakarta.inject.Inject;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/** The live dashboard's WebSocket: read-only; the server pushes and ignores what the browser says. */
@ServerEndpoint(DashboardEndpoint.PATH)
public class DashboardEndpoint {

    /** The WebSocket's path, which {@link ContainerErrors} leaves to the WebSocket container. */
    static final String PATH = "/dashboard";

    @Inject
    Dashboard dashboard;

    @OnOpen
    public void open(Session session) {
        dashboard.add(session);
    }

    @OnMessage(maxMessageSize = 1024)
    public void ignore(String text) {
        // Nothing to say to a dashboard; the size limit keeps a chatty client cheap.
    }

    @OnClose
    public void close(Session session) {
        dashboard.remove(session);
    }
}
