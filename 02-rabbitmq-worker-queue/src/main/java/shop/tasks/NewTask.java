package shop.tasks;

import com.rabbitmq.jms.admin.RMQConnectionFactory;
import com.rabbitmq.jms.admin.RMQDestination;
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
import jakarta.jms.TextMessage;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The producer: publishes a task as a persistent message and lets its caller wait for the broker's
 * confirm, so that "202 Accepted" means the broker has the task.
 */
@ApplicationScoped
public class NewTask {

    private static final Logger LOG = Logger.getLogger(NewTask.class.getName());
    /** After a failed connect, requests answer 503 at once for this long instead of each trying again. */
    private static final long RECONNECT_PAUSE_MS = 500;

    /** The broker does not have the task: it is down, refused it, or did not confirm in time. */
    public static final class BrokerUnavailable extends Exception {
        public BrokerUnavailable(String detail, Throwable cause) {
            super(detail, cause);
        }
    }

    @Inject
    Rabbit rabbit;
    @Inject
    TaskSettings settings;
    @Inject
    BrokerSetup setup;

    private final Map<TaskType, RMQDestination> destinations = new EnumMap<>(TaskType.class);
    private Connection connection;
    private Session session;
    private MessageProducer producer;
    private long nextConnectAttempt;
    /** Set on the client's thread when the connection dies; the next request reconnects. */
    private volatile boolean broken;
    /**
     * Tasks published whose confirm may still come. Each one leaves the set when it ends: a confirm,
     * a nack, or the death of the connection it was sent on, which fails them all at once.
     */
    private final Set<CompletableFuture<Void>> unconfirmed = ConcurrentHashMap.newKeySet();

    NewTask() {
        for (TaskType type : TaskType.values()) {
            // A JMS destination mapped onto the plain AMQP exchange that TaskTopology declared.
            destinations.put(type, new RMQDestination(TaskTopology.QUEUE, TaskTopology.EXCHANGE, type.routingKey(), null));
        }
    }

    // tag::send[]
    // tag::confirm[]
    /** Publishes the task; the future completes when the broker confirms it, and fails when it refuses it or the connection dies first. */
    public CompletableFuture<Void> publish(Task task) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        // However it ends, it leaves the set: a confirm, a nack, a dead connection (see disconnect).
        confirmed.whenComplete((ok, error) -> unconfirmed.remove(confirmed));
        try {
            publish(task, confirmed, new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    LOG.info(" [x] Sent '" + task.label() + "'");
                    confirmed.complete(null);
                }

                @Override
                public void onException(Message message, Exception e) {
                    // A nack: the queue is at its x-max-length (reject-publish), or the broker failed to store it.
                    LOG.warning(" [!] Refused '" + task.label() + "': " + e.getMessage());
                    confirmed.completeExceptionally(new BrokerUnavailable("The broker refused the task (" + e.getMessage()
                            + "): the queue is full, or the broker could not store it.", e));
                }
            });
        } catch (BrokerUnavailable e) {
            confirmed.completeExceptionally(e);
        }
        return confirmed;
    }
    // end::confirm[]

    /** Waits until the deadline for the confirm of a task published before, by this request or an earlier one with the same key. */
    public void await(Task task, CompletableFuture<Void> confirmed, long deadlineNanos) throws BrokerUnavailable {
        try {
            // The broker confirms once the task is safely in the queue (for a quorum queue: on a
            // majority of nodes' disks). Only then may the caller be told "202 Accepted".
            confirmed.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BrokerUnavailable unavailable) {
                throw unavailable;
            }
            throw new BrokerUnavailable("The broker did not confirm the task: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            // The confirm may still come (a frozen broker that thaws): the future stays in
            // unconfirmed until it does or the connection dies, so a retry with the same key can join it.
            LOG.warning(" [!] No confirm for '" + task.label() + "' within " + settings.confirmTimeoutMs() + " ms");
            throw new BrokerUnavailable("The broker did not confirm the task within " + settings.confirmTimeoutMs() + " ms.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailable("Interrupted while waiting for the broker.", e);
        }
    }

    private synchronized void publish(Task task, CompletableFuture<Void> confirmed, CompletionListener listener)
            throws BrokerUnavailable {
        try {
            connectIfNeeded();
            TextMessage message = session.createTextMessage(task.toJson());
            message.setStringProperty("taskId", task.id());
            // Added only now, on the connection it is sent on: a reconnect above fails the old connection's set.
            unconfirmed.add(confirmed);
            // PERSISTENT: written to disk, so the task survives a broker restart.
            producer.send(destinations.get(task.type()), message, DeliveryMode.PERSISTENT,
                    Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE, listener);
        } catch (JMSException | RuntimeException e) {
            disconnect();
            throw new BrokerUnavailable("The broker at " + rabbit.describe() + " cannot be reached.", e);
        }
    }
    // end::send[]

    /** How many published tasks still wait for their confirm; for teaching and the tests, shown on /api/producer. */
    public int unconfirmed() {
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
            throw new BrokerUnavailable("The broker at " + rabbit.describe() + " is not reachable; retrying shortly.", null);
        }
        nextConnectAttempt = System.currentTimeMillis() + RECONNECT_PAUSE_MS;
        try {
            setup.ensureUsers();
        } catch (Exception e) {
            throw new BrokerUnavailable("The broker at " + rabbit.describe() + " cannot be set up: " + e.getMessage(), e);
        }
        // As the producer's own user: it may publish to the tasks exchange, and nothing else.
        RMQConnectionFactory factory = rabbit.jms(BrokerUser.PRODUCER);
        Connection fresh = factory.createConnection();
        fresh.setExceptionListener(e -> {
            LOG.warning(" [!] Lost the broker connection: " + e.getMessage());
            broken = true;
            failUnconfirmed(e);
        });
        broken = false;
        connection = fresh;
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(null);
        LOG.info(" [*] Producer connected to " + rabbit.describe());
    }

    // tag::connection-lost[]
    /**
     * Whether the broker got these is unknown: each waiting caller answers 503. A client that retries
     * with the same Idempotency-Key gets the same task id, so a task that did arrive is not done twice.
     */
    private void failUnconfirmed(Exception cause) {
        BrokerUnavailable lost = new BrokerUnavailable("The connection to the broker dropped before it confirmed the task: "
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
