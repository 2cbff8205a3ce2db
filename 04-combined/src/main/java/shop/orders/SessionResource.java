package shop.orders;

import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/** Sign-in and sign-out: {@code POST /api/session {"name":"alice"}} sets the signed session cookie. */
@Path("/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    @Inject
    SignIns signIns;
    @Inject
    ShopSettings settings;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response signIn(String body, @Context SecurityContext channel) {
        String name;
        try {
            name = Json.parse(body).getString("name", "");
        } catch (JsonException | ClassCastException | IllegalStateException e) {
            return Problem.response(400, "malformed-json", "Malformed JSON", "Send {\"name\":\"alice\"}.");
        }
        if (!SignIns.VALID_NAME.matcher(name).matches()) {
            return Problem.response(400, "invalid-name", "Invalid name",
                    "A name is 1-32 characters of A-Z, a-z, 0-9, '_' or '-'.");
        }
        // Secure when signed in over https: the browser then never sends the sign-in over plain http,
        // where anyone on the way could copy it. Not over http: browsers drop a Secure cookie set there.
        NewCookie cookie = new NewCookie.Builder(SignIns.COOKIE).value(signIns.signIn(name)).path("/")
                .httpOnly(true).secure(channel.isSecure()).sameSite(NewCookie.SameSite.STRICT)
                .maxAge((int) settings.sessionLifetime().toSeconds()).build();
        JsonObject me = Json.object().add("customer", name).build();
        return Response.ok(me.toString()).cookie(cookie).build();
    }

    /** Who is signed in: 200 with the customer, or 204 when nobody is (a question with an answer, not an error). */
    @GET
    public Response whoAmI(@CookieParam(SignIns.COOKIE) String token) {
        return signIns.find(token)
                .map(s -> Response.ok(Json.object().add("customer", s.customer()).build().toString()).build())
                .orElseGet(() -> Response.noContent().build());
    }

    @DELETE
    public Response signOut(@Context SecurityContext channel) {
        NewCookie expired = new NewCookie.Builder(SignIns.COOKIE).value("").path("/").maxAge(0)
                .httpOnly(true).secure(channel.isSecure()).sameSite(NewCookie.SameSite.STRICT).build();
        return Response.noContent().cookie(expired).build();
    }
}
