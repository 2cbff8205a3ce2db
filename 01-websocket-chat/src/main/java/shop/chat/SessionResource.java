package shop.chat;

import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
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
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Sign-in: {@code POST /api/session} with a name (a guest), or a member's name and password, sets the session cookie
 * the chat WebSocket requires.
 */
@Path("session")
public class SessionResource {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    SignIns signIns;

    @Inject
    Connections connections;

    @Inject
    ChatSettings settings;

    @Inject
    DemoMembers members;

    @Inject
    PasswordAttempts passwordAttempts;

    /**
     * Jakarta Security's handler: it asks every {@code IdentityStore} bean of the application, here {@link DemoMembers}.
     * It needs no authentication mechanism: the chat checks passwords only here, and keeps its own session cookie.
     * (Should one be added: Soteria 4.0.1, in Payara 7.2025.1, gives the mechanisms' handler this handler's bean id,
     * eclipse-ee4j/soteria#417; check that a sign-in still reaches {@link DemoMembers}, as the tests do.)
     */
    @Inject
    IdentityStoreHandler identityStores;

    // tag::sign-in[]
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response signIn(InputStream input, @CookieParam(SignIns.COOKIE) String previous, @Context UriInfo uri,
                           @Context HttpServletRequest request) throws IOException {
        Optional<String> body = BoundedBody.read(input, settings.maxBodyBytes()); // a declared length: see BodyLimit
        if (body.isEmpty()) {
            return Problem.response(413, "body-too-large", "Body too large",
                    "A request body is at most " + settings.maxBodyBytes() + " bytes.");
        }
        if (JsonInput.deeperThan(body.get(), settings.maxJsonDepth())) {
            return invalid("The body nests at most " + settings.maxJsonDepth() + " levels of JSON.");
        }
        String address = ClientAddress.of(request, settings.trustedProxies());
        Optional<Refusal> refusal = signIns.refusalFor(address);
        if (refusal.isPresent()) {
            return Problem.response(refusal.get().status(), refusal.get().code(), "Sign-in refused",
                    refusal.get().detail());
        }
        Response answer = switch (SignInForm.parse(body.get())) {
            case SignInForm.Invalid invalid -> invalid(invalid.detail());
            case SignInForm.Guest guest -> signInAsGuest(guest.name(), uri);
            case SignInForm.Password member -> signInAsMember(member, address, uri);
        };
        if (answer.getStatus() == 201) {
            // a new token on every sign-in: the one this browser had before ends, with its sockets
            signIns.signOut(previous).ifPresent(s -> connections.closeAllOf(s, "Signed in again: this session has ended."));
        }
        return answer;
    }

    private Response signInAsGuest(String name, UriInfo uri) {
        if (members.isMember(name)) {
            // or a guest could sign in as "ada" and take what is meant for the member ada
            return Problem.response(403, "name-reserved", "Name reserved", "\"" + name + "\" is a member's name: "
                    + "sign in with its password, or pick another name to join as a guest.");
        }
        return created(name, false, signIns.signInGuest(name), uri);
    }
    // end::sign-in[]

    // tag::member-sign-in[]
    private Response signInAsMember(SignInForm.Password form, String address, UriInfo uri) {
        Optional<PasswordAttempts.TooMany> tooMany = passwordAttempts.refusalFor(form.name(), address);
        if (tooMany.isPresent()) { // refused before the hash is checked: guessing costs the guesser, not the server
            return Response.fromResponse(Problem.response(429, "too-many-password-attempts", "Too many attempts",
                            tooMany.get().detail() + " Try again later."))
                    .header("Retry-After", Math.max(1, tooMany.get().retryAfter().toSeconds())).build();
        }
        CredentialValidationResult result = identityStores.validate(
                new UsernamePasswordCredential(form.name(), form.password()));
        if (result.getStatus() != CredentialValidationResult.Status.VALID) {
            // the same answer for a wrong password and for a name that is no member's: it does not tell which
            return Problem.response(401, "wrong-name-or-password", "Wrong name or password",
                    "That name and password do not match a member. Guests leave the password out.");
        }
        passwordAttempts.succeeded(form.name(), address);
        String name = result.getCallerPrincipal().getName(); // the member's own spelling: "Ada" signs in as "ada"
        SignIns.Issued issued = signIns.signInMember(name);
        // one live sign-in per member: the earlier one ends, and so do its sockets (1008, not retried by the page)
        issued.ended().ifPresent(s -> connections.closeAllOf(s, "Signed in elsewhere: this session has ended."));
        return created(name, true, issued.token(), uri);
    }
    // end::member-sign-in[]

    private static Response created(String name, boolean member, String token, UriInfo uri) {
        NewCookie cookie = new NewCookie.Builder(SignIns.COOKIE)
                .value(token)
                .path("/")
                .httpOnly(true)                          // page scripts cannot read (or leak) the token
                .sameSite(NewCookie.SameSite.STRICT)     // other sites' requests do not carry it
                .secure("https".equals(uri.getBaseUri().getScheme()))
                .build();
        return Response.status(Response.Status.CREATED).cookie(cookie).entity(who(name, member)).build();
    }

    /** Who am I? Lets the page, which cannot read its HttpOnly cookie, know whether it is signed in. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response whoAmI(@CookieParam(SignIns.COOKIE) String token) {
        return signIns.find(token)
                .map(s -> Response.ok(who(s.name(), s.isMember())))
                .orElseGet(() -> Response.status(401).type(Problem.MEDIA_TYPE).entity(Problem.json(401,
                        "not-signed-in", "Not signed in", "Sign in with POST /api/session.").toString()))
                .build();
    }

    @DELETE
    public Response signOut(@CookieParam(SignIns.COOKIE) String token) {
        signIns.signOut(token).ifPresent(s -> connections.closeAllOf(s, "Signed out."));
        NewCookie expired = new NewCookie.Builder(SignIns.COOKIE).value("").path("/").maxAge(0)
                .httpOnly(true).sameSite(NewCookie.SameSite.STRICT).build();
        return Response.noContent().cookie(expired).build();
    }

    /** The answer to "who am I?": the name, and whether a member (signed in with a password) or a guest. */
    private static String who(String name, boolean member) {
        return JSON.createObjectBuilder().add("name", name).add("member", member).build().toString();
    }

    private static Response invalid(String detail) {
        return Problem.response(400, "invalid-sign-in", "Invalid sign-in", detail);
    }
}
