package shop.tasks;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;

/**
 * Refuses a dashboard handshake from another site's page (cross-site WebSocket hijacking) with a
 * 403 problem+json, before any WebSocket is opened. Clients without an Origin are not browsers.
 */
@WebFilter(urlPatterns = "/dashboard", asyncSupported = true)
public class DashboardGuard extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String origin = request.getHeader("Origin");
        if (origin != null && !sameOrigin(origin, request.getHeader("Host"))) {
            response.setStatus(403);
            response.setContentType(Problem.MEDIA_TYPE);
            response.getWriter().write(Problem.json(403, "forbidden-origin", "Origin not allowed",
                    "Only pages served by this producer may open its dashboard.").toString());
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean sameOrigin(String origin, String host) {
        try {
            String authority = URI.create(origin).getRawAuthority();
            return host != null && authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
