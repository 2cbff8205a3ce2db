package shop.routing;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who got which message, newest last: every send and every receipt writes one greppable log line here
 * and keeps it (bounded) for the live page. Teaching aid: a real service logs, it does not keep this list.
 */
@ApplicationScoped
public class Deliveries {

    private static final Logger LOG = Logger.getLogger("shop.routing");

    @Inject
    @ConfigProperty(name = "routing.retained-deliveries")
    int retained;

    private final Deque<Delivery> recent = new ArrayDeque<>();
    private long nextSeq = 1;

    @PostConstruct
    void checkSettings() {
        if (retained < 1) {
            throw new IllegalArgumentException("routing.retained-deliveries must be at least 1, but is " + retained);
        }
    }

    // tag::markers[]
    /** The publisher's line: {@code  [x] Sent 'order.eu.paid' A-1001}. */
    public Delivery sent(String key, String id) {
        return record("x", "", key, id, " [x] Sent '" + key + "' " + id);
    }

    /** A service's line: {@code  [billing-1] Received 'order.eu.paid' A-1001}. */
    public Delivery received(String service, String subscription, String key, String id) {
        return record(service, subscription, key, id, " [" + service + "] Received '" + key + "' " + id);
    }
    // end::markers[]

    /** Anything else worth a line on the page, for example {@code  [unrouted] Caught 'refund.eu.issued' R-1}. */
    public Delivery note(String service, String key, String id, String line) {
        return record(service, "", key, id, line);
    }

    private synchronized Delivery record(String service, String subscription, String key, String id, String line) {
        Delivery delivery = new Delivery(nextSeq++, Instant.now(), service, subscription, key, id, line);
        recent.addLast(delivery);
        if (recent.size() > retained) {
            recent.removeFirst();
        }
        LOG.info(line);
        return delivery;
    }

    /** Everything after {@code seq} that is still retained, oldest first. */
    public synchronized List<Delivery> after(long seq) {
        return recent.stream().filter(d -> d.seq() > seq).toList();
    }
}
