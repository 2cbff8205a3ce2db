package shop.orders;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Logger;

/**
 * One customer's WebSocket: every step of their orders, in stream order, each once. What the page
 * missed and what happens live both come from the instance's one stream reader (see
 * {@link ProgressFeed#join}); duplicates in the stream never get here, {@link OrderViews} filters
 * them the same way on every instance.
 */
public final class Feed {

    private static final Logger LOG = Logger.getLogger(Feed.class.getName());
    /** A page this far behind is closed (1008); it reconnects and resumes where it was. */
    static final int MAX_QUEUED_FRAMES = 1_000;

    private final Session session;
    private final String customer;
    /** The stream offset of the last update pushed, or where the page said it resumes. */
    private long lastOffset;
    private final Deque<String> outgoing = new ArrayDeque<>();
    private boolean sending;

    Feed(Session session, String customer, long resumeAfter) {
        this.session = session;
        this.customer = customer;
        this.lastOffset = resumeAfter;
    }

    public String customer() {
        return customer;
    }

    /** The sign-in this socket was opened with (HandshakeGuard made it the principal): a revocation closes it. */
    public SignIn signIn() {
        return (SignIn) session.getUserPrincipal();
    }

    public synchronized long resumeAfter() {
        return lastOffset;
    }

    // tag::push[]
    /** A step that is news, missed or live; the page resumes after the offset of the last one pushed. */
    synchronized void push(Progress progress) {
        if (progress.offset() <= lastOffset) {
            return; // already pushed, or before where the page resumed
        }
        lastOffset = progress.offset();
        send(progress.toFrame());
    }
    // end::push[]

    /** Sends a frame after every frame queued before it; a page that cannot keep up is closed. */
    synchronized void send(String frame) {
        if (outgoing.size() >= MAX_QUEUED_FRAMES) {
            close(CloseReason.CloseCodes.VIOLATED_POLICY, "too slow: reconnect and resume");
            return;
        }
        outgoing.add(frame);
        if (!sending) {
            sending = true;
            sendNext();
        }
    }

    private synchronized void sendNext() {
        String frame = outgoing.poll();
        if (frame == null || !session.isOpen()) {
            sending = false;
            return;
        }
        try {
            session.getAsyncRemote().sendText(frame, result -> {
                if (!result.isOK()) {
                    LOG.fine("push failed: " + result.getException());
                }
                sendNext();
            });
        } catch (IllegalStateException closedMeanwhile) {
            // The page left between the check and the send: what is queued has nobody to go to.
            outgoing.clear();
            sending = false;
        }
    }

    void close(CloseReason.CloseCode code, String reason) {
        try {
            session.close(new CloseReason(code, reason));
        } catch (IOException | IllegalStateException alreadyClosed) {
            LOG.fine("closing: " + alreadyClosed);
        }
    }
}
