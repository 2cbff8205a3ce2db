package shop.chat;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One open WebSocket in a room: who it is, and a bounded outbox towards it.
 *
 * <p>Sends are asynchronous, so one slow reader never holds up a broadcast to the others.
 * A reader that falls more than {@link #MAX_PENDING} frames behind is closed (1013, try again later)
 * rather than let its backlog grow in server memory without bound.
 */
public final class Member {

    static final int MAX_PENDING = 1000;
    /** How long a close waits for the member's lane to hand over the frames before it; a lane is seldom busy longer. */
    private static final long CLOSE_WAIT_MS = 1_000;
    private static final Logger LOG = Logger.getLogger(Member.class.getName());

    private final Session session;
    private final Caller caller;
    private final Executor lane;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long lastPongNanos = System.nanoTime();

    public Member(Session session, Caller caller, Executor lane) {
        this.session = session;
        this.caller = caller;
        this.lane = lane;
    }

    public String name() {
        return caller.signIn().name();
    }

    public SignIn signIn() {
        return caller.signIn();
    }

    Caller caller() {
        return caller;
    }

    // tag::send[]
    /**
     * Queues a frame on this member's lane (see {@link SendLanes}), which writes it after every frame queued before
     * it; the write itself is asynchronous, so a slow reader holds up neither the room nor its lane.
     */
    public void send(String json) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            closeNow(CloseCodes.TRY_AGAIN_LATER, "Too slow: more than " + MAX_PENDING + " frames behind.");
            return;
        }
        try {
            lane.execute(() -> write(json));
        } catch (RejectedExecutionException stopping) {
            pending.decrementAndGet(); // the server is stopping: its connections close with it
        }
    }

    private void write(String json) {
        try {
            LeanSends.run(() -> session.getAsyncRemote().sendText(json, result -> {
                pending.decrementAndGet();
                if (!result.isOK()) {
                    LOG.log(Level.FINE, "send to " + name() + " failed", result.getException());
                }
            }));
        } catch (IllegalStateException closed) {
            pending.decrementAndGet(); // the connection closed under us; its leave() is on the way
        }
    }
    // end::send[]

    void ping() {
        try {
            LeanSends.run(() -> session.getAsyncRemote().sendPing(ByteBuffer.allocate(0)));
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "ping to " + name() + " failed", e);
        }
    }

    void ponged() {
        lastPongNanos = System.nanoTime();
    }

    long nanosSinceLastPong() {
        return System.nanoTime() - lastPongNanos;
    }

    boolean isOpen() {
        return session.isOpen();
    }

    /**
     * Closes the connection, once the lane has handed over the frames queued before the close (an error frame, then
     * the close), and on the caller's thread, as the container expects: a close from a lane thread while the
     * container read the next frame once ended a connection without a close frame (the fuzz test).
     */
    void close(CloseCodes code, String reason) {
        CompletableFuture<Void> handedOver = new CompletableFuture<>();
        try {
            lane.execute(() -> handedOver.complete(null));
            handedOver.get(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException | ExecutionException | TimeoutException stoppingOrBusy) {
            LOG.log(Level.FINE, "closing " + name() + " without waiting for its lane", stoppingOrBusy);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        closeNow(code, reason);
    }

    /** Closes at once: for a reader so far behind that the frames queued for it do not matter any more. */
    private void closeNow(CloseCodes code, String reason) {
        try {
            session.close(new CloseReason(code, reason));
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "close of " + name() + " failed", e);
        }
    }
}
