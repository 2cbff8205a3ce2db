package shop.routing;

import jakarta.enterprise.context.ApplicationScoped;

/** Where this module's pages may open connections (the connect-src that {@link SecurityHeaders} sends): their own origin only. */
@ApplicationScoped
public class ConnectSources {

    /** The Content-Security-Policy's connect-src sources. */
    public String list() {
        return "'self'";
    }
}
