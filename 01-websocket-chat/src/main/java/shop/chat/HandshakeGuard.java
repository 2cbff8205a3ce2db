package shop.chat;

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
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Arrays;
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
        Optional<SignIn> signIn = signIns.find(sessionToken(request));
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
        chain.doFilter(new SignedInRequest(request, new Caller(signIn.get(), address)), response);
    }
    // end::handshake[]

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
        // No "Upgrade: websocket" header on the 426, though HTTP asks for one: Payara Micro takes any answer that
        // carries it for an upgrade, and sends it without its length (or Content-Type), leaving the connection
        // open, so the client would wait for the end of the body forever. The problem's detail says what to do.
        response.setContentType(Problem.MEDIA_TYPE);
        byte[] body = Problem.json(status, code, title, detail).toString().getBytes(StandardCharsets.UTF_8);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The handshake request, now carrying the signed-in user and its client address as its principal. */
    private static final class SignedInRequest extends HttpServletRequestWrapper {
        private final Caller caller;

        SignedInRequest(HttpServletRequest request, Caller caller) {
            super(request);
            this.caller = caller;
        }

        @Override
        public Principal getUserPrincipal() {
            return caller;
        }
    }
}
