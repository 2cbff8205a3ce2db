package course.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request written as it is onto a socket, for what the JDK's HttpClient will not send (an
 * unparseable Content-Type, an {@code Upgrade: h2c}), on a connection kept alive, as a browser's is. Its answer is
 * read as a keep-alive client reads it: up to the end its length or chunks state. An answer that states no end,
 * or whose end does not come within the timeout, fails: that client would wait forever. A request the server
 * upgrades to HTTP/2 ({@code Upgrade: h2c}) is answered in HTTP/2's frames: its answer ends with its stream's end.
 */
public final class RawRequest {

    private RawRequest() {
    }

    /** What the server answered: status, headers (names in lower case) and the body. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    /**
     * Sends {@code method path}, the given header lines (each "Name: value"), a Host header and the body, and reads
     * the framed answer within {@code timeout}.
     */
    public static Answer send(URL base, String method, String path, String body, Duration timeout, String... headerLines) {
        StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        if (!body.isEmpty()) {
            request.append("Content-Length: ").append(content.length).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            return read(socket.getInputStream(), method.equals("HEAD"));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the answer to " + method + " " + path + " did not end within "
                    + timeout.toMillis() + " ms: a keep-alive client would hang", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code request} byte for byte (request line, headers and body as the caller framed them, for requests no
     * well-formed client sends: see {@link FuzzRequests}) and reads the answer within {@code timeout}. An answer to
     * {@code HEAD} has no body, whatever its length says. A connection the server ends without an answer throws
     * {@link ConnectionEnded}, so a caller can tell that from a hang (an {@link AssertionError}).
     */
    public static Answer sendBytes(URL base, byte[] request, boolean head, Duration timeout) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (IOException refusedMidway) {
                // the server may answer and close before reading a whole (oversized or broken) request: read that
            }
            return read(socket.getInputStream(), head);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the answer did not end within " + timeout.toMillis() + " ms: a client would hang", e);
        } catch (IOException e) {
            throw new ConnectionEnded(e.toString());
        }
    }

    /** The server ended the connection before a whole answer's head came (or reset it). */
    public static final class ConnectionEnded extends RuntimeException {
        ConnectionEnded(String what) {
            super(what);
        }
    }

    private static Answer read(InputStream in, boolean head) throws IOException {
        String[] lines = line(in, true).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        if (status == 100) {
            return read(in, head); // "100 Continue" (the request said Expect: 100-continue): the answer follows
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (status == 101 && "h2c".equalsIgnoreCase(headers.get("upgrade"))) {
            readHttp2Answer(in, body);
        } else if (head || status == 204 || status == 304 || status / 100 == 1) {
            // no body, whatever the headers say
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size; (size = Integer.parseInt(line(in, false).split(";")[0].trim(), 16)) > 0; ) {
                body.write(in.readNBytes(size));
                line(in, false); // the CRLF after the chunk
            }
        } else {
            // No stated end: the body ends when the server closes. A keep-alive connection left open times out here.
            try {
                in.transferTo(body);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("an answer that states no length, on a connection the server keeps open: "
                        + lines[0] + " " + headers + " " + body.toString(StandardCharsets.UTF_8), e);
            }
        }
        return new Answer(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    /**
     * The server took the upgrade to HTTP/2 (h2c): it answers the request as the frames of stream 1, whose last has
     * the END_STREAM flag. Keeps their DATA; the status line stays the 101 (the HEADERS frame is compressed).
     */
    private static void readHttp2Answer(InputStream in, ByteArrayOutputStream body) throws IOException {
        while (true) {
            byte[] head = in.readNBytes(9); // length (3 bytes), type, flags, stream id (4 bytes)
            if (head.length < 9) {
                throw new AssertionError("the connection ended inside an HTTP/2 answer");
            }
            int length = ((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff);
            int type = head[3];
            boolean endStream = (head[4] & 0x1) != 0;
            int stream = ((head[5] & 0x7f) << 24) | ((head[6] & 0xff) << 16) | ((head[7] & 0xff) << 8) | (head[8] & 0xff);
            byte[] payload = in.readNBytes(length);
            boolean dataOrHeaders = type == 0 || type == 1;
            if (stream == 1 && type == 0) {
                body.write(payload);
            }
            if (stream == 1 && dataOrHeaders && endStream) {
                return;
            }
        }
    }

    /** Reads up to CRLF (or, for the head, up to the empty line), without the terminator. */
    private static String line(InputStream in, boolean wholeHead) throws IOException {
        String end = wholeHead ? "\r\n\r\n" : "\r\n";
        StringBuilder text = new StringBuilder();
        while (!(text.length() >= end.length() && text.substring(text.length() - end.length()).equals(end))) {
            int b = in.read();
            if (b == -1) {
                throw new ConnectionEnded("the connection ended inside an answer: " + text);
            }
            text.append((char) b);
        }
        return text.substring(0, text.length() - end.length());
    }
}
