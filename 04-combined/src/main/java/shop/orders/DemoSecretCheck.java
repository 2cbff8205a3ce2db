package shop.orders;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Stops the deployment at start when a server that says it is not a demo (shop.demo=false) still has the demo session secret. */
@ApplicationScoped
public class DemoSecretCheck {

    /** The default in microprofile-config.properties: public, so anyone could sign a cookie for any customer. */
    static final String DEMO_SESSION_SECRET = "change-me-this-is-only-a-local-demo-secret";

    @Inject @ConfigProperty(name = "shop.demo")
    boolean demo;
    @Inject @ConfigProperty(name = "shop.session-secret")
    String sessionSecret;

    void start(@Observes @Initialized(ApplicationScoped.class) Object init) {
        check(demo, sessionSecret);
    }

    // tag::check[]
    /** Throws, and the deployment fails, rather than sign real customers' cookies with a secret printed in the repository. */
    static void check(boolean demo, String sessionSecret) {
        if (!demo && DEMO_SESSION_SECRET.equals(sessionSecret)) {
            throw new IllegalStateException("shop.demo=false but shop.session-secret is the demo value:"
                    + " set SHOP_SESSION_SECRET to a long random value of your own.");
        }
    }
    // end::check[]
}
