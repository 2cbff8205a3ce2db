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
import java.security.Principal;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks every chat WebSocket handshake before it is upgraded: a valid room name, an allowed
 * {@code Origin} and a signed-in session. A refused handshake gets an HTTP error with a
 * problem+json body, and no WebSocket is ever opened.
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

    // tag::handshake[]
    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String room = request.getRequestURI().substring(request.getContextPath().length() + "/chat/".length());
        if (!VALID_ROOM.matcher(room).matches()) {
            refuse(response, 404, "invalid-room", "No such room",
                    "A room name is 1-32 characters of a-z, 0-9 or '-'.");
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
        chain.doFilter(new SignedInRequest(request, signIn.get()), response);
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
        response.setContentType(Problem.MEDIA_TYPE);
        response.getWriter().write(Problem.json(status, code, title, detail).toString());
    }

    /** The handshake request, now carrying the signed-in user as its principal. */
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
