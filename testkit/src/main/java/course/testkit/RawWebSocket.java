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

    /**
     * Opens a TCP connection and completes the WebSocket handshake (101), or fails the test. A handshake the server
     * never answers is met once, loudly, with a second one: {@link ContainerDefects#HANDSHAKE_WITHOUT_ANSWER}.
     */
    public static RawWebSocket open(URI ws, Map<String, String> headers) {
        try {
            return attemptOpen(ws, headers);
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof java.net.SocketTimeoutException)) {
                throw e;
            }
            System.out.println("[container defect] " + ContainerDefects.HANDSHAKE_WITHOUT_ANSWER
                    + ": no answer to the handshake to " + ws + "; opening it once more");
            return attemptOpen(ws, headers);
        }
    }

    private static RawWebSocket attemptOpen(URI ws, Map<String, String> headers) {
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

    /** One frame the server sent: its opcode, FIN bit and (unmasked) payload. */
    public record Frame(int opcode, boolean fin, byte[] payload) {

        public static final int TEXT = 0x1;
        public static final int BINARY = 0x2;
        public static final int CLOSE = 0x8;
        public static final int PING = 0x9;
        public static final int PONG = 0xA;

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** A close frame's status code; 1005 (none) if it carries none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }

        @Override
        public String toString() {
            return opcode == CLOSE ? "close " + closeCode() + " " + (payload.length > 2
                    ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "")
                    : "opcode " + opcode + (fin ? "" : " (not FIN)") + ": " + text();
        }
    }

    /**
     * The server's next frame, or empty if it ended the TCP connection first; fails if neither comes within
     * {@code atMost}. A reset (the server closed with this client's bytes unread: TCP then discards what it had
     * sent, its close frame too) throws {@link UncheckedIOException}.
     */
    public java.util.Optional<Frame> nextFrame(Duration atMost) {
        try {
            socket.setSoTimeout((int) Math.max(1, atMost.toMillis()));
            int first = in.read();
            if (first == -1) {
                return java.util.Optional.empty();
            }
            int second = in.read();
            if (second == -1) {
                return java.util.Optional.empty();
            }
            long length = second & 0x7f;
            if (length == 126) {
                length = ((in.read() & 0xff) << 8) | (in.read() & 0xff);
            } else if (length == 127) {
                length = java.nio.ByteBuffer.wrap(in.readNBytes(8)).getLong();
            }
            if ((second & 0x80) != 0) {
                in.readNBytes(4); // a server must not mask; its key is skipped all the same
            }
            byte[] payload = in.readNBytes((int) Math.min(length, 1 << 24));
            return java.util.Optional.of(new Frame(first & 0x0f, (first & 0x80) != 0, payload));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server sent nothing, and kept the connection, for " + atMost, e);
        } catch (IOException reset) {
            throw new UncheckedIOException(reset);
        }
    }

    /** A frame as a client must send it: masked (with a fixed key, which is allowed), any opcode and flags. */
    public static byte[] clientFrame(int firstByte, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(firstByte);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            frame.writeBytes(java.nio.ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        byte[] key = {0x12, 0x34, 0x56, 0x78};
        frame.writeBytes(key);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ key[i % 4]);
        }
        return frame.toByteArray();
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
