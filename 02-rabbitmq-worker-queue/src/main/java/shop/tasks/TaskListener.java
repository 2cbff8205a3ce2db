package shop.tasks;

import com.rabbitmq.jms.admin.RMQDestination;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Does one task at a time on one transacted session, and acknowledges it only after its work is done
 * and its effect applied. A failed task is settled by the worker itself: acknowledged together with a
 * copy that goes back to the queue for its next attempt, or, after its last attempt or when it can
 * never be read, to {@code tasks.dead}, with one log line that says why.
 */
final class TaskListener implements MessageListener {

    private static final Logger LOG = Logger.getLogger(TaskListener.class.getName());

    /** The header that carries the attempt number, since each retry is a new message. */
    static final String ATTEMPT = "attempt";
    /** The header that tells a human reading tasks.dead why the worker put the message there. */
    static final String REASON = "reason";

    private final Session session;
    private final MessageProducer settle;
    private final TaskSettings settings;
    private final Outbox outbox;
    private final WorkerEvents events;
    private final Set<String> inFlight;
    private final Runnable onDone;
    private final Consumer<String> onBroken;

    private TaskListener(Session session, Session eventSession, TaskSettings settings, Outbox outbox,
                         Set<String> inFlight, Runnable onDone, Consumer<String> onBroken) throws JMSException {
        this.session = session;
        this.settle = session.createProducer(null);
        this.settle.setDeliveryMode(DeliveryMode.PERSISTENT);
        this.settings = settings;
        this.outbox = outbox;
        // Progress events on a session of their own, not transacted: "running" must not wait for the commit.
        this.events = new WorkerEvents(eventSession, settings.workerId());
        this.inFlight = inFlight;
        this.onDone = onDone;
        this.onBroken = onBroken;
    }

    // tag::session[]
    /**
     * Opens one consumer of {@code queue} on a transacted session, with this listener. Transacted, not
     * CLIENT_ACKNOWLEDGE with session.recover(): the RabbitMQ JMS client has no way to hand back one message.
     * recover() (and rollback()) requeue every message the channel holds, also one the client has already
     * prefetched, which it then hands to the listener all the same; the ack of that stale delivery makes the
     * broker close the channel (PRECONDITION_FAILED - unknown delivery tag) and the consumer is gone, silently.
     * So this listener never hands a message back: each delivery ends in one commit, of the ack alone (done)
     * or of the ack and the message's next stop (failed). Nothing else is ever requeued.
     */
    static void consume(Connection connection, Destination queue, TaskSettings settings, Outbox outbox,
                        Set<String> inFlight, Runnable onDone, Consumer<String> onBroken) throws JMSException {
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        // Used only from this session's listener thread, so it belongs to one thread as well.
        Session eventSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        session.createConsumer(queue).setMessageListener(
                new TaskListener(session, eventSession, settings, outbox, inFlight, onDone, onBroken));
    }
    // end::session[]

    // tag::on-message[]
    @Override
    public void onMessage(Message message) {
        Task task = null;
        int attempt = 0;
        try {
            // tag::ack-after-work[]
            attempt = attempt(message);
            task = TaskReader.read(message);
            inFlight.add(task.label());
            LOG.info(" [x] Received '" + task.label() + "' (attempt " + attempt + " of " + settings.maxAttempts() + ")");
            events.running(task, attempt);
            long start = System.nanoTime();

            work(settings, task, attempt);
            Outbox.Outcome outcome = outbox.deliver(task);

            long ms = (System.nanoTime() - start) / 1_000_000;
            boolean duplicate = outcome == Outbox.Outcome.ALREADY_APPLIED;
            events.done(task, attempt, ms, duplicate);
            // Only now does the broker forget the task: the commit is the ack. A crash before this line
            // means redelivery, and the outbox turns the second delivery into a no-op.
            session.commit();
            LOG.info(duplicate
                    ? " [x] Done '" + task.label() + "' in " + ms + " ms (already applied: redelivery skipped)"
                    : " [x] Done '" + task.label() + "' in " + ms + " ms");
            onDone.run();
            // end::ack-after-work[]
        } catch (TaskReader.Unreadable e) {
            settle(message, null, attempt, "unreadable: " + e.getMessage());
        } catch (Exception e) {
            failed(message, task, attempt, e);
        } finally {
            if (task != null) {
                inFlight.remove(task.label());
            }
        }
    }
    // end::on-message[]

