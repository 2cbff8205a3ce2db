package shop.orders;

import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.util.List;
import java.util.logging.Logger;

/**
 * The customer's live channel. The page places orders and answers questions through it; the
 * instance pushes every step of the customer's orders back through it, whichever instance or service
 * produced the step. {@code ?after=OFFSET} resumes after the last update the page saw. One instance per open
 * connection, for its whole life: the container makes one for each handshake.
 */
@ServerEndpoint("/orders")
public class OrderEndpoint {

    /**
     * One provider for the class, looked up once: each static {@code jakarta.json.Json} method looks the provider up
     * again, a ServiceLoader scan of the class path per call. Every class of this module that writes or reads JSON
     * holds such a constant.
     */
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Logger LOG = Logger.getLogger(OrderEndpoint.class.getName());
    static final int MAX_FRAME = 4096;
    static final int FRAMES_PER_SECOND = 10;

    @Inject
    ProgressFeed progress;
    @Inject
    OrderViews views;
    @Inject
    OrderCommands commands;
    @Inject
    Placements placements;
    @Inject
    Revocations revocations;

    // This connection's state, in fields: the instance belongs to this one connection.
    private Feed feed;
    private FloodGuard flood;

    @OnOpen
    public void open(Session session) {
        if (!(session.getUserPrincipal() instanceof SignIn who)) {
            // HandshakeGuard sets it; the container once let a handshake past its filter (ContainerDefects in testkit)
            close(session, "Not signed in.");
            return;
        }
        long after;
        try {
            after = Long.parseLong(session.getRequestParameterMap().getOrDefault("after", List.of("-1")).get(0));
        } catch (NumberFormatException e) {
            close(session, "after must be a stream offset, or absent");
            return;
        }
        session.setMaxIdleTimeout(120_000); // the page pings every 30 s; a silent peer is dropped
        feed = new Feed(session, who.customer(), Math.max(-1, after));
        flood = new FloodGuard(FRAMES_PER_SECOND);
        feed.send(JSON.createObjectBuilder().add("type", "welcome").add("customer", who.customer())
                .add("resumedAfter", feed.resumeAfter()).build().toString());
        progress.join(feed);
        if (revocations.revoked(who)) { // signed out between the handshake and now: the revocation missed this socket
            feed.close(CloseReason.CloseCodes.VIOLATED_POLICY, Revocations.SIGNED_OUT);
        }
    }

    // tag::on-message[]
    @OnMessage(maxMessageSize = MAX_FRAME)
    public void onMessage(String text) {
        if (!flood.allow(System.currentTimeMillis())) {
            feed.send(error("too-many-frames", "At most " + FRAMES_PER_SECOND + " frames per second.", null));
            return;
        }
        switch (ClientFrame.parse(text)) {
            case ClientFrame.Invalid invalid -> feed.send(error(invalid.code(), invalid.detail(), null));
            case ClientFrame.Place place -> feed.send(place(place));
            case ClientFrame.Answer answer -> feed.send(answer(answer));
            case ClientFrame.Ping ping -> feed.send(JSON.createObjectBuilder().add("type", "pong").build().toString());
        }
    }

    /** What the page hears for a place frame: accepted, or an error. */
    // tag::place[]
    private String place(ClientFrame.Place frame) {
        // The order id is the page's, made once per click: a resend of the same click is the same order.
        Command charge = new Command("charge", frame.orderId(), feed.customer(), frame.item(), frame.payment(),
                frame.correlationId(), null);
        try {
            // publishes it, and waits for the confirm, once per order
            if (placements.placeOnce(charge, commands::send) == Placements.Claim.CONFLICT) {
                return error("order-id-conflict", "The order id " + frame.orderId()
                        + " belongs to another order; a new order needs a new id. Nothing was started.", frame.correlationId());
            }
        } catch (ConfirmedPublisher.BrokerUnavailable e) {
            return brokerUnavailable(frame.correlationId());
        }
        return JSON.createObjectBuilder().add("type", "accepted").add("orderId", charge.orderId())
                .add("correlationId", frame.correlationId()).build().toString();
    }
    // end::place[]

    /** What the page hears for an answer frame: answered, or an error. */
    private String answer(ClientFrame.Answer frame) {
        String orderId = frame.orderId();
        switch (views.claimAnswer(orderId, feed.customer())) {
            case NO_SUCH_QUESTION -> {
                return error("no-such-question", "You have no open question for order " + orderId + ".", frame.correlationId());
            }
            case ALREADY_ANSWERED -> {
                return error("already-answered", "Order " + orderId + " has been answered already; the first answer stands.",
                        frame.correlationId());
            }
            case CLAIMED -> { }
        }
        OrderViews.View order = views.find(orderId, feed.customer()).orElseThrow();
        try {
            // The correlation id of the answer is the one of the order: one id for the whole workflow.
            commands.send(new Command("answer", orderId, feed.customer(), order.item(), "", order.correlationId(),
                    frame.choice()));
        } catch (ConfirmedPublisher.BrokerUnavailable e) {
            views.releaseAnswer(orderId);
            return brokerUnavailable(frame.correlationId());
        }
        return JSON.createObjectBuilder().add("type", "answered").add("orderId", orderId).add("choice", frame.choice())
                .add("correlationId", order.correlationId()).build().toString();
    }
    // end::on-message[]

    /** The channel speaks JSON text only. Without this handler the container silently drops binary frames. */
    @OnMessage(maxMessageSize = MAX_FRAME)
    public void binary(java.nio.ByteBuffer data) {
        feed.close(CloseReason.CloseCodes.CANNOT_ACCEPT, "The order channel accepts JSON text frames only.");
    }

    private static String brokerUnavailable(String correlationId) {
        return error("broker-unavailable", "The order system is unreachable; nothing was started. Try again shortly.",
                correlationId);
    }

    static String error(String code, String detail, String correlationId) {
        var frame = JSON.createObjectBuilder().add("type", "error").add("code", code).add("detail", detail);
        if (correlationId != null) {
            frame.add("correlationId", correlationId);
        }
        return frame.build().toString();
    }

    @OnClose
    public void onClose() {
        if (feed != null) {
            progress.leave(feed);
        }
    }

    @OnError
    public void onError(Session session, Throwable error) {
        LOG.fine("order channel error: " + error);
    }

    private static void close(Session session, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, reason));
        } catch (java.io.IOException e) {
            LOG.fine("closing: " + e);
        }
    }
}
