package course.testkit;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One generated HTTP/1.1 request, as the bytes that go on the wire, with what a verdict needs to know of it: its
 * method and request target, and whether its framing was broken on purpose (then the server may end the connection
 * without an answer). Built by {@link FuzzRequests}; sent with {@link #send(URL, Duration)}.
 */
public record FuzzRequest(String method, String target, byte[] bytes, boolean framingBroken) {

    /** Sends it on a connection of its own and reads the answer (see {@link RawRequest#sendBytes}). */
    public RawRequest.Answer send(URL base, Duration timeout) {
        return RawRequest.sendBytes(base, bytes, method.equals("HEAD"), timeout);
    }

    /** The request for a failure message: each line of its head cut at 200 characters, and 300 of its body. */
    @Override
    public String toString() {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 4);
        StringBuilder shown = new StringBuilder();
        for (String line : head.split("\r\n")) {
            shown.append(line.length() <= 200 ? line : line.substring(0, 200) + "... (" + line.length() + " chars)")
                    .append('\n');
        }
        shown.append('\n').append(body.length() <= 300 ? body : body.substring(0, 300) + "...");
        return shown + (text.length() > 600 ? "\n(" + bytes.length + " bytes in all)" : "");
    }
}
