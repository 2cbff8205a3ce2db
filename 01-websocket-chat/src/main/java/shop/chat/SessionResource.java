package shop.chat;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
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
import jakarta.ws.rs.core.UriInfo;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.Optional;
import java.util.Set;

/** Sign-in: {@code POST /api/session} with a name sets the session cookie the chat WebSocket requires. */
@Path("session")
public class SessionResource {

    @Inject
    SignIns signIns;

    @Inject
    Connections connections;

    @Inject
    ChatSettings settings;

    // tag::sign-in[]
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response signIn(InputStream input, @Context UriInfo uri, @Context HttpServletRequest request)
            throws IOException {
        Optional<String> body = BoundedBody.read(input, settings.maxBodyBytes()); // a declared length: see BodyLimit
        if (body.isEmpty()) {
            return Problem.response(413, "body-too-large", "Body too large",
                    "A request body is at most " + settings.maxBodyBytes() + " bytes.");
        }
        if (JsonInput.deeperThan(body.get(), settings.maxJsonDepth())) {
            return invalid("The body nests at most " + settings.maxJsonDepth() + " levels of JSON.");
        }
        Optional<Refusal> refusal = signIns.refusalFor(ClientAddress.of(request, settings.trustedProxies()));
        if (refusal.isPresent()) {
            return Problem.response(refusal.get().status(), refusal.get().code(), "Sign-in refused",
                    refusal.get().detail());
        }
        String name;
        try (JsonReader reader = Json.createReader(new StringReader(body.get()))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                return invalid("The body is a JSON object: {\"name\":\"alice\"}.");
            }
            JsonObject json = value.asJsonObject();
            if (!Set.of("name").containsAll(json.keySet())) {
                return invalid("Only the field \"name\" is allowed.");
            }
            if (!(json.get("name") instanceof JsonString s) || !SignIns.VALID_NAME.matcher(s.getString()).matches()) {
                return invalid("A name is 1-32 characters of letters, digits, '_' or '-'.");
            }
            name = s.getString();
        } catch (JsonException e) {
            return invalid("The body is not valid JSON.");
        }
        String token = signIns.signIn(name);
        NewCookie cookie = new NewCookie.Builder(SignIns.COOKIE)
                .value(token)
                .path("/")
                .httpOnly(true)                          // page scripts cannot read (or leak) the token
                .sameSite(NewCookie.SameSite.STRICT)     // other sites' requests do not carry it
                .secure("https".equals(uri.getBaseUri().getScheme()))
                .build();
        return Response.status(Response.Status.CREATED).cookie(cookie)
                .entity(Json.createObjectBuilder().add("name", name).build().toString()).build();
    }
    // end::sign-in[]

    /** Who am I? Lets the page, which cannot read its HttpOnly cookie, know whether it is signed in. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response whoAmI(@CookieParam(SignIns.COOKIE) String token) {
        return signIns.find(token)
                .map(s -> Response.ok(Json.createObjectBuilder().add("name", s.name()).build().toString()))
                .orElseGet(() -> Response.status(401).type(Problem.MEDIA_TYPE).entity(Problem.json(401,
                        "not-signed-in", "Not signed in", "Sign in with POST /api/session.").toString()))
                .build();
    }

    @DELETE
    public Response signOut(@CookieParam(SignIns.COOKIE) String token) {
        signIns.signOut(token).ifPresent(connections::closeAllOf);
        NewCookie expired = new NewCookie.Builder(SignIns.COOKIE).value("").path("/").maxAge(0)
                .httpOnly(true).sameSite(NewCookie.SameSite.STRICT).build();
        return Response.noContent().cookie(expired).build();
    }

    private static Response invalid(String detail) {
        return Problem.response(400, "invalid-sign-in", "Invalid sign-in", detail);
    }
}
