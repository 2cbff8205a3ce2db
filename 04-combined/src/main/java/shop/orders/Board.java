package shop.orders;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The read-only order board's access to RabbitMQ: where its page connects (Web-STOMP), as whom, and, for the
 * local demo only, creating that least-privilege user at start through the management API.
 */
@ApplicationScoped
public class Board {

    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Logger LOG = Logger.getLogger(Board.class.getName());

    /** What the page subscribes to: every stage of every order, on the redacted copy of the progress. */
    public static final String DESTINATION = "/exchange/" + OrderTopology.BOARD + "/order.#";

    // tag::permissions[]
    /** Queues the STOMP plugin creates for a subscription to an exchange are named stomp-subscription-...: */
    static final String SUBSCRIPTION_QUEUES = "^stomp-subscription-.*";
    /** configure: declare its subscription queues; none of the shop's queues or exchanges. */
    static final String CONFIGURE = SUBSCRIPTION_QUEUES;
    /** write: bind its own queue (queue.bind needs write on the queue); it can publish to no shop exchange. */
    static final String WRITE = SUBSCRIPTION_QUEUES;
    /** read: bind to orders.board (read on the exchange) and consume its own queue (read on the queue). */
    static final String READ = "^(orders\\.board|stomp-subscription-.*)$";
    // end::permissions[]

    @Inject @ConfigProperty(name = "board.stomp-url")
    String stompUrl;
    @Inject @ConfigProperty(name = "board.username")
    String username;
    @Inject @ConfigProperty(name = "board.password")
    String password;
    @Inject @ConfigProperty(name = "board.provision")
    boolean provision;
    @Inject @ConfigProperty(name = "rabbitmq.virtual-host")
    String virtualHost;
    @Inject
    ManagementApi api;

    public String stompUrl() {
        return stompUrl;
    }

    /** What the page needs to connect; every field of it is public, by design: anyone can open the page. */
    public String toJson() {
        return JSON.createObjectBuilder().add("url", stompUrl).add("vhost", virtualHost).add("login", username)
                .add("passcode", password).add("destination", DESTINATION).build().toString();
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object init) {
        if (!provision) {
            return;
        }
        try {
            provision();
            LOG.info(" [*] Board user '" + username + "' may subscribe to " + OrderTopology.BOARD + " in vhost "
                    + virtualHost + " (configure '" + CONFIGURE + "', write '" + WRITE + "', read '" + READ + "')");
        } catch (IOException | RuntimeException e) {
            // The shop works without its board: say why the board will not connect, and carry on.
            LOG.warning(" [!] Cannot provision the board user '" + username + "' at " + api.url() + ": " + e.getMessage()
                    + " (set board.provision=false and create the user out of band, see docs/web-stomp.md)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // tag::provision[]
    /** Idempotent: PUT creates or overwrites the user, its permissions in this vhost, and the queue policy. */
    private void provision() throws IOException, InterruptedException {
        api.putUser(username, password);
        api.putPermissions(username, CONFIGURE, WRITE, READ);
        // The public login may also ask for a durable subscription queue that outlives the page: cap every
        // subscription queue's length, and delete one that has had no consumer for ten minutes.
        api.put("/api/policies/" + ManagementApi.encode(virtualHost) + "/orders-board-subscriptions", JSON.createObjectBuilder()
                .add("pattern", SUBSCRIPTION_QUEUES).add("apply-to", "queues").add("priority", 0)
                .add("definition", JSON.createObjectBuilder().add("max-length", 1000).add("overflow", "drop-head")
                        .add("expires", 600_000)).build().toString());
    }
    // end::provision[]
}
