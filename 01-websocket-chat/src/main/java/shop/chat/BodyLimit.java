package shop.chat;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses an API request whose declared body is over {@code chat.max-body-bytes} with 413 problem+json, before
 * the framework reads a byte of it. (A body without a declared length is cut by {@link BoundedBody} instead.)
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class BodyLimit extends HttpFilter {

    /**
     * Up to this much of a refused body is read and thrown away, so that a client that sends its whole body before
     * reading the answer still sees the 413 (as Tomcat's maxSwallowSize does). Past it the connection is closed.
     */
    static final long DRAIN_LIMIT = 1024 * 1024;

    @Inject
    ChatSettings settings;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long declared = request.getContentLengthLong();
        if (declared > settings.maxBodyBytes()) {
            refuse(request, response, settings.maxBodyBytes());
            return;
        }
        chain.doFilter(request, response);
    }

    /** Answers 413, after draining what is left of a body that is not much larger than the limit. */
    static void refuse(HttpServletRequest request, HttpServletResponse response, int maxBytes) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared >= 0 && declared <= DRAIN_LIMIT) {
            request.getInputStream().skipNBytes(declared);
        } else if (declared < 0) {
            drain(request.getInputStream());
        } else {
            response.setHeader("Connection", "close"); // nothing of a huge body is read: this connection ends
        }
        response.setStatus(413);
        response.setContentType(Problem.MEDIA_TYPE);
        response.getWriter().write(Problem.json(413, "body-too-large", "Body too large",
                "A request body is at most " + maxBytes + " bytes.").toString());
    }

    private static void drain(InputStream input) throws IOException {
        long left = DRAIN_LIMIT;
        byte[] buffer = new byte[8192];
        int read;
        while (left > 0 && (read = input.read(buffer, 0, (int) Math.min(buffer.length, left))) != -1) {
            left -= read;
        }
    }
}
