package shop.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;

/**
 * Decides whether a browser page may open a chat WebSocket, by its {@code Origin} header.
 *
 * <p>Browsers send cookies with a cross-site WebSocket handshake (SameSite does not cover every case,
 * and older browsers ignore it), so without this check any web page could chat in the user's name:
 * cross-site WebSocket hijacking. The default allows the page's own origin only: the Origin must
 * name the host and port the browser connected to ({@code Host} header).
 */
@ApplicationScoped
public class OriginPolicy {

    @Inject
    ChatSettings settings;

    public boolean allows(String origin, String host) {
        if (origin == null || origin.isBlank()) {
            return false; // browsers always send Origin on a WebSocket handshake; a missing one is not a page of ours
        }
        return settings.allowedOrigins().contains(origin) || sameOrigin(origin, host);
    }

    private static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI page = URI.create(origin);
            if (!"http".equals(page.getScheme()) && !"https".equals(page.getScheme())) {
                return false;
            }
            URI requested = URI.create(page.getScheme() + "://" + host); // parses "[::1]:8081" as well as "shop:80"
            return page.getHost() != null && page.getHost().equalsIgnoreCase(requested.getHost())
                    && port(page) == port(requested);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
    }
}
