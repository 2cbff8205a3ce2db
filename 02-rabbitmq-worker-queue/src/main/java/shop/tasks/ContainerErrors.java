package shop.tasks;

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
 * other refusal, instead of the server's HTML error page, which names the server. A method the server does not
 * know at all ({@code GÉT}, {@code FOO}) is the client's error: 405, not the server's 501. Only the handshakes of the
 * dashboard's WebSocket pass untouched; a handshake to another path ({@code /dashboard/}) is answered like any other
 * request to it, though the container drops its Content-Type (found by fuzzing: both got the server's own answer).
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class ContainerErrors extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean handshake = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
                && DashboardEndpoint.PATH.equals(request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo()));
        chain.doFilter(request, handshake ? response : new AsProblem(response));
    }

    /** Turns sendError into a problem+json answer with the same status. */
    private static final class AsProblem extends HttpServletResponseWrapper {

        AsProblem(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void sendError(int status) throws IOException {
            sendError(status, null);
        }

        @Override
        public void sendError(int code, String message) throws IOException {
            if (isCommitted()) {
                super.sendError(code, message);
                return;
            }
            int status = code == 501 ? 405 : code; // a method nobody knows: the servlet's 501 "not implemented"
            if (status == 405 && !containsHeader("Allow")) {
                setHeader("Allow", "GET, HEAD, OPTIONS"); // the static pages' methods; the API's 405 come from JAX-RS
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
