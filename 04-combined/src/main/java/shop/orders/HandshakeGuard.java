package shop.orders;

import static shop.orders.HandshakeRequests.cookie;
import static shop.orders.HandshakeRequests.refuse;
import static shop.orders.HandshakeRequests.signedIn;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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
        Optional<SignIn> signIn = signIns.find(cookie(request, SignIns.COOKIE));
        if (signIn.isEmpty()) {
            refuse(response, 403, "not-signed-in", "Not signed in",
                    "Sign in with POST /api/session before opening the order channel.");
            return;
        }
        chain.doFilter(signedIn(request, signIn.get()), response);
    }
}
