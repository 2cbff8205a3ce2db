package shop.orders;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * The address a request comes from, as the per-address limits count it: the TCP peer, or, when that peer is a
 * proxy on this module's {@code trusted-proxies} list ({@link ThisModule#KEYS}), the last address it wrote into
 * {@code X-Forwarded-For}.
 */
final class ClientAddress {

    private ClientAddress() {
    }

    static String of(HttpServletRequest request, List<String> trustedProxies) {
        String peer = request.getRemoteAddr();
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null || !trustedProxies.contains(peer)) {
            return peer; // anyone else's X-Forwarded-For is a claim, not a fact
        }
        // The last entry is the one our proxy added; earlier ones came from the client and may be forged.
        String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).strip();
        return last.isEmpty() || last.length() > 64 ? peer : last;
    }
}
