package shop.orders;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.jms.admin.RMQDestination;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * What every step service does: take one command from its own queue, do the step, and publish the
 * step's progress and the next command, all in one transaction with the command's acknowledgement.
 * Either all of it happens or none of it, and the broker redelivers the command.
 */
public abstract class StepService {

    private static final Logger LOG = Logger.getLogger(StepService.class.getName());

    private final Step step;
    private final Rabbit rabbit;
    private final ShopSettings settings;
    private final ScheduledExecutorService connector;
    private volatile Connection connection;
    private long backoffMs = 1_000;
    private List<StepHook> hooks = List.of();

    protected StepService(Step step, Rabbit rabbit, ShopSettings settings) {
        this.step = step;
        this.rabbit = rabbit;
        this.settings = settings;
        this.connector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, step.service() + "-connector");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Does the step for one command and says what happened through {@code outcome}. */
    protected abstract void handle(Command command, Outcome outcome) throws Exception;

    /** The simulated work of a step: a payment provider's or a warehouse's answer takes a while. */
    protected void work() throws InterruptedException {
        Thread.sleep(settings.workMs());
    }

    /** The hooks added from outside the lesson (see {@link StepHook}); set before {@link #start}. */
    void hooks(List<StepHook> added) {
        hooks = List.copyOf(added);
    }

    public void start() {
        connector.execute(this::connect);
    }

    // tag::consume[]
    private void connect() {
        Connection fresh = null;
        try {
            declareTopology();
            // Prefetch 1: a busy service instance gets no second command until it has committed the first.
            fresh = rabbit.jms(1).createConnection();
            fresh.setExceptionListener(e -> {
                LOG.warning(" [!] " + step.service() + " lost the broker: " + e.getMessage() + "; reconnecting");
                connector.execute(this::reconnect);
            });
            // tag::transacted[]
            // Transacted: the acknowledgement of the command and everything the step publishes are
            // committed together. A crash before commit means none of it happened.
            Session session = fresh.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(null);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            Outcome outcome = new Outcome(session, producer);
            session.createConsumer(new RMQDestination(step.queue(), null, null, step.queue()))
                    .setMessageListener(message -> onCommand(session, outcome, message));
            // end::transacted[]
            fresh.start();
            connection = fresh;
            backoffMs = 1_000;
            LOG.info(" [*] " + step.service() + " service waiting for commands on " + step.queue());
        } catch (Exception e) {
            close(fresh);
            LOG.warning(" [!] " + step.service() + " cannot reach the broker at " + rabbit.describe()
                    + " (" + e.getMessage() + "); retrying in " + backoffMs + " ms");
            connector.schedule(this::connect, backoffMs, TimeUnit.MILLISECONDS);
            backoffMs = Math.min(backoffMs * 2, 10_000);
        }
    }

    private void onCommand(Session session, Outcome outcome, Message message) {
        String label = step.service();
        try {
            Command command = Command.parse(body(message));
            label = "'" + command.name() + "' order=" + command.orderId() + " correlation=" + command.correlationId();
            LOG.info(" [x] Received " + label);
            handleWithHooks(command, attempt(message), outcome);
            session.commit();
            LOG.info(" [x] Done " + label);
        } catch (Exception e) {
            LOG.warning(" [!] Failed " + label + ": " + e + "; rolling back, the broker will redeliver");
            try {
                session.rollback();
            } catch (JMSException rollbackFailed) {
                LOG.warning(" [!] Rollback failed: " + rollbackFailed.getMessage());
            }
        }
    }
    // end::consume[]

    /** The step, between the hooks added from outside the lesson; a hook that takes over a failure ends it. */
    private void handleWithHooks(Command command, int attempt, Outcome outcome) throws Exception {
        try {
            for (StepHook hook : hooks) {
                hook.before(step, command);
            }
            handle(command, outcome);
        } catch (Exception failure) {
            for (StepHook hook : hooks) {
                if (hook.failed(step, command, attempt, failure, outcome)) {
                    return;
                }
            }
            throw failure;
        }
    }

    /** Which delivery of the command this is, from 1: the client sets it from the quorum queue's x-delivery-count. */
    private static int attempt(Message message) throws JMSException {
        return message.propertyExists("JMSXDeliveryCount") ? message.getIntProperty("JMSXDeliveryCount") : 1;
    }

    /** JMS producers send text; a plain AMQP client's message arrives as bytes. Both carry the same JSON. */
    private static String body(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText();
        }
        BytesMessage bytes = (BytesMessage) message;
        byte[] body = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(body);
        return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void declareTopology() throws Exception {
        ConnectionFactory factory = rabbit.amqp();
        factory.setAutomaticRecoveryEnabled(false);
        try (com.rabbitmq.client.Connection amqp = factory.newConnection(step.service() + "-topology")) {
            OrderTopology.declare(amqp, settings.maxAttempts());
        }
    }

    private void reconnect() {
        Connection open = connection;
        connection = null;
        close(open);
        connect();
    }

    public void stop() {
        connector.shutdownNow();
        Connection open = connection;
        connection = null;
        // Waits for a running step to finish and commit: a graceful stop loses nothing.
        close(open);
        LOG.info(" [*] " + step.service() + " service stopped");
    }

    private static void close(Connection open) {
        if (open != null) {
            try {
                open.close();
            } catch (JMSException | RuntimeException e) {
                LOG.fine("closing a dead connection: " + e);
            }
        }
    }

    /** What a step publishes, inside the step's transaction: progress for the customer, the next command. */
    public static final class Outcome {

        private static final RMQDestination PROGRESS =
                new RMQDestination(OrderTopology.PROGRESS, OrderTopology.PROGRESS, "", null);
        private final Map<String, RMQDestination> destinations = new ConcurrentHashMap<>();
        private final Session session;
        private final MessageProducer producer;

        Outcome(Session session, MessageProducer producer) {
            this.session = session;
            this.producer = producer;
        }

        // tag::outcome[]
        public void progress(Progress progress) throws JMSException {
            producer.send(PROGRESS, text(progress.toJson(), progress.correlationId()));
            producer.send(destination(OrderTopology.BOARD, "order." + progress.stage().label()),
                    text(progress.toBoardJson(), null));
        }

        public void command(Command command) throws JMSException {
            producer.send(destination(OrderTopology.COMMANDS, command.name()),
                    text(command.toJson(), command.correlationId()));
        }
        // end::outcome[]

        /** Puts the command in {@code orders.dead}, where the broker puts one after {@code shop.max-attempts}. */
        public void deadLetter(Command command) throws JMSException {
            producer.send(destination(OrderTopology.DEAD_LETTER_EXCHANGE, ""),
                    text(command.toJson(), command.correlationId()));
        }

        private TextMessage text(String json, String correlationId) throws JMSException {
            TextMessage message = session.createTextMessage(json);
            if (correlationId != null) {
                message.setJMSCorrelationID(correlationId);
            }
            return message;
        }

        private RMQDestination destination(String exchange, String routingKey) {
            return destinations.computeIfAbsent(exchange + "/" + routingKey,
                    k -> new RMQDestination(exchange + "." + routingKey, exchange, routingKey, null));
        }
    }
}
