package course.testkit;

import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test-side WebSocket client that records every text frame it receives and how the connection
 * ended, so tests can assert on both. Failures on the client's callback threads are kept and
 * rethrown on the test thread by every assertion method.
 */
public final class RecordingWebSocket implements WebSocket.Listener, AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile Throwable failure;
    private volatile String closeReason;
    private volatile WebSocket socket;

    private RecordingWebSocket() {
    }

    /** Opens a connection, failing the test if the handshake is refused. */
    public static RecordingWebSocket open(URI uri, Map<String, String> headers) {
        return open(HTTP, uri, headers);
    }

    /** As {@link #open(URI, Map)}, through the given client: for wss, one whose SSLContext trusts the server. */
    public static RecordingWebSocket open(HttpClient client, URI uri, Map<String, String> headers) {
        RecordingWebSocket recorder = new RecordingWebSocket();
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(TIMEOUT);
        headers.forEach(builder::header);
        recorder.socket = builder.buildAsync(uri, recorder).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        return recorder;
    }

    /**
     * Attempts a handshake that should be refused, and returns the HTTP status the server answered with.
     *
     * <p>One container defect is met once, loudly, with a second attempt:
     * {@link ContainerDefects#HANDSHAKE_PAST_THE_FILTER}. Its sign is exact: the handshake is accepted, and the
     * endpoint's own check closes the socket at once with 1008 before any frame. Anything else accepted fails.
     */
    public static int refusedHandshakeStatus(URI uri, Map<String, String> headers) {
        Integer status = attemptRefusedHandshake(uri, headers);
        if (status == null) {
            System.out.println("[container defect] " + ContainerDefects.HANDSHAKE_PAST_THE_FILTER
                    + ": the handshake to " + uri + " was accepted, and the endpoint closed it with 1008;"
                    + " attempting it once more");
            status = attemptRefusedHandshake(uri, headers);
        }
        if (status == null) {
            throw new AssertionError("The handshake to " + uri + " was accepted twice (each time closed by the"
                    + " endpoint with 1008), but should have been refused");
        }
        return status;
    }

    /** The refusal's status; null for a handshake accepted and then closed at once with 1008 and no frame. */
    private static Integer attemptRefusedHandshake(URI uri, Map<String, String> headers) {
        RecordingWebSocket recorder = new RecordingWebSocket();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT);
        headers.forEach(builder::header);
        try {
            recorder.socket = builder.buildAsync(uri, recorder).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
        int code = recorder.closed.completeOnTimeout(-1, 5, TimeUnit.SECONDS).join(); // -1: still open after 5 s
        if (code == 1008 && recorder.frames.isEmpty()) {
            return null;
        }
        recorder.socket.abort();
        throw new AssertionError("The handshake to " + uri + " was accepted, but should have been refused ("
                + (code == -1 ? "still open after 5 s" : "then closed with " + code) + ", after "
                + recorder.frames.size() + " frames)");
    }

    public void send(String text) {
        sent(socket.sendText(text, true));
    }

    public void sendBinary(ByteBuffer data) {
        sent(socket.sendBinary(data, true));
    }

    /** Waits for a send; one that fails because the server closed the socket says how it was closed. */
    private void sent(CompletableFuture<WebSocket> sending) {
        try {
            sending.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            if (closed.isDone()) {
                throw new AssertionError("cannot send: the socket was closed with " + closed.join() + " ("
                        + closeReason + "), after " + frames.size() + " frames: " + frames, e);
            }
            throw e;
        }
    }

    /** Every text frame received so far, in order. */
    public List<String> frames() {
        rethrowFailure();
        return List.copyOf(frames);
    }

    /** The received frames parsed as JSON objects, in order. */
    public List<JsonObject> json() {
        return frames().stream().map(RecordingWebSocket::parse).toList();
    }

    /** Waits (bounded) for a frame that matches, and returns it. */
    public JsonObject awaitFrame(Predicate<JsonObject> matching) {
        return await().atMost(TIMEOUT).until(() -> json().stream().filter(matching).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    /** Waits (bounded) until {@code count} frames match. */
    public List<JsonObject> awaitFrames(Predicate<JsonObject> matching, int count) {
        return await().atMost(TIMEOUT).until(() -> json().stream().filter(matching).toList(), l -> l.size() >= count);
    }

    /** Waits (bounded) for the server to close the connection, and returns its close code. */
    public int awaitClose(Duration atMost) {
        try {
            return closed.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("The server did not close the connection within " + atMost, e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public String closeReason() {
        return closeReason;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        failure = new AssertionError("Unexpected binary frame from the server");
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        // An abrupt end without a close frame is 1006 by RFC 6455; anything else is a real failure.
        closeReason = String.valueOf(error);
        closed.complete(1006);
    }

    private void rethrowFailure() {
        if (failure != null) {
            throw new AssertionError("failure on the WebSocket callback thread", failure);
        }
    }

    @Override
    public void close() {
        if (socket != null && !closed.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
            socket.abort();
        }
    }

    static JsonObject parse(String frame) {
        try (JsonReader reader = Json.createReader(new StringReader(frame))) {
            return reader.readObject();
        }
    }
}
