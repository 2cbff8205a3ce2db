package shop.routing;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.CharConversionException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * Answers the errors the server raises itself, before or around the application (a path no endpoint has, a
 * Content-Type header JAX-RS cannot parse, a method the static pages do not know), with problem+json like every
 * other refusal, instead of the server's HTML error page, which names the server. A WebSocket handshake (a GET to
 * a path {@link Handshakes} names) that the container refuses (a version it does not speak, no key, no Host) gets
 * problem+json too; one it accepts is upgraded untouched. A method no servlet knows ({@code FOO /app.js}) is a
 * client's error: the static pages' servlet answers it 501 Not Implemented, a server error that monitoring counts as
 * an outage, so it answers 405 here, as JAX-RS does under {@code /api} (found by {@code FuzzIT}).
 *
 * <p>The same file in every module (see the root README's copies table); what differs lives in {@link Handshakes}.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class ContainerErrors extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // a handshake is a GET to a WebSocket's address; any other request that says "Upgrade: websocket" is answered
        // as any request is (a POST with it got the server's HTML page, found by FuzzIT)
        boolean handshake = "GET".equals(request.getMethod()) && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
                && Handshakes.at(request.getRequestURI().substring(request.getContextPath().length()));
        if (handshake && (!saysConnectionUpgrade(request) || request.getHeader("Host") == null)) {
            // Tyrus answers a handshake without "Connection: Upgrade", or without a Host (an HTTP/1.0 request may
            // leave it out), with a 500 and the server's HTML page (found by FuzzIT); RFC 6455 makes both the
            // client's error
            new AsProblem(response).answer(400, "not-a-handshake", "Not a WebSocket handshake",
                    "A WebSocket handshake says \"Upgrade: websocket\", \"Connection: Upgrade\" and its Host.");
            return;
        }
        String upgrade = request.getHeader("Upgrade");
        if (upgrade != null && !upgrade.equalsIgnoreCase("h2c") && hasBody(request)) {
            // The container keeps the body of a request that asks for another protocol from the application: the
            // endpoint that reads it waits forever, holding a request thread (found by FuzzIT). Nothing here upgrades
            // but a WebSocket handshake, which has no body (a handshake that declares one, even an empty chunked one,
            // is refused too), and HTTP/2 (h2c), which Payara takes itself: the JDK's HttpClient asks for it on every
            // request, a POST too.
            response.setHeader("Connection", "close"); // its body is never read: this connection ends
            new AsProblem(response).answer(400, "upgrade-with-body", "Upgrade with a body",
                    "Only a WebSocket handshake (a GET, without a body) may ask for another protocol.");
            return;
        }
        try {
            // a handshake's answer too: Tyrus refuses one it cannot take (version 99: 426, no key: 404) with
            // sendError, which would be the server's HTML page; one it takes is a 101 that never calls sendError
            chain.doFilter(request, new AsProblem(response));
        } catch (IllegalStateException | ServletException e) {
            // A query that does not decode threw out of the container: a 500 and its HTML page naming the exception
            // (found by FuzzIT). The WebSocket filter reads the parameters of a request that says "Upgrade: websocket"
            // in the charset its Content-Type names ("?a=%" in UTF-16); JAX-RS decodes the query of a form request
            // ("?after=0%zz"), and fails on a '%' at its end ("?after=0%") with an index out of bounds.
            if (!undecodable(e.getCause(), request) || response.isCommitted()) {
                throw e;
            }
            new AsProblem(response).answer(400, "undecodable-query", "Undecodable query",
                    "The query string does not decode in the charset the request's Content-Type names.");
        } catch (IllegalArgumentException e) {
            // Tyrus's WebSocket filter parses the path of every request that says "Upgrade: websocket" as a URI, and a
            // path that is none ("//": "Expected authority at index 2") threw out of it: a 500 and the server's HTML
            // page naming the exception (found by FuzzIT)
            if (!(e.getCause() instanceof URISyntaxException) || response.isCommitted()) {
                throw e;
            }
            new AsProblem(response).answer(400, "unparsable-path", "Unparsable path",
                    "The request's path is not a valid URI path.");
        }
    }

    private static boolean undecodable(Throwable cause, HttpServletRequest request) {
        return cause instanceof CharConversionException || (cause instanceof IllegalArgumentException
                && String.valueOf(cause.getMessage()).startsWith("Malformed percent-encoded"))
                || cause instanceof IndexOutOfBoundsException && endsInAnEscape(request);
    }

    /** A query whose last percent-escape is cut short: "%" or "%4" at its end. */
    private static boolean endsInAnEscape(HttpServletRequest request) {
        String query = request.getQueryString();
        return query != null && (query.endsWith("%") || query.matches("(?s).*%[0-9A-Fa-f]"));
    }

    private static boolean saysConnectionUpgrade(HttpServletRequest request) {
        return java.util.Collections.list(request.getHeaders("Connection")).stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .anyMatch(token -> token.trim().equalsIgnoreCase("upgrade"));
    }

    /** A body, or a declared empty one: a form request that says "Content-Length: 0" still waits for it (FuzzIT). */
    private static boolean hasBody(HttpServletRequest request) {
        return request.getHeader("Content-Length") != null || request.getHeader("Transfer-Encoding") != null;
    }

    /** What a method the server does not implement answers: a client's error, with the methods it may use. */
    static int statusFor(int status, HttpServletResponse response) {
        if (status == 501) {
            response.setHeader("Allow", "GET, HEAD, OPTIONS");
            return 405;
        }
        return status;
    }

    /** Turns sendError into a problem+json answer with the same status (a 501: 405, see statusFor). */
    private static final class AsProblem extends HttpServletResponseWrapper {

        AsProblem(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void sendError(int status) throws IOException {
            sendError(status, null);
        }

        @Override
        public void sendError(int raised, String message) throws IOException {
            if (isCommitted()) {
                super.sendError(raised, message);
                return;
            }
            int status = statusFor(raised, this);
            answer(status, "http-" + status, "HTTP " + status,
                    "The server refused this request before it reached the application (HTTP status " + status + ").");
        }

        void answer(int status, String code, String title, String detail) throws IOException {
            resetBuffer();
            setStatus(status);
            setContentType(Problem.MEDIA_TYPE);
            setCharacterEncoding("UTF-8");
            byte[] body = Problem.json(status, code, title, detail).toString().getBytes(StandardCharsets.UTF_8);
            setContentLength(body.length);
            // written, not flushed: the container completes the answer. A flush here commits it early, and to a
            // request that carries an Upgrade header (of any protocol) the container then sends it without its
            // Content-Type and without every header a filter set (found by FuzzIT, Payara Micro 7)
            getOutputStream().write(body);
        }
    }
}
