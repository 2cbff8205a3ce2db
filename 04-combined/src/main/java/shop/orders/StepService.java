package shop.orders;

import com.rabbitmq.jms.admin.RMQDestination;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

/**
 * What every step service does: take one command from its own queue, do the step, and publish the
 * step's progress and the next command, all in one transaction with the command's acknowledgement.
 * Either all of it happens or none of it, and the broker redelivers the command.
 */
public abstract class StepService {

    private static final Logger LOG = Logger.getLogger(StepService.class.getName());
    /** How often the watchdog looks at the consumer, besides the moment its channel closes. */
    private static final long WATCHDOG_MS = 2_000;

    private final Step step;
    private final Rabbit rabbit;
    private final BrokerSetup setup;
    private final ShopSettings settings;
    private Reconnecting<Connection> connection;
    private volatile ConsumerWatch watch;
    private final AtomicInteger restarts = new AtomicInteger();
    private final AtomicInteger deadLettered = new AtomicInteger();
    private List<StepHook> hooks = List.of();

    protected StepService(Step step, Rabbit rabbit, BrokerSetup setup, ShopSettings settings) {
        this.step = step;
        this.rabbit = rabbit;
        this.setup = setup;
        this.settings = settings;
    }

    /**
     * A command the step can never carry out, however often it is delivered: the service dead-letters it at
     * once. Thrown before the step publishes anything, since the dead letter is committed in its transaction.
     */
    // An exception, unlike CommandMessage's Unreadable: a step finds it out deep in handle() (PaymentService, from
    // its own records), and it crosses the hooks to onCommand, the same road as every other failure of the step.
    public static final class Refused extends Exception {
        public Refused(String why) {
            super(why);
        }
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

    /** Connects on {@code loops}, the module's executor for broker loops (see {@link Reconnecting}), and watches the consumer. */
    public void start(ScheduledExecutorService loops) {
        connection = new Reconnecting<>(step.service(), rabbit.describe(), loops, this::connect, Connection::close,
                settings.reconnectMaxMs());
        connection.start();
        connection.every(WATCHDOG_MS, this::watchdog);
    }

