package course.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A WebSocket client written straight onto a TCP socket, for the misbehaving peers a normal client
 * will not play: one that goes silent and never answers a ping, or one that sends a forged frame
 * header. It does the opening handshake, then lets a test write raw bytes and watch for the end.
 */
public final class RawWebSocket implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Opens a TCP connection and completes the WebSocket handshake (101), or fails the test. */
    public static RawWebSocket open(URI ws, Map<String, String> headers) {
        try {
            Socket socket = new Socket(ws.getHost(), ws.getPort());
            RawWebSocket raw = new RawWebSocket(socket);
            byte[] nonce = new byte[16];
            new SecureRandom().nextBytes(nonce);
            StringBuilder request = new StringBuilder()
                    .append("GET ").append(ws.getRawPath()).append(ws.getRawQuery() == null ? "" : "?" + ws.getRawQuery())
                    .append(" HTTP/1.1\r\n")
                    .append("Host: ").append(ws.getHost()).append(':').append(ws.getPort()).append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Version: 13\r\n")
                    .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n");
            headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
            request.append("\r\n");
            raw.out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            raw.out.flush();
            String response = raw.readHttpHead();
            if (!response.startsWith("HTTP/1.1 101")) {
                socket.close();
                throw new AssertionError("handshake refused: " + response.lines().findFirst().orElse(""));
            }
            return raw;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes bytes exactly as given: no framing, no masking. */
    public void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads and discards whatever the server sends (pings included, never answered) until it closes the
     * TCP connection, and returns how long that took; fails if it is still open after {@code atMost}.
     */
    public Duration awaitServerHangUp(Duration atMost) {
        long start = System.nanoTime();
        long deadline = start + atMost.toNanos();
        byte[] buffer = new byte[4096];
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, Math.min(500, (deadline - System.nanoTime()) / 1_000_000)));
                try {
                    if (in.read(buffer) == -1) {
                        return Duration.ofNanos(System.nanoTime() - start);
                    }
                } catch (SocketTimeoutException stillOpen) {
                    // keep waiting until the deadline
                }
            }
        } catch (IOException reset) {
            return Duration.ofNanos(System.nanoTime() - start); // a reset is a hang-up too
        }
        throw new AssertionError("the server kept the connection open for more than " + atMost);
    }

    private String readHttpHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        socket.setSoTimeout(10_000);
        while (matched < 4) {
            int b = in.read();
            if (b == -1) {
                break;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
