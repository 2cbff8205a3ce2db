package shop.tasks;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Stops another web site from changing anything here through a visitor's browser: a state-changing request with a
 * body must carry {@code application/json} (415 otherwise) and, if it names an {@code Origin}, come from this
 * server's own or one listed in this module's {@code allowed-origins} key ({@link ThisModule#KEYS}; 403 otherwise).
 */
@Provider
@PreMatching
public class CrossSiteGuard implements ContainerRequestFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final List<String> allowed = ConfigProvider.getConfig()
            .getOptionalValues(ThisModule.KEYS + "allowed-origins", String.class).orElse(List.of());

    @Override
    public void filter(ContainerRequestContext request) {
        if (SAFE.contains(request.getMethod())) {
            return;
        }
        String origin = request.getHeaderString("Origin");
        // A browser sends Origin with every cross-site POST or DELETE; a page of this server's own has the Host's origin.
        if (origin != null && !origin.equals(ownOrigin(request)) && !allowed.contains(origin)) {
            request.abortWith(Problem.response(403, "foreign-origin", "Foreign origin",
                    "A page from " + origin + " may not change anything here; only this server's own pages, or an origin "
                            + "listed in " + ThisModule.KEYS + "allowed-origins, may. " + ThisModule.NOTHING_DONE));
            return;
        }
        // A form post, fetch(..., {mode: 'no-cors'}) or sendBeacon cannot send application/json without a CORS
        // preflight, which this server never grants; so a JSON-only API is out of their reach.
        MediaType type = request.getMediaType();
        // A bodiless POST needs no type: with no body there is nothing to forge (02's task API answers it 400, 03's cache
        // invalidation needs no body).
        // Read from the headers only: hasEntity() would wait for a body that a hostile client may never send.
        boolean body = type != null || request.getLength() > 0 || request.getHeaderString("Transfer-Encoding") != null;
        if (!request.getMethod().equals("DELETE") && body && !json(type)) {
            request.abortWith(Problem.response(415, "json-only", "JSON only",
                    "Send the body as Content-Type: application/json (got " + (type == null ? "none" : type.toString())
                            + "). " + ThisModule.NOTHING_DONE));
        }
    }

    /** Exactly application/json: a wildcard such as {@code *}{@code /*} would be "compatible" and let anything in. */
    private static boolean json(MediaType type) {
        return type != null && type.getType().equalsIgnoreCase("application") && type.getSubtype().equalsIgnoreCase("json");
    }

    private static String ownOrigin(ContainerRequestContext request) {
        return request.getUriInfo().getBaseUri().getScheme() + "://" + request.getHeaderString("Host");
    }
}