    // tag::consume[]
    private Connection connect() throws Exception {
        Connection fresh = null;
        try {
            setup.ensure(); // the demo sets up the topology and the users first; in production an operator has
            // Prefetch 1: a busy service instance gets no second command until it has committed the first.
            ConsumerWatch consumer = new ConsumerWatch(this::watchdog);
            fresh = rabbit.jms(Role.of(step), 1, consumer).createConnection();
            fresh.setExceptionListener(e -> {
                LOG.warning(" [!] " + step.service() + " lost the broker: " + e.getMessage() + "; reconnecting");
                connection.lost();
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
            watch = consumer;
            LOG.info(" [*] " + step.service() + " service waiting for commands on " + step.queue());
            return fresh;
        } catch (Exception e) {
            close(fresh);
            throw e;
        }
    }

    private void onCommand(Session session, Outcome outcome, Message message) {
        String label = step.service();
        int attempt = 1;
        try {
            byte[] body = CommandMessage.body(message);
            Command command;
            switch (CommandMessage.read(message, body, step)) {
                case CommandMessage.Unreadable unreadable -> {
                    deadLetterAtOnce(session, outcome, message, body, unreadable.reason());
                    return;
                }
                case CommandMessage.Readable readable -> command = readable.command();
            }
            label = "'" + command.name() + "' order=" + command.orderId() + " correlation=" + command.correlationId();
            attempt = attempt(message);
            LOG.info(" [x] Received " + label);
            try {
                handleWithHooks(command, attempt, outcome);
            } catch (Refused refused) {
                deadLetterAtOnce(session, outcome, message, body, label + ": " + refused.getMessage());
                return;
            }
            session.commit();
            LOG.info(" [x] Done " + label);
        } catch (Exception | Error failure) {
            // Nothing may escape onMessage: the JMS client would close the channel, and the consumer with it.
            if (attempt >= settings.maxAttempts()) {
                LOG.warning(" [!] Failed " + label + " (attempt " + attempt + " of " + settings.maxAttempts() + "): "
                        + failure + "; the broker dead-letters it from " + step.queue() + " to "
                        + OrderTopology.DEAD_LETTER_QUEUE);
            } else {
                LOG.warning(" [!] Failed " + label + " (attempt " + attempt + " of " + settings.maxAttempts() + "): "
                        + failure + "; rolling back, the broker will redeliver");
            }
            rollback(session);
        }
    }
    // end::consume[]

    // tag::dead-letter[]
    /**
     * A message no attempt can handle goes to {@code orders.dead} now, with its acknowledgement, in one
     * transaction: redelivering it would only hold up the commands behind it, {@code shop.max-attempts} times.
     */
    private void deadLetterAtOnce(Session session, Outcome outcome, Message message, byte[] body, String why)
            throws JMSException {
        outcome.deadLetter(body, message.getJMSCorrelationID(), step.queue(), why);
        session.commit();
        deadLettered.incrementAndGet();
        LOG.warning(" [!] Dead-lettered a message from " + step.queue() + " to " + OrderTopology.DEAD_LETTER_QUEUE
                + " at once: " + why);
    }
    // end::dead-letter[]

    // tag::watchdog[]
    /**
     * Runs every {@value #WATCHDOG_MS} ms, and at once when the consumer's channel closes: a consumer the
     * broker cut off (its channel closed, the connection still up) is noticed and started again. The
     * command it held goes back to the queue, and the new consumer takes it.
     */
    private void watchdog() {
        ConsumerWatch current = watch;
        if (connection.current() == null || current == null || current.alive()) {
            return;
        }
        if (connection.lost()) { // once, however many signs of the same death arrive
            restarts.incrementAndGet();
            LOG.warning(" [!] " + step.service() + " service's consumer on " + step.queue() + " stopped ("
                    + current.closeReason().orElse("its channel is closed") + "); restarting it");
        }
    }
    // end::watchdog[]

    private static void rollback(Session session) {
        try {
            session.rollback();
        } catch (JMSException | RuntimeException rollbackFailed) {
            LOG.warning(" [!] Rollback failed: " + rollbackFailed.getMessage());
        }
    }

    /** What the services endpoint reports for this service in this process. */
    public Status status() {
        ConsumerWatch current = watch;
        return new Status(step.service(), step.queue(), connection != null && connection.current() != null
                && current != null && current.alive(),
                restarts.get(), deadLettered.get());
    }

    /** One step service of this process: whether it consumes, how often it was restarted, what it dead-lettered. */
    public record Status(String service, String queue, boolean consuming, int restarts, int deadLettered) {
    }
    // end::consume[]

    /** The step, between the hooks added from outside the lesson; a hook that takes over a failure ends it. */
    private void handleWithHooks(Command command, int attempt, Outcome outcome) throws Exception {
        try {
            for (StepHook hook : hooks) {
                hook.before(step, command);
            }
            handle(command, outcome);
        } catch (Refused refused) {
            throw refused;
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

    public void stop() {
        if (connection != null) {
            // Waits for a running step to finish and commit: a graceful stop loses nothing.
            connection.stop();
        }
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

        /** Headers of a message the service dead-lettered itself: the queue it came from, and why. */
        public static final String DEAD_LETTER_QUEUE = "deadLetterQueue";
        public static final String DEAD_LETTER_REASON = "deadLetterReason";
        private final Map<String, RMQDestination> destinations = new ConcurrentHashMap<>();
        private final Session session;
        private final MessageProducer producer;

        Outcome(Session session, MessageProducer producer) {
            this.session = session;
            this.producer = producer;
        }

        // tag::outcome[]
        public void progress(Progress progress) throws JMSException {
            // The routing key names the stage: the broker lets each service report only its own (Role).
            producer.send(destination(OrderTopology.PROGRESS, "order." + progress.stage().label()),
                    text(progress.toJson(), progress.correlationId()));
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

        /** Puts a message as it came into {@code orders.dead}, saying where it came from and why it is there. */
        void deadLetter(byte[] body, String correlationId, String queue, String why) throws JMSException {
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(body);
            if (correlationId != null) {
                message.setJMSCorrelationID(correlationId);
            }
            message.setStringProperty(DEAD_LETTER_QUEUE, queue);
            message.setStringProperty(DEAD_LETTER_REASON, why);
            producer.send(destination(OrderTopology.DEAD_LETTER_EXCHANGE, ""), message);
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
