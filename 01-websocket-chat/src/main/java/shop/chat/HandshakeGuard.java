package shop.chat;

import static shop.chat.HandshakeRequests.cookie;
import static shop.chat.HandshakeRequests.refuse;
import static shop.chat.HandshakeRequests.signedIn;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks every chat WebSocket handshake before it is upgraded: a valid room name, an allowed
 * {@code Origin}, a signed-in session and room under the connection limits. A refused handshake gets
 * an HTTP error with a problem+json body, and no WebSocket is ever opened.
 *
 * <p>An accepted request continues with the signed-in user as its principal, which the endpoint
 * then reads from {@code Session.getUserPrincipal()}.
 */
@WebFilter(urlPatterns = "/chat/*", asyncSupported = true)
public class HandshakeGuard extends HttpFilter {

    static final Pattern VALID_ROOM = Pattern.compile("[a-z0-9-]{1,32}");

    @Inject
    OriginPolicy originPolicy;

    @Inject
    SignIns signIns;

    @Inject
    Connections connections;

    @Inject
    ChatSettings settings;

    // tag::handshake[]
    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String room = path.startsWith("/chat/") ? path.substring("/chat/".length()) : ""; // "/chat" alone: no room
        if (!VALID_ROOM.matcher(room).matches()) {
            refuse(response, 404, "invalid-room", "No such room",
                    "A room name is 1-32 characters of a-z, 0-9 or '-'.");
            return;
        }
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            refuse(response, 426, "upgrade-required", "Upgrade required",
                    "This address is the chat's WebSocket: open it with a WebSocket client, as the page does.");
            return;
        }
        if (!originPolicy.allows(request.getHeader("Origin"), request.getHeader("Host"))) {
            refuse(response, 403, "forbidden-origin", "Origin not allowed",
                    "This page's origin may not open the chat; see chat.allowed-origins.");
            return;
        }
        Optional<SignIn> signIn = signIns.find(cookie(request, SignIns.COOKIE));
        if (signIn.isEmpty()) {
            refuse(response, 403, "not-signed-in", "Not signed in",
                    "Sign in with POST /api/session before opening the chat.");
            return;
        }
        String address = ClientAddress.of(request, settings.trustedProxies());
        Optional<Refusal> full = connections.refusalFor(address);
        if (full.isPresent()) {
            refuse(response, full.get().status(), full.get().code(), "Too many connections", full.get().detail());
            return;
        }
        chain.doFilter(signedIn(request, new Caller(signIn.get(), address)), response);
    }
    // end::handshake[]
}
