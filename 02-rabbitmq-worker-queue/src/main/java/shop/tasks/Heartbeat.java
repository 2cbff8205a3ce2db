package shop.tasks;

import com.rabbitmq.jms.admin.RMQDestination;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.spi.JsonProvider;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Tells the dashboard, once a second, that this worker is alive: the tasks it holds right now, how many it has done,
 * and whether its consumers are live. Sent by the {@link Watchdog}'s thread, on a session of its own per connection.
 */
@ApplicationScoped
public class Heartbeat {

    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

    @Inject
    TaskSettings settings;

    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicLong done = new AtomicLong();
    private volatile Sender sender;

    /** A session and its producer, of one connection: replaced as a whole at each reconnect. */
    private record Sender(Session session, MessageProducer producer) {
    }

    void holding(String label) {
        inFlight.add(label);
    }

    void released(String label) {
        inFlight.remove(label);
    }

    void done() {
        done.incrementAndGet();
    }

    /** Sends on {@code connection} from now on; called before it starts. */
    void open(Connection connection) throws JMSException {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        String key = "worker.heartbeat." + settings.workerId();
        MessageProducer producer = session.createProducer(new RMQDestination(key, TaskTopology.EVENTS_EXCHANGE, key, null));
        // Worth nothing once stale: not persisted.
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        sender = new Sender(session, producer);
    }

    /** No more beats until the next {@link #open(Connection)}: the connection is closing. */
    void close() {
        sender = null;
    }

    void beat(boolean consuming, long restarts) {
        Sender current = sender;
        if (current == null) {
            return;
        }
        JsonArrayBuilder holding = JSON.createArrayBuilder();
        inFlight.forEach(holding::add);
        try {
            current.producer().send(current.session().createTextMessage(JSON.createObjectBuilder()
                    .add("event", "heartbeat")
                    .add("worker", settings.workerId())
                    .add("concurrency", settings.concurrency())
                    .add("prefetch", settings.prefetch())
                    .add("inFlight", holding)
                    .add("done", done.get())
                    .add("consuming", consuming)
                    .add("restarts", restarts)
                    .build().toString()));
        } catch (JMSException | RuntimeException e) {
            LOG.fine("heartbeat not sent: " + e);
        }
    }
}
