package shop.orders;

import course.testkit.RecordingWebSocket;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A STOMP 1.2 session over a java.net.http WebSocket to RabbitMQ's Web-STOMP: the test's view of what the board page does. */
final class StompSession implements AutoCloseable {

    /** One received frame: command, headers (the first of repeated ones) and body. */
    record Frame(String command, Map<String, String> headers, String body) {
        static Frame parse(String text) {
            String[] headAndBody = text.replaceFirst("^\n+", "").split("\0", 2)[0].split("\n\n", 2);
            String[] lines = headAndBody[0].split("\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.putIfAbsent(lines[i].substring(0, colon), lines[i].substring(colon + 1));
            }
            return new Frame(lines[0], headers, headAndBody.length > 1 ? headAndBody[1] : "");
        }
    }

    private final RecordingWebSocket socket;

    private StompSession(RecordingWebSocket socket) {
        this.socket = socket;
    }

    /** Opens the WebSocket and sends CONNECT; the broker's answer (CONNECTED or ERROR) is the first frame. */
    static StompSession connect(String url, String vhost, String login, String passcode) {
        StompSession session = new StompSession(RecordingWebSocket.open(URI.create(url), Map.of()));
        session.send("CONNECT", Map.of("accept-version", "1.2", "host", vhost, "login", login, "passcode", passcode,
                "heart-beat", "0,0"));
        return session;
    }

    void send(String command, Map<String, String> headers) {
        send(command, headers, "");
    }

    void send(String command, Map<String, String> headers, String body) {
        StringBuilder frame = new StringBuilder(command).append('\n');
        headers.forEach((name, value) -> frame.append(name).append(':').append(value).append('\n'));
        socket.send(frame.append('\n').append(body).append('\0').toString());
    }

    List<Frame> frames() {
        return socket.frames().stream().map(Frame::parse).toList();
    }

    Frame await(Predicate<Frame> matching) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> frames().stream().filter(matching).findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    Frame awaitCommand(String command) {
        return await(f -> f.command().equals(command));
    }

    /** Waits (bounded) for the broker to close the WebSocket; returns the close code. */
    int awaitClose() {
        return socket.awaitClose(Duration.ofSeconds(10));
    }

    String closeReason() {
        return socket.closeReason();
    }

    boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        socket.close();
    }
}
