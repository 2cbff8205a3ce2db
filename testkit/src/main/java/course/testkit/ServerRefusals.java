package course.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What each module's {@code ContainerErrors} (a true copy) promises: what the server refuses before the
 * application sees it is a problem+json whose end a client on a kept-alive connection can see.
 */
public final class ServerRefusals {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ServerRefusals() {
    }

    /** Fails unless {@code answer} is a problem+json with this status, in its status line and in its body. */
    public static void assertProblem(RawRequest.Answer answer, int status) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.toString()).startsWith("application/problem+json");
        assertThat(answer.body()).as(answer.toString()).contains("\"status\":" + status);
    }

    /**
     * Found by fuzzing, in every module: {@code body} POSTed to each of {@code paths} in a charset the server does not
     * know was a 500 (now 415), with an unparseable Content-Type it got the server's HTML page (now 400), as did an
     * unknown path (404) and a request to upgrade to HTTP/2.
     */
    public static void assertRefusedAsProblems(URL base, String body, String... paths) {
        for (String path : paths) {
            RawRequest.Answer bogus = RawRequest.send(base, "POST", path, body, TIMEOUT,
                    "Content-Type: application/json; charset=bogus");
            assertProblem(bogus, 415);
            assertThat(bogus.body()).contains("/problems/unsupported-charset", "'bogus'");
            assertProblem(RawRequest.send(base, "POST", path, body, TIMEOUT, "Content-Type: ;;;"), 400);
        }
        assertProblem(RawRequest.send(base, "GET", "/api/no-such-thing", "", TIMEOUT), 404);
        // Payara takes the upgrade to HTTP/2 (101) and answers over it: the problem, not the server's own page.
        RawRequest.Answer h2c = RawRequest.send(base, "GET", "/no-such-page", "", TIMEOUT,
                "Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAAQAAP__");
        assertThat(h2c.body()).as(h2c.toString()).contains("/problems/http-404", "\"status\":404");
    }

    /**
     * Found by fuzzing, in every module with a WebSocket: a handshake to {@code path} that the container refuses got
     * the server's HTML page, a 500 for one without a Host (HTTP/1.0 may leave it out), or lost its Content-Type
     * (a version it does not speak). Each is a 4xx problem+json now, and a handshake that declares a body (an empty
     * chunked one) is refused before it reaches the endpoint.
     */
    public static void assertBrokenHandshakesRefusedAsProblems(URL base, String path) {
        String handshake = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        String host = "Host: " + base.getHost() + ":" + base.getPort() + "\r\n";
        assertClientProblem(raw(base, "GET " + path + " HTTP/1.0\r\n" + handshake + "Sec-WebSocket-Version: 13\r\n\r\n"));
        assertClientProblem(raw(base, "GET " + path + " HTTP/1.1\r\n" + host + handshake
                + "Sec-WebSocket-Version: 13\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
        assertClientProblem(raw(base, "GET " + path + " HTTP/1.1\r\n" + host + handshake + "Sec-WebSocket-Version: 99\r\n\r\n"));
    }

    private static RawRequest.Answer raw(URL base, String request) {
        return RawRequest.sendBytes(base, request.getBytes(StandardCharsets.ISO_8859_1), false, TIMEOUT);
    }

    private static void assertClientProblem(RawRequest.Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(400, 499);
        assertProblem(answer, answer.status());
    }
}
