package shop.routing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads HTTP Basic credentials ({@code Authorization: Basic ...}) on the requests that change subscriptions, and
 * checks them against the {@link Users} store. It never answers by itself: a request without valid credentials
 * goes on anonymous, and {@link OperatorCheck} answers it with a 401 problem+json, not the server's HTML page; past
 * the {@link PasswordAttempts} limits, with a 429 before any hash is computed.
 */
@ApplicationScoped
public class BasicSignIn implements HttpAuthenticationMechanism {

    /** Set on a request whose credentials were given but wrong, so that its 401 can say so. */
    static final String REFUSED = "routing.sign-in-refused";
    /** Set, to a {@link PasswordAttempts.TooMany}, on a request refused before its password was checked (429). */
    static final String TOO_MANY = "routing.sign-in-too-many";
    private static final Set<String> WRITES = Set.of("POST", "PUT", "DELETE");

    @Inject
    IdentityStoreHandler identityStores;

    @Inject
    PasswordAttempts attempts;

    @Inject
    @ConfigProperty(name = "routing.trusted-proxies")
    Optional<String> trustedProxies; // a String, split here: Payara's config producer cannot inject Optional<List<String>>

    // tag::mechanism[]
    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        String header = request.getHeader("Authorization");
        // A password check costs a PBKDF2 hash: only the requests that need one pay it, not every GET of the live page.
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6) || !WRITES.contains(request.getMethod())
                || !request.getRequestURI().startsWith(request.getContextPath() + "/api/subscriptions")) {
            return context.doNothing();
        }
        String[] nameAndPassword = decode(header.substring(6).trim());
        if (nameAndPassword.length != 2) {
            request.setAttribute(REFUSED, true);
            return context.doNothing(); // no name and password to check: no hash, nothing to count
        }
        String address = ClientAddress.of(request, List.of(trustedProxies.orElse("").split("\\s*,\\s*")));
        Optional<PasswordAttempts.TooMany> tooMany = attempts.refusalFor(nameAndPassword[0], address);
        if (tooMany.isPresent()) { // refused before the hash is checked: guessing costs the guesser, not the server
            request.setAttribute(TOO_MANY, tooMany.get());
            return context.doNothing(); // anonymous: OperatorCheck answers 429
        }
        CredentialValidationResult result =
                identityStores.validate(new UsernamePasswordCredential(nameAndPassword[0], nameAndPassword[1]));
        if (result.getStatus() == CredentialValidationResult.Status.VALID) {
            attempts.succeeded(nameAndPassword[0], address);
            return context.notifyContainerAboutLogin(result.getCallerPrincipal(), result.getCallerGroups());
        }
        request.setAttribute(REFUSED, true);
        return context.doNothing(); // anonymous: OperatorCheck answers 401
    }
    // end::mechanism[]

    private static String[] decode(String token) {
        try {
            return new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).split(":", 2);
        } catch (IllegalArgumentException e) {
            return new String[0];
        }
    }
}
