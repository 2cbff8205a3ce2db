package shop.orders;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Decides whether a page may open the order WebSocket, by its {@code Origin} header: the pages of
 * this instance, of the shop's other instances ({@code shop.instances}), and any listed in
 * {@code shop.allowed-origins}.
 * A page of instance A reconnects to instance B after a failover, so both origins are the shop's.
 * Without this check any web page could act in a signed-in customer's name (cross-site WebSocket hijacking).
 */
@ApplicationScoped
public class OriginPolicy {

    @Inject
    ShopSettings settings;

    public boolean allows(String origin, String host) {
        if (origin == null) {
            return false; // browsers always send Origin on a WebSocket handshake
        }
        return settings.allowedOrigins().stream().anyMatch(origin::equalsIgnoreCase) || sameOrigin(origin, host);
    }

    /** The page's own server: the Origin names the host and port the browser connected to. */
    private static boolean sameOrigin(String origin, String host) {
        try {
            String authority = java.net.URI.create(origin).getRawAuthority();
            return host != null && authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
