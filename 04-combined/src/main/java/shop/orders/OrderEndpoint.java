package shop.orders;

import jakarta.inject.Inject;
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
 * produced the step. {@code ?after=OFFSET} resumes after the last update the page saw.
 */
@ServerEndpoint("/orders")
public class OrderEndpoint {

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
        Feed feed = new Feed(session, who.customer(), Math.max(-1, after));
        session.getUserProperties().put("feed", feed);
        session.getUserProperties().put("flood", new FloodGuard(FRAMES_PER_SECOND));
        feed.send(Json.object().add("type", "welcome").add("customer", who.customer())
                .add("resumedAfter", feed.resumeAfter()).build().toString());
        progress.join(feed);
        if (revocations.revoked(who)) { // signed out between the handshake and now: the revocation missed this socket
            feed.close(CloseReason.CloseCodes.VIOLATED_POLICY, Revocations.SIGNED_OUT);
        }
    }

    // tag::on-message[]
    @OnMessage(maxMessageSize = MAX_FRAME)
    public void onMessage(String text, Session session) {
        Feed feed = (Feed) session.getUserProperties().get("feed");
        String correlationId = null;
        try {
            if (!((FloodGuard) session.getUserProperties().get("flood")).allow(System.currentTimeMillis())) {
                throw new ClientFrame.Refused("too-many-frames", "At most " + FRAMES_PER_SECOND + " frames per second.");
            }
            ClientFrame frame = ClientFrame.parse(text);
            correlationId = frame.get("correlationId");
            switch (frame.type()) {
                case "place" -> place(feed, frame);
                case "answer" -> answer(feed, frame);
                default -> feed.send(Json.object().add("type", "pong").build().toString());
            }
        } catch (ClientFrame.Refused refused) {
            feed.send(error(refused.code(), refused.getMessage(), correlationId));
        } catch (ConfirmedPublisher.BrokerUnavailable e) {
            feed.send(error("broker-unavailable", "The order system is unreachable; nothing was started. Try again shortly.",
                    correlationId));
        }
    }

    // tag::place[]
    private void place(Feed feed, ClientFrame frame) throws ClientFrame.Refused, ConfirmedPublisher.BrokerUnavailable {
        // The order id is the page's, made once per click: a resend of the same click is the same order.
        Command charge = new Command("charge", frame.get("orderId"), feed.customer(), frame.get("item"),
                frame.get("payment"), frame.get("correlationId"), null);
        placements.placeOnce(charge, commands::send); // publishes it, and waits for the confirm, once per order
        feed.send(Json.object().add("type", "accepted").add("orderId", charge.orderId())
                .add("correlationId", frame.get("correlationId")).build().toString());
    }
    // end::place[]

    private void answer(Feed feed, ClientFrame frame) throws ClientFrame.Refused, ConfirmedPublisher.BrokerUnavailable {
        String orderId = frame.get("orderId");
        switch (views.claimAnswer(orderId, feed.customer())) {
            case NO_SUCH_QUESTION -> throw new ClientFrame.Refused("no-such-question",
                    "You have no open question for order " + orderId + ".");
            case ALREADY_ANSWERED -> throw new ClientFrame.Refused("already-answered",
                    "Order " + orderId + " has been answered already; the first answer stands.");
            case CLAIMED -> { }
        }
        OrderViews.View order = views.find(orderId, feed.customer()).orElseThrow();
        try {
            // The correlation id of the answer is the one of the order: one id for the whole workflow.
            commands.send(new Command("answer", orderId, feed.customer(), order.item(), "", order.correlationId(),
                    frame.get("choice")));
        } catch (ConfirmedPublisher.BrokerUnavailable e) {
            views.releaseAnswer(orderId);
            throw e;
        }
        feed.send(Json.object().add("type", "answered").add("orderId", orderId).add("choice", frame.get("choice"))
                .add("correlationId", order.correlationId()).build().toString());
    }
    // end::on-message[]

    /** The channel speaks JSON text only. Without this handler the container silently drops binary frames. */
    @OnMessage(maxMessageSize = MAX_FRAME)
    public void binary(java.nio.ByteBuffer data, Session session) {
        ((Feed) session.getUserProperties().get("feed")).close(CloseReason.CloseCodes.CANNOT_ACCEPT,
                "The order channel accepts JSON text frames only.");
    }

    static String error(String code, String detail, String correlationId) {
        var frame = Json.object().add("type", "error").add("code", code).add("detail", detail);
        if (correlationId != null) {
            frame.add("correlationId", correlationId);
        }
        return frame.build().toString();
    }

    @OnClose
    public void onClose(Session session) {
        Feed feed = (Feed) session.getUserProperties().get("feed");
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
