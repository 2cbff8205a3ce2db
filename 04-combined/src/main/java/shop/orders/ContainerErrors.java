package shop.orders;

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
 * other refusal, instead of the server's HTML error page, which names the server. The order channel's WebSocket
 * handshakes pass untouched; an {@code Upgrade: websocket} header anywhere else does not make a request one. A method no HTTP server knows (an empty one, {@code FOO}) is the client's error, not the server's: the
 * server's 501 (not implemented) is answered 405 (method not allowed).
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class ContainerErrors extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // Only the order channel has a handshake; an Upgrade header elsewhere gets a problem like any request.
        boolean handshake = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
                && request.getRequestURI().equals(request.getContextPath() + "/orders");
        chain.doFilter(request, handshake ? response : new AsProblem(response, HTTP_METHODS.contains(request.getMethod())));
    }

    /** The methods of HTTP/1.1, and PATCH: only for these may the server's 501 stand. */
    private static final java.util.Set<String> HTTP_METHODS = java.util.Set.of("GET", "HEAD", "POST", "PUT", "DELETE",
            "CONNECT", "OPTIONS", "TRACE", "PATCH");

    /** Turns sendError into a problem+json answer with the same status. */
    private static final class AsProblem extends HttpServletResponseWrapper {

        private final boolean knownMethod;

        AsProblem(HttpServletResponse response, boolean knownMethod) {
            super(response);
            this.knownMethod = knownMethod;
        }

        @Override
        public void sendError(int status) throws IOException {
            sendError(status, null);
        }

        @Override
        public void sendError(int refused, String message) throws IOException {
            int status = refused == SC_NOT_IMPLEMENTED && !knownMethod ? SC_METHOD_NOT_ALLOWED : refused;
            if (isCommitted()) {
                super.sendError(status, message);
                return;
            }
            resetBuffer();
            setStatus(status);
            setContentType(Problem.MEDIA_TYPE);
            setCharacterEncoding("UTF-8");
            byte[] body = Problem.json(status, "http-" + status, "HTTP " + status,
                    "The server refused this request before it reached the application (HTTP status " + status + ").")
                    .toString().getBytes(StandardCharsets.UTF_8);
            setContentLength(body.length);
            getOutputStream().write(body);
            flushBuffer();
        }
    }
}
