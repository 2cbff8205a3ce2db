package course.testkit;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Generates raw HTTP/1.1 requests to a module's endpoints from a fuzzer's bytes ({@link FuzzedDataProvider}): the
 * method (the usual ones, lower case, unknown tokens), the path (the module's own, with mutated suffixes, percent
 * encodings and queries), the content type (JSON, JSON with known and unknown charsets, text, form, none,
 * garbage), the headers (Origin own, foreign, absent or garbage; the module's cookies; X-Forwarded-For;
 * Expect: 100-continue; unknown ones), the body (JSON built from the module's field names, see {@link FuzzJson};
 * invalid UTF-8; UTF-16; form; raw bytes; oversized) and the framing (Content-Length, chunked, a bad chunk size,
 * a Content-Length shorter than the body, two Content-Lengths, both headers).
 *
 * <p>A request never declares more body than it sends, so the server never waits for bytes that do not come: a
 * hang is always the server's. Not generated: {@code CONNECT} and {@code Upgrade: h2c}, see {@link ContainerDefects}.
 *
 * <p>Usage, in a module's fuzz test:
 * <pre>{@code
 * FuzzRequests requests = new FuzzRequests(base,
 *         List.of("/api/session", "/api/rooms/lobby/messages?after=0"),   // every endpoint, as a client calls it
 *         List.of("name", "password"),                                    // the fields its bodies carry
 *         () -> List.of("Cookie: " + cookie));                            // header lines a real client sends
 * FuzzRequest request = requests.next(data);
 * run.http(request, request.send(base, FuzzRun.ANSWER_TIMEOUT));
 * }</pre>
 */
