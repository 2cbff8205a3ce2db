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
 * The producer: publishes a task as a persistent message and returns only once the broker has
 * confirmed it, so that "202 Accepted" means the broker has the task.
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

    private final Map<TaskType, RMQDestination> destinations = new EnumMap<>(TaskType.class);
    private Connection connection;
    private Session session;
    private MessageProducer producer;
    private long nextConnectAttempt;
    /** Set on the client's thread when the connection dies; the next request reconnects. */
    private volatile boolean broken;
    /** Tasks sent but not yet confirmed: they fail at once, not after the timeout, when the connection dies. */
    private final Set<CompletableFuture<Void>> unconfirmed = ConcurrentHashMap.newKeySet();

    NewTask() {
        for (TaskType type : TaskType.values()) {
            // A JMS destination mapped onto the plain AMQP exchange that TaskTopology declared.
            destinations.put(type, new RMQDestination(TaskTopology.QUEUE, TaskTopology.EXCHANGE, type.routingKey(), null));
        }
    }

    // tag::send[]
    // tag::confirm[]
    public void send(Task task) throws BrokerUnavailable {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        unconfirmed.add(confirmed);
        confirmed.whenComplete((ok, error) -> unconfirmed.remove(confirmed));
        publish(task, new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                confirmed.complete(null);
            }

            @Override
            public void onException(Message message, Exception e) {
                confirmed.completeExceptionally(e);
            }
        });
        try {
            // The broker confirms once the task is safely in the queue (for a quorum queue: on a
            // majority of nodes' disks). Only then may the caller be told "202 Accepted".
            confirmed.get(settings.confirmTimeoutMs(), TimeUnit.MILLISECONDS);
            // end::confirm[]
        } catch (ExecutionException e) {
            throw new BrokerUnavailable("The broker did not confirm the task: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new BrokerUnavailable("The broker did not confirm the task within "
                    + settings.confirmTimeoutMs() + " ms.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailable("Interrupted while waiting for the broker.", e);
        }
        LOG.info(" [x] Sent '" + task.label() + "'");
    }

    private synchronized void publish(Task task, CompletionListener confirmed) throws BrokerUnavailable {
        try {
            connectIfNeeded();
            TextMessage message = session.createTextMessage(task.toJson());
            message.setStringProperty("taskId", task.id());
            // PERSISTENT: written to disk, so the task survives a broker restart.
            producer.send(destinations.get(task.type()), message, DeliveryMode.PERSISTENT,
                    Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE, confirmed);
        } catch (JMSException | RuntimeException e) {
            disconnect();
            unconfirmed.remove(confirmed);
            throw new BrokerUnavailable("The broker at " + rabbit.describe() + " cannot be reached.", e);
        }
    }
    // end::send[]

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
        RMQConnectionFactory factory = rabbit.jms(1);
        Connection fresh = factory.createConnection();
        fresh.setExceptionListener(e -> {
            LOG.warning(" [!] Lost the broker connection: " + e.getMessage());
            broken = true;
            // Whether the broker got these is unknown: the callers answer 503, and a client that
            // retries may create a duplicate, which the workers' idempotency absorbs.
            unconfirmed.forEach(f -> f.completeExceptionally(e));
        });
        broken = false;
        connection = fresh;
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(null);
        LOG.info(" [*] Producer connected to " + rabbit.describe());
    }

    @PreDestroy
    synchronized void disconnect() {
        if (connection != null) {
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