    /**
     * The attempt this delivery is: each retry is a new message that carries its number, and deliveries of the
     * same message (a worker that crashed on it) count as well, from the quorum queue's x-delivery-count.
     */
    static int attempt(Message message) throws JMSException {
        int first = message.propertyExists(ATTEMPT) ? message.getIntProperty(ATTEMPT) : 1;
        return first + message.getIntProperty("JMSXDeliveryCount") - 1;
    }

    private void failed(Message message, Task task, int attempt, Exception e) {
        String label = task == null ? "a task" : "'" + task.label() + "'";
        LOG.warning(" [!] Failed " + label + " (attempt " + attempt + " of " + settings.maxAttempts() + "): " + e.getMessage());
        try {
            if (task != null) {
                events.failed(task, attempt, String.valueOf(e.getMessage()));
            }
        } catch (JMSException | RuntimeException eventLost) {
            LOG.fine("failed event not sent: " + eventLost);
        }
        settle(message, task, attempt, "failed " + attempt + " of " + settings.maxAttempts() + " attempts: " + e.getMessage());
    }

    // tag::settle[]
    /**
     * Acknowledges the delivery and publishes its next stop, in one transaction: back to the queue for the next
     * attempt, or to tasks.dead after the last one, or at once when it cannot be read (retrying cannot change
     * its bytes). Before the commit neither happened: a crash leaves the original in the queue.
     */
    private void settle(Message message, Task task, int attempt, String reason) {
        boolean retry = task != null && attempt < settings.maxAttempts();
        String what = task == null ? "an unreadable message" : "'" + task.label() + "'";
        try {
            Message copy = task == null ? copyOf(message) : session.createTextMessage(task.toJson());
            copy.setIntProperty(ATTEMPT, attempt + 1);
            if (retry) {
                settle.send(route(TaskTopology.EXCHANGE, task.type().routingKey()), copy);
            } else {
                copy.setStringProperty(REASON, reason);
                settle.send(route(TaskTopology.DEAD_LETTER_EXCHANGE, task == null ? "" : task.type().routingKey()), copy);
            }
            session.commit();
            if (!retry) {
                LOG.warning(" [!] Moved " + what + " to " + TaskTopology.DEAD_LETTER_QUEUE + ": " + reason);
            }
        } catch (JMSException | RuntimeException broken) {
            // Nothing was committed: the delivery is still unacknowledged, and comes again once the
            // channel is gone. A session that cannot commit is of no more use: the worker restarts its consumers.
            onBroken.accept("could not settle " + what + ": " + broken);
        }
    }
    // end::settle[]

    /** The message as it came, byte for byte, for a human to read in tasks.dead. */
    private Message copyOf(Message message) throws JMSException {
        BytesMessage copy = session.createBytesMessage();
        if (message instanceof BytesMessage bytes) {
            bytes.reset();
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            copy.writeBytes(body);
        } else if (message instanceof TextMessage text && text.getText() != null) {
            copy.writeBytes(text.getText().getBytes(StandardCharsets.UTF_8));
        }
        return copy;
    }

    private static RMQDestination route(String exchange, String routingKey) {
        return new RMQDestination(exchange, exchange, routingKey, null);
    }

    // tag::work[]
    /** Simulated work: the e-mail is rendered, the report computed. */
    static void work(TaskSettings settings, Task task, int attempt) throws InterruptedException, SimulatedFailure {
        long ms = task.workMs() >= 0 ? task.workMs() : settings.workMs(task.type());
        Thread.sleep(ms);
        if (attempt <= task.failAttempts()) {
            throw new SimulatedFailure("simulated failure (fails its first " + task.failAttempts() + " attempts)");
        }
    }
    // end::work[]

    /** The teaching knob's failure: thrown on the first failAttempts attempts of a task. */
    static final class SimulatedFailure extends Exception {
        SimulatedFailure(String message) {
            super(message, null, false, false);
        }
    }
}
