package shop.routing;

import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code GET /api/deliveries?after={seq}}: who got which message since {@code seq}, for the live page. */
@Path("/deliveries")
public class DeliveriesResource {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    Deliveries deliveries;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response after(@QueryParam("after") @DefaultValue("0") String after) {
        long seq;
        try {
            seq = Long.parseLong(after);
        } catch (NumberFormatException e) {
            return Problem.badRequest("invalid-after", "Invalid \"after\"", "\"after\" is a sequence number from an earlier answer.");
        }
        JsonArrayBuilder array = JSON.createArrayBuilder();
        deliveries.after(seq).forEach(d -> array.add(d.toJson()));
        return Response.ok(array.build().toString()).build();
    }
}
