package shop.orders;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.stream.Collectors;

/**
 * Where this module's pages may open connections (the connect-src that {@link SecurityHeaders} sends): their own
 * origin, the WebSockets of the shop's other instances ({@code shop.instances}, a page fails over to them) and the
 * board's Web-STOMP ({@code board.stomp-url}).
 */
@ApplicationScoped
public class ConnectSources {

    @Inject
    ShopSettings settings;
    @Inject
    Board board;

    /** The Content-Security-Policy's connect-src sources. */
    public String list() {
        String instances = settings.instances().stream().map(u -> u.replaceFirst("^http", "ws"))
                .collect(Collectors.joining(" "));
        return "'self' " + instances + " " + board.stompUrl();
    }
}
