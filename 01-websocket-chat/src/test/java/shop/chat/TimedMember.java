package shop.chat;

import course.testkit.LatencyRecorder;
import course.testkit.SendTimes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A chat member for the experiments: notes when each numbered test message ({@code "seq-42"}) arrives,
 * and counts duplicates, errors and presence frames. It is cheap on purpose (no JSON parsing, the text
 * is found with {@code indexOf}, presence lists are skipped unread), so a thousand of them in the test
 * JVM measure the server rather than the client.
 */
final class TimedMember implements WebSocket.Listener, RoomSenders.Speaker, AutoCloseable {

    static final String TEXT_PREFIX = "seq-";
    private static final String MESSAGE = "{\"type\":\"message\"";
    private static final String PRESENCE = "{\"type\":\"presence\"";
    private static final String ERROR = "{\"type\":\"error\"";
    private static final String TEXT_FIELD = "\"text\":\"" + TEXT_PREFIX;
    /** Enough characters to tell a frame's type, which the server always writes first. */
    private static final int TYPE_CHARS = PRESENCE.length();

    private final SendTimes sendTimes;
    private final LatencyRecorder latencies;
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile String closeReason;
    // Everything below is touched by this socket's callbacks, which the JDK runs one at a time, and read by the test.
    private final BitSet received = new BitSet();
    private final StringBuilder frame = new StringBuilder();
    private long frameStartNanos;
    private boolean skippingRest;
    private int messages;
    private int duplicates;
    private int presenceFrames;
    private long presenceChars;
    private long lastPresenceNanos;
    private int pings;
    private int errors;
    private String lastError;
    private long messageChars;
    private Throwable failure;
    private volatile WebSocket socket;

    private TimedMember(SendTimes sendTimes, LatencyRecorder latencies) {
        this.sendTimes = sendTimes;
        this.latencies = latencies;
    }

    /** Opens {@code room} with a signed-in session and a same-site Origin, as a browser would. */
    static CompletableFuture<TimedMember> join(HttpClient http, URI room, String cookie, String origin,
                                               SendTimes sendTimes, LatencyRecorder latencies) {
        TimedMember member = new TimedMember(sendTimes, latencies);
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                .header("Cookie", cookie).header("Origin", origin)
                .buildAsync(room, member).thenApply(socket -> member);
    }

    /** Says test message {@code seq}; its send time is marked just before the client library gets it. */
    @Override
    public void say(int seq) {
        sendTimes.markSent(seq);
        socket.sendText("{\"type\":\"say\",\"text\":\"" + TEXT_PREFIX + seq + "\"}", true)
                .orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        webSocket.request(Long.MAX_VALUE); // no per-frame demand bookkeeping: a test client reads as fast as it can
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long now = System.nanoTime(); // first thing: the arrival time must not include our own bookkeeping
        synchronized (this) {
            try {
                onChunk(data, last, now);
            } catch (RuntimeException e) {
                failure = e; // rethrown on the test thread by assertHealthy()
            }
        }
        return null;
    }

    private void onChunk(CharSequence data, boolean last, long now) {
        if (skippingRest) {
            presenceChars += data.length();
            skippingRest = !last;
            return;
        }
        if (frame.isEmpty()) {
            frameStartNanos = now;
        }
        frame.append(data);
        if (!last && frame.length() < TYPE_CHARS) {
            return; // too little yet to tell the frame's type
        }
        if (startsWith(PRESENCE)) {
            presenceFrames++; // a joiner's frame holds the whole online list: count them, never keep them
            presenceChars += frame.length();
            lastPresenceNanos = frameStartNanos;
            frame.setLength(0);
            skippingRest = !last;
            return;
        }
        if (last) {
            onFrame();
            frame.setLength(0);
        }
    }

    private void onFrame() {
        if (startsWith(MESSAGE)) {
            int at = frame.indexOf(TEXT_FIELD);
            if (at < 0) {
                return; // not one of the experiment's numbered messages
            }
            int start = at + TEXT_FIELD.length();
            int seq = Integer.parseInt(frame, start, frame.indexOf("\"", start), 10);
            messages++;
            messageChars += frame.length();
            if (received.get(seq)) {
                duplicates++;
            } else {
                received.set(seq);
                latencies.record(sendTimes.latency(seq, frameStartNanos));
            }
        } else if (startsWith(ERROR)) {
            errors++;
            lastError = frame.toString();
        }
    }

    private boolean startsWith(String prefix) {
        if (frame.length() < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (frame.charAt(i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        synchronized (this) {
            errors++;
            lastError = "unexpected binary frame";
        }
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        synchronized (this) {
            pings++;
        }
        return null; // the JDK answers pings itself; demand is already unbounded
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = statusCode + " " + reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeReason = "1006 " + error;
        closed.complete(1006); // an abrupt end without a close frame, by RFC 6455
    }

    synchronized int distinctReceived() {
        return received.cardinality();
    }

    synchronized int duplicates() {
        return duplicates;
    }

    synchronized int presenceFrames() {
        return presenceFrames;
    }

    /** Characters of presence frames received: the cost of telling everyone who is online. */
    synchronized long presenceChars() {
        return presenceChars;
    }

    /** When the latest presence frame began to arrive (System.nanoTime), or 0 before the first. */
    synchronized long lastPresenceNanos() {
        return lastPresenceNanos;
    }

    /** Heartbeat pings received from the server (the JDK answers each with a pong by itself). */
    synchronized int pings() {
        return pings;
    }

    synchronized int errors() {
        return errors;
    }

    synchronized String lastError() {
        return lastError;
    }

    /** Average size of a received chat-message frame's JSON text (ASCII here, so characters are bytes). */
    synchronized double averageMessageChars() {
        return messages == 0 ? 0 : (double) messageChars / messages;
    }

    /** The close code if the connection has ended, or -1 while it is open. */
    int closeCode() {
        return closed.getNow(-1);
    }

    /** The close code and reason, for example {@code "1001 No answer to ping."}; null while open. */
    String closeReason() {
        return closeReason;
    }

    /** True once the member has every message numbered below {@code total}, or can get no more. */
    boolean isDone(int total) {
        return closeCode() != -1 || distinctReceived() >= total;
    }

    /** Fails the test if a callback of this member failed. */
    synchronized void assertHealthy() {
        if (failure != null) {
            throw new AssertionError("a member's WebSocket callback failed", failure);
        }
    }

    /**
     * Drops the connection without a close handshake. On purpose: a polite close of every member makes
     * the server tell each remaining member who left, N² presence frames that are no part of the measurement.
     */
    @Override
    public void close() {
        WebSocket s = socket;
        if (s != null) {
            s.abort();
        }
    }
}
