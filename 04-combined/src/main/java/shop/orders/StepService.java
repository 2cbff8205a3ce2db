package shop.orders;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import com.rabbitmq.jms.admin.RMQDestination;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * What every step service does: take one command from its own queue, do the step, publish the step's
 * progress and the next command, wait until the broker has confirmed each of those messages, and only
 * then acknowledge the command. A step that fails publishes nothing, and the broker redelivers the
 * command; a publish the broker does not confirm is sent again with the redelivered command.
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
     * once. Thrown before the step publishes anything: the dead letter is then all that the service publishes.
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
            // Prefetch 1: a busy service instance gets no second command until it has acknowledged the first.
            ConsumerWatch consumer = new ConsumerWatch(this::watchdog);
            fresh = rabbit.jms(Role.of(step), 1, consumer).createConnection();
            fresh.setExceptionListener(e -> {
                LOG.warning(" [!] " + step.service() + " lost the broker: " + e.getMessage() + "; reconnecting");
                connection.lost();
            });
            // tag::sessions[]
            // Two sessions. The command's: transacted, so that its commit is the acknowledgement, sent only once
            // what the step published is confirmed, and a rollback gives the command back to the queue.
            Session session = fresh.createSession(true, Session.SESSION_TRANSACTED);
            // What the step publishes goes out on a session of its own, with a publisher confirm for each message.
            Outcome outcome = new Outcome(fresh, settings.confirmTimeoutMs());
            session.createConsumer(new RMQDestination(step.queue(), null, null, step.queue()))
                    .setMessageListener(message -> onCommand(session, outcome, message));
            // end::sessions[]
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
            outcome.publishAndAwaitConfirms(); // the broker has every message the step published, or this throws
            session.commit(); // and only then the command's acknowledgement
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
            outcome.discard(); // a failed step publishes nothing: its redelivery publishes it all again
            rollback(session);
        }
    }
    // end::consume[]

    // tag::dead-letter[]
    /**
     * A message no attempt can handle goes to {@code orders.dead} now, and is acknowledged once the broker
     * confirms it there: redelivering it would only hold up the commands behind it, {@code shop.max-attempts} times.
     */
    private void deadLetterAtOnce(Session session, Outcome outcome, Message message, byte[] body, String why)
            throws Exception {
        outcome.discard(); // what a refused step published before it found out: nothing of it goes out
        outcome.deadLetter(body, message.getJMSCorrelationID(), step.queue(), why);
        outcome.publishAndAwaitConfirms();
        session.commit();
        deadLettered.incrementAndGet();
        LOG.warning(" [!] Dead-lettered a message from " + step.queue() + " to " + OrderTopology.DEAD_LETTER_QUEUE
                + " at once: " + why);
    }
    // end::dead-letter[]

    // tag::watchdog[]
    /**
     * Runs every {@value #WATCHDOG_MS} ms, and at once when the broker closes the consumer's channel or the
     * publisher's: a consumer cut off (its channel closed, the connection still up) is noticed and started again,
     * on a new connection. The command it held goes back to the queue, and the new consumer takes it.
     */
    private void watchdog() {
        ConsumerWatch current = watch;
        if (connection.current() == null || current == null || current.alive()) {
            return;
        }
        if (connection.lost()) { // once, however many signs of the same death arrive
            restarts.incrementAndGet();
            LOG.warning(" [!] " + step.service() + " service: the broker closed a channel ("
                    + current.closeReason().orElse("the consumer's") + "); restarting its consumer on " + step.queue());
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

    /**
     * What a step publishes: progress for the customer, the next command. Each message is kept until the step has
     * succeeded, then sent on the outcome's own session with a publisher confirm; the step's command is acknowledged
     * only once every one of them is confirmed.
     */
    public static final class Outcome {

        /** Headers of a message the service dead-lettered itself: the queue it came from, and why. */
        public static final String DEAD_LETTER_QUEUE = "deadLetterQueue";
        public static final String DEAD_LETTER_REASON = "deadLetterReason";
        private final Map<String, RMQDestination> destinations = new ConcurrentHashMap<>();
        private final Connection connection;
        private final long confirmTimeoutMs;
        /** What the step has published so far, in order; sent by {@link #publishAndAwaitConfirms()}. */
        private final List<Publish> publishes = new ArrayList<>();
        // Opened for the first publish, and again after a publish that failed.
        private Session session;
        private MessageProducer producer;

        /** One message the step published; {@code command}: the next step's command, sent after the rest. */
        private record Publish(RMQDestination to, ConfirmedPublisher.Writer writer, boolean command) {
        }

        Outcome(Connection connection, long confirmTimeoutMs) {
            this.connection = connection;
            this.confirmTimeoutMs = confirmTimeoutMs;
        }

        // tag::outcome[]
        public void progress(Progress progress) {
            // The routing key names the stage: the broker lets each service report only its own (Role).
            publish(OrderTopology.PROGRESS, "order." + progress.stage().label(),
                    s -> text(s, progress.toJson(), progress.correlationId()));
            publish(OrderTopology.BOARD, "order." + progress.stage().label(),
                    s -> text(s, progress.toBoardJson(), null));
        }

        public void command(Command command) {
            publish(OrderTopology.COMMANDS, command.name(),
                    s -> text(s, command.toJson(), command.correlationId()), true);
        }
        // end::outcome[]

        /** Puts the command in {@code orders.dead}, where the broker puts one after {@code shop.max-attempts}. */
        public void deadLetter(Command command) {
            publish(OrderTopology.DEAD_LETTER_EXCHANGE, "", s -> text(s, command.toJson(), command.correlationId()));
        }

        /** Puts a message as it came into {@code orders.dead}, saying where it came from and why it is there. */
        void deadLetter(byte[] body, String correlationId, String queue, String why) {
            publish(OrderTopology.DEAD_LETTER_EXCHANGE, "", s -> {
                BytesMessage message = s.createBytesMessage();
                message.writeBytes(body);
                if (correlationId != null) {
                    message.setJMSCorrelationID(correlationId);
                }
                message.setStringProperty(DEAD_LETTER_QUEUE, queue);
                message.setStringProperty(DEAD_LETTER_REASON, why);
                return message;
            });
        }

        // tag::confirms[]
        /**
         * Sends what the step published, persistent, one message at a time, each once the broker has confirmed the
         * one before: first its progress, then its next command, so that the next step's progress can never reach
         * the stream before this one's. Throws if the broker refuses a message (a nack) or does not answer within
         * {@code shop.confirm-timeout-ms}: the caller then rolls the command back, and its redelivery publishes it all
         * again (a duplicate the consumers drop, see {@link OrderViews}). After a failure the next publish opens a new
         * session: on RabbitMQ before 3.12.5, a channel that first published to a quorum queue just after its leader
         * died keeps the dead leader.
         */
        void publishAndAwaitConfirms() throws ConfirmedPublisher.BrokerUnavailable {
            try {
                if (session == null) {
                    session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    producer = session.createProducer(null);
                }
                long deadline = System.nanoTime() + MILLISECONDS.toNanos(confirmTimeoutMs); // for all of them
                List<Publish> inOrder = new ArrayList<>(publishes.stream().filter(p -> !p.command()).toList());
                inOrder.addAll(publishes.stream().filter(Publish::command).toList());
                for (Publish publish : inOrder) {
                    sendAndAwaitConfirm(publish, deadline);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw notConfirmed(e);
            } catch (JMSException | ExecutionException | TimeoutException | RuntimeException e) {
                throw notConfirmed(e);
            } finally {
                publishes.clear();
            }
        }
        // end::confirms[]

        /**
         * One message in flight: the JMS client (3.7.0 to 3.9.0) loses the completion of a message whose confirm comes
         * after a later message's, when the broker confirms both at once (a "multiple" ack). A message no queue takes
         * (the board's, with nobody watching) is confirmed at once, ahead of one still being written to the stream;
         * {@code OutcomeConfirmsIT} shows it.
         */
        private void sendAndAwaitConfirm(Publish publish, long deadline)
                throws JMSException, InterruptedException, ExecutionException, TimeoutException {
            CompletableFuture<Void> confirmed = new CompletableFuture<>();
            // The CompletionListener makes it an asynchronous send: the client completes it on the confirm.
            producer.send(publish.to(), publish.writer().write(session), DeliveryMode.PERSISTENT,
                    Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE, whenConfirmed(confirmed));
            confirmed.get(deadline - System.nanoTime(), NANOSECONDS);
        }

        /** Forgets what the step published: a failed step publishes nothing. */
        void discard() {
            publishes.clear();
        }

        private void publish(String exchange, String routingKey, ConfirmedPublisher.Writer writer) {
            publish(exchange, routingKey, writer, false);
        }

        private void publish(String exchange, String routingKey, ConfirmedPublisher.Writer writer, boolean command) {
            RMQDestination to = destinations.computeIfAbsent(exchange + "/" + routingKey,
                    k -> new RMQDestination(exchange + "." + routingKey, exchange, routingKey, null));
            publishes.add(new Publish(to, writer, command));
        }

        private ConfirmedPublisher.BrokerUnavailable notConfirmed(Exception cause) {
            try {
                if (session != null) {
                    session.close();
                }
            } catch (JMSException | RuntimeException closing) {
                LOG.fine("closing the outcome's session: " + closing);
            }
            session = null;
            return new ConfirmedPublisher.BrokerUnavailable("The broker did not confirm what the step published: "
                    + cause, cause);
        }

        private static CompletionListener whenConfirmed(CompletableFuture<Void> confirmed) {
            return new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    confirmed.complete(null);
                }

                @Override
                public void onException(Message message, Exception e) {
                    confirmed.completeExceptionally(e); // a nack
                }
            };
        }

        private static TextMessage text(Session session, String json, String correlationId) throws JMSException {
            TextMessage message = session.createTextMessage(json);
            if (correlationId != null) {
                message.setJMSCorrelationID(correlationId);
            }
            return message;
        }
    }
}