public final class FuzzRequests {

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD",
            "TRACE", "get", "PoST", "PROPFIND", "FOO", "G\u00c9T", "");
    private static final List<String> SUFFIXES = List.of("", "", "", "/", "//", "/..", "/%2e%2e/%2e%2e", "%00", "%ff",
            "%", "%zz", "/%c0%af", "?", "?a=%", "&after=-1", "?after=99999999999999999999", "#frag", ";jsessionid=x",
            "/x/y/z", "%20", "+", "%0d%0aX-Injected:%201", "/\u00e9", "~", "/.;/");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=UTF-8",
            "application/json; charset=utf-16", "application/json; charset=ISO-8859-1", "application/json; charset=klingon",
            "application/json; charset=", "application/json;;;", "text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/xml", "*/*", "application/json, text/plain", "json", "",
            "application/problem+json", "text/html; charset=UTF-8");
    private static final List<String> ORIGINS = List.of("", "", "Origin: null", "Origin: https://evil.example",
            "Origin: http://localhost", "Origin: \u00ff\u00fe", "Origin: ::::");

    private final URL base;
    private final List<String> paths;
    private final List<String> fields;
    private final Supplier<List<String>> clientHeaders;

    /**
     * @param base the server's base URL
     * @param paths every endpoint, as a client calls it (path and query)
     * @param fields the field names the endpoints' JSON bodies carry
     * @param clientHeaders header lines a real client sends, for example the session cookie; asked for on every request
     */
    public FuzzRequests(URL base, List<String> paths, List<String> fields, Supplier<List<String>> clientHeaders) {
        this.base = base;
        this.paths = List.copyOf(paths);
        this.fields = List.copyOf(fields);
        this.clientHeaders = clientHeaders;
    }

    /** The next request, all of it decided by {@code data}. */
    public FuzzRequest next(FuzzedDataProvider data) {
        String method = data.pickValue(METHODS);
        if (data.consumeInt(0, 15) == 0) {
            method = data.consumeAsciiString(8).replaceAll("[\\s]", "");
        }
        String target = target(data);
        List<String> headers = new ArrayList<>();
        headers.add("Host: " + base.getHost() + ":" + base.getPort());
        for (String line : clientHeaders.get()) {
            if (data.consumeBoolean()) {
                headers.add(line);
            }
        }
        String origin = data.pickValue(ORIGINS).replace("Origin: http://localhost", "Origin: " + origin());
        if (!origin.isEmpty()) {
            headers.add(origin);
        }
        String contentType = data.pickValue(CONTENT_TYPES);
        if (!contentType.isEmpty()) {
            headers.add("Content-Type: " + contentType);
        }
        switch (data.consumeInt(0, 9)) {
            case 0 -> headers.add("X-Forwarded-For: " + data.pickValue(List.of("10.1.2.3", "::1", "garbage", "1.1.1.1, 2.2.2.2",
                    "999.999.999.999", "", data.consumeAsciiString(20))));
            case 1 -> headers.add("Expect: 100-continue");
            case 2 -> headers.add("Accept: " + data.pickValue(List.of("application/xml", "text/html", "*/*;q=0", "garbage")));
            case 3 -> headers.add(token(data) + ": " + printable(data.consumeString(40)));
            case 4 -> headers.add("Cookie: " + printable(data.consumeString(60)));
            case 5 -> headers.add("X-Long: " + "a".repeat(data.consumeInt(0, 20_000)));
            default -> {
            }
        }
        byte[] body = body(data, contentType);
        return frame(data, method, target, headers, body);
    }

    private String target(FuzzedDataProvider data) {
        String path = paths.isEmpty() ? "/" : data.pickValue(paths);
        return switch (data.consumeInt(0, 11)) {
            case 0 -> path + printable(data.consumeAsciiString(30)).replace(" ", "%20");
            case 1 -> percentEncoded(path, data);
            case 2 -> path + "?" + "a=1&".repeat(data.consumeInt(0, 3_000));
            case 3 -> "/" + "a".repeat(data.consumeInt(0, 10_000));
            case 4 -> data.pickValue(List.of("*", "http://" + base.getHost() + ":" + base.getPort() + path, "//" + path, ""));
            default -> path + data.pickValue(SUFFIXES);
        };
    }

    private static String percentEncoded(String path, FuzzedDataProvider data) {
        StringBuilder encoded = new StringBuilder();
        for (char c : path.toCharArray()) {
            encoded.append(c != '/' && c != '?' && data.consumeBoolean() ? String.format("%%%02X", (int) c) : String.valueOf(c));
        }
        return encoded.toString();
    }

    private byte[] body(FuzzedDataProvider data, String contentType) {
        return switch (data.consumeInt(0, 11)) {
            case 0 -> new byte[0];
            case 1 -> withInvalidUtf8(FuzzJson.object(data, fields), data);
            case 2 -> FuzzJson.object(data, fields).getBytes(StandardCharsets.UTF_16);
            case 3 -> FuzzJson.value(data, fields, 0).getBytes(StandardCharsets.UTF_8);
            case 4 -> ((fields.isEmpty() ? "a" : data.pickValue(fields)) + "=" // a form
                    + printable(data.consumeString(30)).replace(" ", "+")).getBytes(StandardCharsets.UTF_8);
            case 5 -> data.consumeBytes(data.consumeInt(0, 300));
            default -> FuzzJson.object(data, fields).getBytes(charsetOf(contentType));
        };
    }

    private static byte[] withInvalidUtf8(String json, FuzzedDataProvider data) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        int at = data.consumeInt(0, bytes.length);
        byte[] bad = data.pickValue(List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.writeBytes(bad);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    /** Frames the request: a correct Content-Length most often, otherwise chunked or broken in a safe way. */
    private static FuzzRequest frame(FuzzedDataProvider data, String method, String target, List<String> headers, byte[] body) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        boolean broken = false;
        switch (data.consumeInt(0, 9)) {
            case 0 -> { // chunked, in chunks of a generated size
                headers.add("Transfer-Encoding: chunked");
                int size = data.consumeInt(1, 64);
                for (int at = 0; at < body.length; at += size) {
                    int n = Math.min(size, body.length - at);
                    payload.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    payload.write(body, at, n);
                    payload.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                payload.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            case 1 -> { // a chunk size that is no number
                headers.add("Transfer-Encoding: chunked");
                payload.writeBytes(("zz\r\n" + new String(body, StandardCharsets.ISO_8859_1) + "\r\n0\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                broken = true;
            }
            case 2 -> { // declares less than it sends: the rest reads as a second, garbage request
                headers.add("Content-Length: " + (body.length / 2));
                payload.writeBytes(body);
                broken = true;
            }
            case 3 -> { // two lengths, or a length and chunked: the request smuggler's tools
                headers.add("Content-Length: " + body.length);
                boolean chunked = data.consumeBoolean();
                headers.add(chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + (body.length / 2));
                payload.writeBytes(body);
                if (chunked && body.length == 0) {
                    // Transfer-Encoding wins over Content-Length (RFC 9112, 6.3): without any body this declares a
                    // chunked one that never comes, and the server rightly waits for it. An empty chunked body instead
                    // (found by 04's FuzzIT: "Content-Length: 0" with "Transfer-Encoding: chunked", no answer in 10 s).
                    payload.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                broken = true;
            }
            case 4 -> { // a length that is no number
                headers.add("Content-Length: " + data.pickValue(List.of("-1", "abc", "1e3", "99999999999999999999", " ")));
                payload.writeBytes(body);
                broken = true;
            }
            default -> {
                if (body.length > 0 || data.consumeBoolean()) {
                    headers.add("Content-Length: " + body.length);
                }
                payload.writeBytes(body);
            }
        }
        if (data.consumeInt(0, 7) == 0) {
            java.util.Collections.shuffle(headers, new java.util.Random(data.consumeLong()));
        }
        String version = data.consumeInt(0, 15) == 0 ? data.pickValue(List.of("HTTP/1.0", "HTTP/2.0", "HTTP/1.1 x", "HTTP/9"))
                : "HTTP/1.1";
        // a request line that does not parse (a space or control character in the target, an odd version, no method):
        // a server may end the connection, as it cannot tell what was asked
        boolean chunked = headers.stream().anyMatch(h -> h.startsWith("Transfer-Encoding"));
        boolean http11Only = headers.stream().anyMatch(h -> h.startsWith("Upgrade:") || h.startsWith("Expect:"));
        // chunked, Upgrade and Expect are HTTP/1.1's: an HTTP/1.0 request with them does not parse as such
        broken |= ((chunked || http11Only) && !version.equals("HTTP/1.1"))
                || method.isEmpty() || !method.chars().allMatch(c -> c > 0x20 && c < 0x7f)
                || target.isEmpty() || !target.chars().allMatch(c -> c > 0x20 && c < 0x7f)
                || !version.matches("HTTP/1\\.[01]");
        String head = method + " " + target + " " + version + "\r\n" + String.join("\r\n", headers) + "\r\n\r\n";
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        request.writeBytes(payload.toByteArray());
        return new FuzzRequest(method, target, request.toByteArray(), broken);
    }

    private static Charset charsetOf(String contentType) {
        String lower = contentType.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("utf-16")) {
            return StandardCharsets.UTF_16;
        }
        return lower.contains("iso-8859-1") ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
    }

    private static String token(FuzzedDataProvider data) {
        String token = data.consumeAsciiString(16).replaceAll("[^A-Za-z0-9-]", "");
        return token.isEmpty() ? "X-Fuzz" : token;
    }

    /** No CR or LF: a header value never ends the head early (header injection is {@code %0d%0a} in the path). */
    private static String printable(String text) {
        return text.replace('\r', ' ').replace('\n', ' ');
    }

    private String origin() {
        return base.getProtocol() + "://" + base.getHost() + ":" + base.getPort();
    }
}
