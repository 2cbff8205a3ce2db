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
import java.util.Set;

/**
 * Reads HTTP Basic credentials ({@code Authorization: Basic ...}) on the requests that change subscriptions, and
 * checks them against the {@link Users} store. It never answers by itself: a request without valid credentials
 * goes on anonymous, and {@link OperatorCheck} answers it with a 401 problem+json, not the server's HTML page.
 */
@ApplicationScoped
public class BasicSignIn implements HttpAuthenticationMechanism {

    /** Set on a request whose credentials were given but wrong, so that its 401 can say so. */
    static final String REFUSED = "routing.sign-in-refused";
    private static final Set<String> WRITES = Set.of("POST", "PUT", "DELETE");

    @Inject
    IdentityStoreHandler identityStores;

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
        CredentialValidationResult result = nameAndPassword.length != 2 ? CredentialValidationResult.INVALID_RESULT
                : identityStores.validate(new UsernamePasswordCredential(nameAndPassword[0], nameAndPassword[1]));
        if (result.getStatus() == CredentialValidationResult.Status.VALID) {
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
