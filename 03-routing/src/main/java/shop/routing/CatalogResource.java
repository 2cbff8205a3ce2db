package shop.routing;

import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.regex.Pattern;
import shop.routing.cache.Invalidations;

/** {@code POST /api/catalog/{sku}/invalidation}: every server drops its cached copy of one catalogue entry. */
@Path("/catalog/{sku}/invalidation")
public class CatalogResource {

    static final Pattern SKU = Pattern.compile("[a-z0-9-]{1,40}");

    @Inject
    Invalidations invalidations;

    @POST
    public Response invalidate(@PathParam("sku") String sku) throws JMSException {
        if (!SKU.matcher(sku).matches()) {
            return Problem.badRequest("invalid-sku", "Invalid SKU", "A SKU is 1-40 characters of a-z, 0-9 or '-'.");
        }
        invalidations.invalidate(sku);
        return Response.accepted().build();
    }
}
