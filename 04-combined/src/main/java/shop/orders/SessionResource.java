package shop.orders;

import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.spi.JsonProvider;
import jakarta.security.enterprise.credential.Password;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
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
import java.io.StringReader;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Sign-in and sign-out: {@code POST /api/session {"name":"ada","password":"…"}} checks the password with
 * Jakarta Security's identity store ({@link DemoCustomers}) and sets a new signed session cookie, revoking the
 * customer's older ones; {@code DELETE /api/session} revokes it, and its sockets close on every instance.
 */
@Path("/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private static final JsonProvider JSON = JsonProvider.provider();

    /** Longer passwords are refused before any hashing: a megabyte "password" is not a sign-in. */
    static final int MAX_PASSWORD = 128;

    @Inject
    SignIns signIns;
    @Inject
    ShopSettings settings;
    @Inject
    SignInLimits limits;
    @Inject
    PasswordChecks passwordChecks;
    @Inject
    IdentityStoreHandler identityStores;
    @Inject
    Revocations revocations;

    // tag::sign-in[]
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response signIn(String body, @Context SecurityContext channel, @Context HttpServletRequest request) {
        String name;
        String password;
        try (JsonReader reader = JSON.createReader(new StringReader(body))) {
            JsonObject json = reader.readObject();
            name = json.getString("name", "");
            password = json.get("password") instanceof JsonString p ? p.getString() : "";
        } catch (JsonException | ClassCastException | IllegalStateException e) {
            return Problem.response(400, "malformed-json", "Malformed JSON", "Send {\"name\":\"ada\",\"password\":\"…\"}.");
        }
        if (!SignIns.VALID_NAME.matcher(name).matches()) {
            return Problem.response(400, "invalid-name", "Invalid name",
                    "A name is 1-32 characters of A-Z, a-z, 0-9, '_' or '-'.");
        }
        if (password.isEmpty() || password.length() > MAX_PASSWORD) {
            return Problem.response(400, "invalid-password", "Invalid password",
                    "A password is 1-" + MAX_PASSWORD + " characters.");
        }
        OptionalLong retryAfter = limits.attempt(name, ClientAddress.of(request, settings.trustedProxies()));
        if (retryAfter.isPresent()) {
            return Response.fromResponse(Problem.response(429, "too-many-sign-ins", "Too many sign-in attempts",
                    "At most " + settings.signInsPerNamePerMinute() + " a minute per name and "
                            + settings.signInsPerAddressPerMinute() + " per address; try again later."))
                    .header("Retry-After", retryAfter.getAsLong()).build();
        }
        if (!passwordChecks.begin()) {
            return Response.fromResponse(Problem.response(429, "sign-ins-busy", "Too many sign-ins at once",
                    "The shop is checking other passwords; try again in a second.")).header("Retry-After", 1).build();
        }
        CredentialValidationResult result;
        try {
            result = identityStores.validate(new UsernamePasswordCredential(name, new Password(password)));
        } finally {
            passwordChecks.end();
        }
        if (result.getStatus() != CredentialValidationResult.Status.VALID) {
            // One answer for a wrong password and an unknown name: nobody learns who is a customer here.
            return Problem.response(401, "sign-in-failed", "Sign-in failed", "Wrong name or password.");
        }
        SignIns.Token token = signIns.signIn(name);
        try {
            // A new session each sign-in; the customer's older tokens stop working, on every instance.
            revocations.revoke(name, token.signIn().issued());
        } catch (ConfirmedPublisher.BrokerUnavailable e) {
            return Problem.response(503, "broker-unavailable", "Try again shortly",
                    "The shop cannot reach its broker to end your older sessions; you are not signed in.");
        }
        NewCookie cookie = cookie(token.value(), channel, (int) settings.sessionLifetime().toSeconds());
        return Response.ok(JSON.createObjectBuilder().add("customer", name).build().toString()).cookie(cookie).build();
    }
    // end::sign-in[]

    /** Who is signed in: 200 with the customer, or 204 when nobody is (a question with an answer, not an error). */
    @GET
    public Response whoAmI(@CookieParam(SignIns.COOKIE) String token) {
        return signIns.find(token)
                .map(s -> Response.ok(JSON.createObjectBuilder().add("customer", s.customer()).build().toString()).build())
                .orElseGet(() -> Response.noContent().build());
    }

    // tag::sign-out[]
    @DELETE
    public Response signOut(@CookieParam(SignIns.COOKIE) String token, @Context SecurityContext channel) {
        Optional<SignIn> signIn = signIns.find(token);
        NewCookie expired = cookie("", channel, 0);
        if (signIn.isPresent()) {
            try {
                // This token and any older one: refused, and their sockets closed, on every instance.
                revocations.revoke(signIn.get().customer(), signIn.get().issued() + 1);
            } catch (ConfirmedPublisher.BrokerUnavailable e) {
                return Response.fromResponse(Problem.response(503, "broker-unavailable", "Signed out here only",
                        "This instance no longer accepts your session, but the shop could not tell its other instances;"
                                + " sign out again shortly.")).cookie(expired).build();
            }
        }
        return Response.noContent().cookie(expired).build();
    }
    // end::sign-out[]

    /**
     * HttpOnly: the page's scripts never see it. Secure when signed in over https: the browser then never sends
     * it over plain http, where anyone on the way could copy it. Not over http: browsers drop a Secure cookie set there.
     */
    private static NewCookie cookie(String token, SecurityContext channel, int maxAge) {
        return new NewCookie.Builder(SignIns.COOKIE).value(token).path("/").httpOnly(true).secure(channel.isSecure())
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }
}
