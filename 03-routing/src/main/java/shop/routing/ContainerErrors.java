package shop.routing;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers the errors the server raises itself, before or around the application (a path no endpoint has, a
 * Content-Type header JAX-RS cannot parse, a method the static pages do not know), with problem+json like every
 * other refusal, instead of the server's HTML error page, which names the server. This module has no WebSocket, so
 * a request that asks for one is answered as any other (it got the HTML page, found by {@code FuzzIT}). A method no
 * servlet knows ({@code PROPFIND /index.html}) is a client's error: the static pages' servlet answers it 501 Not
 * Implemented, a server error that monitoring counts as an outage, so it answers 405 here, as JAX-RS does under
 * {@code /api} (found by {@code FuzzIT}).
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class ContainerErrors extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String upgrade = request.getHeader("Upgrade");
        if (upgrade != null && !upgrade.equalsIgnoreCase("h2c") && hasBody(request)) {
            // The container keeps the body of a request that asks for another protocol from the application: the
            // endpoint that reads it waited forever, holding a request thread (found by FuzzIT). Nothing here
            // upgrades but to HTTP/2 (h2c), which Payara takes itself: the JDK's HttpClient asks for it on every request.
            response.setHeader("Connection", "close"); // its body is never read: this connection ends
            new AsProblem(response).answer(400, "upgrade-with-body", "Upgrade with a body",
                    "This server upgrades no request with a body to another protocol; nothing was done.");
            return;
        }
        chain.doFilter(request, new AsProblem(response));
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
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
            getOutputStream().write(body);
            flushBuffer();
        }
    }
}
