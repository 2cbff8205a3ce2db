package shop.orders;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Adds the browser security headers to every response: a strict Content-Security-Policy (scripts only
 * from this origin, no inline script, no framing; WebSockets to this shop's instances and to the board's
 * Web-STOMP only), no MIME sniffing, no referrer. Defence in depth behind rendering every text with textContent.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SecurityHeaders extends HttpFilter {

    @Inject
    ShopSettings settings;
    @Inject
    Board board;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String instances = settings.instances().stream().map(u -> u.replaceFirst("^http", "ws"))
                .collect(Collectors.joining(" "));
        response.setHeader("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                + "img-src 'self'; connect-src 'self' " + instances + " " + board.stompUrl() + "; object-src 'none'; base-uri 'none'; "
                + "form-action 'self'; frame-ancestors 'none'");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        chain.doFilter(request, response);
    }
}
