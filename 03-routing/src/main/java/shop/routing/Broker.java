package shop.routing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The application's two ways into RabbitMQ: one JMS connection, shared by every service as separate
 * sessions, and one plain AMQP connection for what JMS cannot express (exchange types, alternate
 * exchanges, exclusive queues, non-JMS peers).
 */
@ApplicationScoped
public class Broker {

    private static final Logger LOG = Logger.getLogger(Broker.class.getName());

    @Inject
    BrokerSettings settings;

    private final DeliveryLedger ledger = new DeliveryLedger();
    private final ConsumerGuard guard = new ConsumerGuard(ledger);
    /** Per subscription: its instances share it, and it outlives an instance the watchdog restarts. */
    private final Map<String, HandledEvents> handled = new ConcurrentHashMap<>();
    /** The module's executor for broker loops (see {@link Reconnecting}). */
    @Resource(lookup = Reconnecting.LOOPS)
    ScheduledExecutorService loops;

    private Reconnecting<jakarta.jms.Connection> jms;
    /** How many JMS connections have been opened: a session taken under an earlier number died with its connection. */
    private final AtomicLong opened = new AtomicLong();
    private boolean closed;
    private Connection amqp;

    /** Opens both connections, or fails with one sentence that says what to start. */
    public synchronized void open() {
        if (jms != null) {
            return;
        }
        try {
            amqp = settings.amqp().newConnection("03-routing");
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("Cannot reach RabbitMQ at " + settings.describe()
                    + ": start it (see the course README, Prerequisites) or set RABBITMQ_HOST/RABBITMQ_PORT.", e);
        }
        jms = new Reconnecting<>("Routing's JMS connection", settings.describe(), loops, this::openJms,
                jakarta.jms.Connection::close);
        try {
            jms.start(openJms());
        } catch (JMSException e) {
            throw new IllegalStateException("Cannot open a JMS connection to " + settings.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The shared JMS connection, opened again by {@link Reconnecting} when the broker drops it. Every session dies
     * with it: the watchdog ({@code Services#watch}) starts the consumers again on the new one, and each producer
     * takes a new session before its next send (see {@link #reconnectedSince}).
     */
    private jakarta.jms.Connection openJms() throws JMSException {
        RMQConnectionFactory factory = settings.jms();
        // Explicit, because the client's default is unlimited: see rabbitmq.prefetch in microprofile-config.properties.
        factory.setChannelsQos(settings.prefetch());
        // tag::guard[]
        // The JMS client decodes a delivery before onMessage, and when it cannot, the AMQP client's default closes
        // the consumer's channel and logs through SLF4J, which has no provider here: the service stops, silently.
        // The guard replaces that default, and the ledger tells it which delivery the consumer was on.
        factory.setAmqpConnectionFactoryPostProcessor(amqpFactory -> {
            amqpFactory.setTrafficListener(ledger);
            amqpFactory.setExceptionHandler(guard);
            // We reconnect ourselves, rather than let the AMQP client replay half a JMS session.
            amqpFactory.setAutomaticRecoveryEnabled(false);
        });
        // end::guard[]
        jakarta.jms.Connection fresh = factory.createConnection();
        try {
            fresh.setExceptionListener(e -> {
                if (jms.lost()) {
                    LOG.warning(" [!] Routing lost its JMS connection to the broker: " + e.getMessage() + "; reconnecting");
                }
            });
            fresh.start();
        } catch (JMSException | RuntimeException e) {
            fresh.close();
            throw e;
        }
        opened.incrementAndGet();
        return fresh;
    }

    /**
     * A new session on the shared JMS connection. CLIENT_ACKNOWLEDGE because this client acks AUTO_ACKNOWLEDGE
     * deliveries before onMessage runs: a listener that fails would lose the message.
     *
     * <p>A classic {@link Session}, not a {@code JMSContext}: in RabbitMQ JMS 3.7 a JMSContext's session belongs
     * to the first thread that touches it (its lock is never released), so other threads get
     * "Impossible to access context session" even when they take turns.
     */
    public Session session() {
        return session(Session.CLIENT_ACKNOWLEDGE);
    }

    /** A new session with another acknowledge mode, for data where a lost message is acceptable (ticks). */
    public Session session(int acknowledgeMode) {
        jakarta.jms.Connection open = jms.current();
        if (open == null) {
            throw new IllegalStateException("Reconnecting to " + settings.describe() + "; try again in a moment");
        }
        try {
            return open.createSession(acknowledgeMode);
        } catch (JMSException e) {
            throw new IllegalStateException("Cannot open a JMS session on " + settings.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Which JMS connection is open, as a number that grows with every reconnect. A session's owner reads it before
     * it takes the session, and keeps it: {@link #reconnectedSince} then tells it the session is dead.
     */
    public long connectionNumber() {
        return opened.get();
    }

    /** True if the JMS connection numbered {@code connectionNumber} was replaced since, with every session on it. */
    public boolean reconnectedSince(long connectionNumber) {
        return opened.get() != connectionNumber;
    }

    /** False once the application stops and the connections are closed. */
    public synchronized boolean connected() {
        return jms != null && !closed;
    }

    public DeliveryLedger ledger() {
        return ledger;
    }

    public ConsumerGuard guard() {
        return guard;
    }

    /** The event ids the service of {@code subscription} has handled. */
    public HandledEvents handled(String subscription) {
        return handled.computeIfAbsent(subscription, s -> new HandledEvents());
    }

    /** A new channel on the plain AMQP connection; its owner closes it. */
    public Channel channel() {
        try {
            return amqp.createChannel();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open an AMQP channel on " + settings.describe(), e);
        }
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
        if (jms != null) {
            jms.stop();
        }
        if (amqp != null && amqp.isOpen()) {
            try {
                amqp.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "AMQP connection already closing", e);
            }
        }
    }
}
