package shop.routing;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;

/**
 * Lets only the {@code operator} role through to an {@link OperatorOnly} method: anonymous, or with a wrong password,
 * {@code 401} with a Basic challenge; past the limit on wrong passwords, {@code 429}; signed in without the role,
 * {@code 403}. All as problem+json, before the body is read, so nothing about the request is looked at for someone
 * who may not make it.
 */
@Provider
@OperatorOnly
@Priority(Priorities.AUTHORIZATION)
public class OperatorCheck implements ContainerRequestFilter {

    static final String ROLE = "operator";

    @Context
    HttpServletRequest servletRequest;

    // tag::check[]
    @Override
    public void filter(ContainerRequestContext request) {
        SecurityContext caller = request.getSecurityContext();
        if (servletRequest.getAttribute(BasicSignIn.TOO_MANY) instanceof PasswordAttempts.TooMany tooMany) {
            request.abortWith(Response.fromResponse(Problem.response(429, "too-many-password-attempts",
                            "Too many attempts", tooMany.detail() + " Try again later; nothing was done."))
                    .header("Retry-After", Math.max(1, tooMany.retryAfter().toSeconds())).build());
        } else if (caller.getUserPrincipal() == null) {
            boolean refused = servletRequest.getAttribute(BasicSignIn.REFUSED) != null;
            request.abortWith(Response.fromResponse(Problem.response(401, "sign-in-required", "Sign in as an operator",
                            (refused ? "The name or password is wrong. " : "")
                                    + "Only an operator may add or remove subscriptions: send the operator's name and "
                                    + "password (HTTP Basic); nothing was done."))
                    .header("WWW-Authenticate", "Basic realm=\"03-routing\", charset=\"UTF-8\"").build());
        } else if (!caller.isUserInRole(ROLE)) {
            request.abortWith(Problem.response(403, "operator-only", "Operators only", "'" + caller.getUserPrincipal().getName()
                    + "' is signed in, but only the operator role may add or remove subscriptions; nothing was done."));
        }
    }
    // end::check[]
}
