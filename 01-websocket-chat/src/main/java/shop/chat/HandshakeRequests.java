package shop.chat;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Arrays;

/** What a filter that checks WebSocket handshakes needs from the servlet API: a cookie, a refusal, a principal. */
public final class HandshakeRequests {

    private HandshakeRequests() {
    }

    /** The value of the request's cookie {@code name}, or null when it has none. */
    public static String cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        return Arrays.stream(cookies).filter(c -> name.equals(c.getName()))
                .map(Cookie::getValue).findFirst().orElse(null);
    }

    /** Answers the handshake with an HTTP error and a problem+json body: no WebSocket is opened. */
    public static void refuse(HttpServletResponse response, int status, String code, String title, String detail)
            throws IOException {
        response.setStatus(status);
        // No "Upgrade: websocket" header, not even on a 426, though HTTP asks for one there: Payara Micro takes any
        // answer that carries it for an upgrade, and sends it without its length (or Content-Type), leaving the
        // connection open, so the client would wait for the end of the body forever. The problem's detail says what to do.
        response.setContentType(Problem.MEDIA_TYPE);
        byte[] body = Problem.json(status, code, title, detail).toString().getBytes(StandardCharsets.UTF_8);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The handshake request, now carrying {@code caller} as its principal, which the endpoint reads from {@code Session.getUserPrincipal()}. */
    public static HttpServletRequest signedIn(HttpServletRequest request, Principal caller) {
        return new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return caller;
            }
        };
    }
}
