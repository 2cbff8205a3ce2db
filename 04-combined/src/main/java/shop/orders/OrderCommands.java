package shop.orders;

import com.rabbitmq.client.ConnectionFactory;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The web instance's way into the workflow: publishes a customer's command (place an order, answer
 * a question) as a persistent message, and returns only once the broker has confirmed it. Only
 * then does the page hear "accepted".
 */
@ApplicationScoped
public class OrderCommands {

    private static final Logger LOG = Logger.getLogger(OrderCommands.class.getName());
    /** After a failed connect, commands fail at once for this long instead of each trying again. */
    private static final long RECONNECT_PAUSE_MS = 500;

    /** The broker does not have the command: it is down, refused it, or did not confirm in time. */
    public static final class BrokerUnavailable extends Exception {
        public BrokerUnavailable(String detail, Throwable cause) {
            super(detail, cause);
        }
    }

    @Inject
    Rabbit rabbit;
    @Inject
    BrokerSetup setup;
    @Inject
    ShopSettings settings;

    private Connection connection;
    private Session session;
    private MessageProducer producer;
    private long nextConnectAttempt;
    /** Set on the client's thread when the connection dies; the next command reconnects. */
    private volatile boolean broken;
    /** Commands published whose confirm may still come: the death of the connection fails them all at once. */
    private final Set<CompletableFuture<Void>> unconfirmed = ConcurrentHashMap.newKeySet();

    // tag::send[]
    public void send(Command command) throws BrokerUnavailable {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        unconfirmed.add(confirmed);
        confirmed.whenComplete((ok, error) -> unconfirmed.remove(confirmed));
        publish(command, new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                confirmed.complete(null);
            }

            @Override
            public void onException(Message message, Exception e) {
                // A nack: the queue refused it (reject-publish), or the broker could not store it.
                confirmed.completeExceptionally(e);
            }
        });
        try {
            // The broker confirms once the command is safely in its queue (a quorum queue: on a majority
            // of the nodes' disks). Only then may the page be told "accepted".
            confirmed.get(settings.confirmTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new BrokerUnavailable("The broker did not confirm: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new BrokerUnavailable("The broker did not confirm within " + settings.confirmTimeoutMs() + " ms.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailable("Interrupted while waiting for the broker.", e);
        }
        LOG.info(" [x] Sent '" + command.name() + "' order=" + command.orderId() + " correlation=" + command.correlationId());
    }

    // tag::publish[]
    private synchronized void publish(Command command, CompletionListener confirmed) throws BrokerUnavailable {
        try {
            connectIfNeeded();
            TextMessage message = session.createTextMessage(command.toJson());
            message.setJMSCorrelationID(command.correlationId());
            // The routing key is the command: the exchange takes it to the one service that handles it.
            RMQDestination to = new RMQDestination(command.name(), OrderTopology.COMMANDS, command.name(), null);
            // PERSISTENT: written to disk, so the command survives a broker restart.
            producer.send(to, message, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY,
                    Message.DEFAULT_TIME_TO_LIVE, confirmed);
        } catch (JMSException | RuntimeException e) {
            disconnect();
            throw new BrokerUnavailable("The broker at " + rabbit.describe() + " cannot be reached.", e);
        }
    }
    // end::publish[]
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
        declareTopology();
        // As the web tier's own user: it may publish commands, and consumes no step's queue (see Role).
        Connection fresh = rabbit.jms(Role.WEB, 1).createConnection();
        fresh.setExceptionListener(e -> {
            LOG.warning(" [!] Lost the broker connection: " + e.getMessage());
            broken = true;
            unconfirmed.forEach(f -> f.completeExceptionally(e));
        });
        broken = false;
        connection = fresh;
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(null);
    }

    private void declareTopology() throws BrokerUnavailable {
        try {
            setup.ensure();
        } catch (Exception e) {
            throw new BrokerUnavailable("The broker at " + rabbit.describe() + " cannot be reached.", e);
        }
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
