package shop.orders;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Arrays;
import java.util.Optional;

/**
 * Checks every order WebSocket handshake before it is upgraded: an allowed {@code Origin} and a
 * valid signed session. A refused handshake gets an HTTP error with a problem+json body, and no
 * WebSocket is opened. An accepted one continues with the customer as its principal.
 */
@WebFilter(urlPatterns = "/orders", asyncSupported = true)
public class HandshakeGuard extends HttpFilter {

    @Inject
    OriginPolicy originPolicy;
    @Inject
    SignIns signIns;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!originPolicy.allows(request.getHeader("Origin"), request.getHeader("Host"))) {
            refuse(response, 403, "forbidden-origin", "Origin not allowed",
                    "Only the shop's own pages may open the order channel; see shop.allowed-origins.");
            return;
        }
        Optional<SignIn> signIn = signIns.find(sessionToken(request));
        if (signIn.isEmpty()) {
            refuse(response, 403, "not-signed-in", "Not signed in",
                    "Sign in with POST /api/session before opening the order channel.");
            return;
        }
        chain.doFilter(new SignedInRequest(request, signIn.get()), response);
    }

    static String sessionToken(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        return Arrays.stream(cookies).filter(c -> SignIns.COOKIE.equals(c.getName()))
                .map(Cookie::getValue).findFirst().orElse(null);
    }

    private static void refuse(HttpServletResponse response, int status, String code, String title, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType(Problem.MEDIA_TYPE);
        response.getWriter().write(Problem.json(status, code, title, detail).toString());
    }

    /** The handshake request, now carrying the customer as its principal. */
    private static final class SignedInRequest extends HttpServletRequestWrapper {
        private final SignIn signIn;

        SignedInRequest(HttpServletRequest request, SignIn signIn) {
            super(request);
            this.signIn = signIn;
        }

        @Override
        public Principal getUserPrincipal() {
            return signIn;
        }
    }
}
