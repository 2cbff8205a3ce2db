package shop.routing.orders;

import com.rabbitmq.jms.admin.RMQConnectionFactory;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import shop.routing.BrokerSettings;
import shop.routing.Deliveries;
import shop.routing.OrderEvent;
import shop.routing.Topics;
import shop.routing.Topology;

/**
 * Publishes order events to {@code shop.orders} with the routing key {@code order.<region>.<event>} (or the key
 * of the scheme {@code routing.scheme} chose), and lets its caller wait for the broker's confirm.
 * It knows nothing about billing, shipping or anyone else: the broker's bindings decide who gets what.
 */
@ApplicationScoped
public class OrderPublisher {

    private static final Logger LOG = Logger.getLogger(OrderPublisher.class.getName());
    /** After a failed connect, requests answer 503 at once for this long instead of each trying again. */
    private static final long RECONNECT_PAUSE_MS = 500;

    /** The broker does not have the event: it is down, refused it, or did not confirm in time. */
    public static final class BrokerUnavailable extends Exception {
        public BrokerUnavailable(String detail, Throwable cause) {
            super(detail, cause);
        }
    }

    @Inject
    BrokerSettings settings;

    @Inject
    Deliveries deliveries;

    @Inject
    ActiveScheme routing;

    @Inject
    @ConfigProperty(name = "routing.confirm-timeout-ms", defaultValue = "5000")
    long confirmTimeoutMs;

    private Connection connection;
    private Session session;
    private MessageProducer producer;
    private long nextConnectAttempt;
    /** Set on the client's thread when the connection dies; the next publish starts over on a new one. */
    private volatile boolean broken;
    /**
     * Events published whose confirm may still come. Each one leaves the set when it ends: a confirm,
     * a nack, or the death of the connection it was sent on, which fails them all at once.
     */
    private final Set<CompletableFuture<Void>> unconfirmed = ConcurrentHashMap.newKeySet();

    // tag::confirm[]
    /** Publishes the event under {@code eventId}; the future completes on the broker's confirm, fails on a nack or a dead connection. */
    public CompletableFuture<Void> publish(OrderEvent event, String eventId) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        // However it ends, it leaves the set: a confirm, a nack, a dead connection (see disconnect).
        confirmed.whenComplete((ok, error) -> unconfirmed.remove(confirmed));
        String key = routing.keyOf(event); // order.<region>.<event>, unless routing.scheme chose another scheme
        try {
            send(event, eventId, key, confirmed, new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    deliveries.sent(key, event.orderId()); // " [x] Sent": only once the broker has it
                    confirmed.complete(null);
                }

                @Override
                public void onException(Message message, Exception e) {
                    // A nack: the broker could not take it (a full queue that rejects publishes, a failed disk).
                    LOG.warning(" [!] Refused '" + key + "' " + event.orderId() + ": " + e.getMessage());
                    confirmed.completeExceptionally(new BrokerUnavailable("The broker refused the event (" + e.getMessage() + ").", e));
                }
            });
        } catch (BrokerUnavailable e) {
            confirmed.completeExceptionally(e);
        }
        return confirmed;
    }
    // end::confirm[]

    // tag::publish[]
    private synchronized void send(OrderEvent event, String eventId, String key, CompletableFuture<Void> confirmed,
                                   CompletionListener listener) throws BrokerUnavailable {
        try {
            connectIfNeeded();
            Message message = event.toMessage(session);
            message.setStringProperty("eventId", eventId); // the services skip an event id they have handled
            // Added only now, on the connection it is sent on: a reconnect above fails the old connection's set.
            unconfirmed.add(confirmed);
            // PERSISTENT: order events must survive a broker restart. The CompletionListener makes this an async
            // send, which the RabbitMQ JMS client maps to a publisher confirm.
            producer.send(Topics.on(Topology.ORDERS, key), message, DeliveryMode.PERSISTENT,
                    Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE, listener);
        } catch (JMSException | RuntimeException e) {
            disconnect();
            throw new BrokerUnavailable("The broker at " + settings.describe() + " cannot be reached.", e);
        }
    }
    // end::publish[]

    /** Waits until the deadline for the confirm of an event published before, by this request or an earlier one with the same key. */
    public void await(CompletableFuture<Void> confirmed, long deadlineNanos) throws BrokerUnavailable {
        try {
            confirmed.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BrokerUnavailable unavailable) {
                throw unavailable;
            }
            throw new BrokerUnavailable("The broker did not confirm the event: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            // The confirm may still come: the future stays in unconfirmed until it does or the connection dies,
            // so a retry with the same key can join it.
            throw new BrokerUnavailable("The broker did not confirm the event within " + confirmTimeoutMs + " ms.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailable("Interrupted while waiting for the broker.", e);
        }
    }

    /** The deadline for a confirm awaited from now: {@code routing.confirm-timeout-ms}. */
    public long deadline() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(confirmTimeoutMs);
    }

    /** How many published events still wait for their confirm; for the tests. */
    int unconfirmed() {
        return unconfirmed.size();
    }

    private void connectIfNeeded() throws JMSException, BrokerUnavailable {
        if (broken) {
            disconnect();
        }
        if (connection != null) {
            return;
        }
        if (System.currentTimeMillis() < nextConnectAttempt) {
            throw new BrokerUnavailable("The broker at " + settings.describe() + " is not reachable; retrying shortly.", null);
        }
        Connection fresh;
        try {
            fresh = factory().createConnection();
        } finally {
            // The pause starts when the attempt ends: a failed attempt can take longer than the pause on a busy machine.
            nextConnectAttempt = System.currentTimeMillis() + RECONNECT_PAUSE_MS;
        }
        fresh.setExceptionListener(e -> {
            LOG.warning(" [!] Lost the publisher's broker connection: " + e.getMessage());
            broken = true;
            failUnconfirmed(e);
        });
        broken = false;
        connection = fresh;
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(null);
    }

    /** The publisher's own connection, so it can start over without touching the services' consumers. */
    private RMQConnectionFactory factory() {
        RMQConnectionFactory factory = settings.jmsFactory();
        // Fail in 2 s when the broker is unreachable, and reconnect here rather than let the AMQP client
        // replay half a JMS session.
        factory.setAmqpConnectionFactoryPostProcessor(amqp -> {
            amqp.setConnectionTimeout(2_000);
            amqp.setAutomaticRecoveryEnabled(false);
        });
        return factory;
    }

    // tag::connection-lost[]
    /**
     * Whether the broker got these is unknown: each waiting caller answers 503. A client that retries
     * with the same Idempotency-Key gets the same event id, so an event that did arrive is handled once.
     */
    void failUnconfirmed(Exception cause) {
        BrokerUnavailable lost = new BrokerUnavailable("The connection to the broker dropped before it confirmed the event: "
                + "it may or may not have it.", cause);
        unconfirmed.forEach(f -> f.completeExceptionally(lost));
    }
    // end::connection-lost[]

    @PreDestroy
    synchronized void disconnect() {
        if (connection != null) {
            // Confirms cannot come on a closed connection: nothing may wait for them.
            failUnconfirmed(new JMSException("connection closed"));
            try {
                connection.close();
            } catch (JMSException | RuntimeException e) {
                LOG.fine("closing a dead connection: " + e);
            }
        }
        connection = null;
        session = null;
        producer = null;
    }
}
