package shop.tasks;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Exercise 2's solution, the worker's side: like {@link TaskListener}, but a failed task is not handed
 * straight back. It is moved to a delay queue ({@link RetryQueues}) and the original acknowledged, in
 * one transaction; after the last attempt it goes to {@code tasks.dead}. The worker gets it from
 * {@link BackoffConsumer}, switched on by {@code tasks.retry-backoff=true}.
 */
final class BackoffTaskListener implements MessageListener {

    private static final Logger LOG = Logger.getLogger(BackoffTaskListener.class.getName());

    /** The header that carries the attempt number, since each retry is a new message. */
    static final String ATTEMPT = "attempt";

    private final Session session;
    private final MessageProducer retries;
    private final WorkerEvents events;
    private final TaskSettings settings;
    private final Outbox outbox;
    private final Set<String> inFlight;
    private final Runnable onDone;

    private BackoffTaskListener(Session session, Session eventSession, TaskSettings settings, Outbox outbox,
                                Set<String> inFlight, Runnable onDone) throws JMSException {
        this.session = session;
        this.retries = session.createProducer(null);
        // Progress events on a session of their own, not transacted: "running" must not wait for the commit.
        this.events = new WorkerEvents(eventSession, settings.workerId());
        this.settings = settings;
        this.outbox = outbox;
        this.inFlight = inFlight;
        this.onDone = onDone;
    }

    /** Opens one consumer of {@code queue} on a transacted session, with this listener. */
    static void consume(Connection connection, Destination queue, TaskSettings settings, Outbox outbox,
                        Set<String> inFlight, Runnable onDone) throws JMSException {
        // Transacted: the ack of the task and the publish of its retry happen together, at commit.
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        // Used only from this session's listener thread, so it belongs to one thread as well.
        Session eventSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        session.createConsumer(queue).setMessageListener(
                new BackoffTaskListener(session, eventSession, settings, outbox, inFlight, onDone));
    }

    @Override
    public void onMessage(Message message) {
        Task task = null;
        int attempt = 0;
        try {
            attempt = attempt(message);
            task = TaskReader.read(message);
            inFlight.add(task.label());
            LOG.info(" [x] Received '" + task.label() + "' (attempt " + attempt + " of " + settings.maxAttempts() + ")");
            events.running(task, attempt);
            long start = System.nanoTime();

            TaskListener.work(settings, task, attempt);
            Outbox.Outcome outcome = outbox.deliver(task);

            long ms = (System.nanoTime() - start) / 1_000_000;
            boolean duplicate = outcome == Outbox.Outcome.ALREADY_APPLIED;
            events.done(task, attempt, ms, duplicate);
            session.commit(); // the ack, after the work, as in TaskListener
            LOG.info(duplicate
                    ? " [x] Done '" + task.label() + "' in " + ms + " ms (already applied: redelivery skipped)"
                    : " [x] Done '" + task.label() + "' in " + ms + " ms");
            onDone.run();
        } catch (TaskReader.Unreadable e) {
            unreadable(message, e.getMessage());
        } catch (Exception e) {
            failed(task, attempt, e);
        } finally {
            if (task != null) {
                inFlight.remove(task.label());
            }
        }
    }

    // tag::attempt[]
    /**
     * The worker counts now. Each retry is a new message, and the queue's delivery count
     * (JMSXDeliveryCount) starts again at 1 on every copy; so the copy carries its attempt number
     * in a header. Deliveries of the same copy (a worker that crashed on it) still count.
     */
    static int attempt(Message message) throws JMSException {
        int first = message.propertyExists(ATTEMPT) ? message.getIntProperty(ATTEMPT) : 1;
        return first + message.getIntProperty("JMSXDeliveryCount") - 1;
    }
    // end::attempt[]

    private void failed(Task task, int attempt, Exception e) {
        String label = task == null ? "unreadable task" : task.label();
        LOG.warning(" [!] Failed '" + label + "' (attempt " + attempt + " of " + settings.maxAttempts() + "): " + e.getMessage());
        try {
            if (task != null) {
                events.failed(task, attempt, String.valueOf(e.getMessage()));
                retryLater(task, attempt);
            }
        } catch (JMSException | RuntimeException commitFailed) {
            // Nothing was committed: the task is still unacknowledged in its queue, and comes again. No rollback:
            // with the RabbitMQ JMS client it requeues every message the channel holds (see TaskListener, tag session),
            // and a session that cannot commit is dead anyway; the worker's watchdog restarts its consumer.
            LOG.warning(" [!] Could not move '" + label + "' to its retry: " + commitFailed.getMessage());
        }
    }

    /** A message that can never become a task: to tasks.dead at once, as it came, with the reason. */
    private void unreadable(Message message, String reason) {
        try {
            jakarta.jms.BytesMessage copy = session.createBytesMessage();
            if (message instanceof jakarta.jms.BytesMessage bytes) {
                bytes.reset();
                byte[] body = new byte[(int) bytes.getBodyLength()];
                bytes.readBytes(body);
                copy.writeBytes(body);
            } else if (message instanceof TextMessage text && text.getText() != null) {
                copy.writeBytes(text.getText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            copy.setStringProperty(TaskListener.REASON, "unreadable: " + reason);
            retries.send(RetryQueues.deadLetters(TaskType.REPORT), copy);
            session.commit();
            LOG.warning(" [!] Moved an unreadable message to " + TaskTopology.DEAD_LETTER_QUEUE + ": unreadable: " + reason);
        } catch (JMSException | RuntimeException commitFailed) {
            LOG.warning(" [!] Could not move an unreadable message to " + TaskTopology.DEAD_LETTER_QUEUE + ": " + commitFailed.getMessage());
        }
    }

    // tag::retry-later[]
    private void retryLater(Task task, int attempt) throws JMSException {
        boolean last = attempt >= settings.maxAttempts();
        Destination next = last ? RetryQueues.deadLetters(task.type()) : RetryQueues.after(attempt, task.type());
        TextMessage copy = session.createTextMessage(task.toJson());
        copy.setStringProperty("taskId", task.id());
        copy.setIntProperty(ATTEMPT, attempt + 1);
        retries.send(next, copy, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
        // One transaction: the copy lands in the delay queue and the original is acknowledged
        // together, at this commit. Before it, neither happened; a crash leaves the original.
        session.commit();
        LOG.info(last
                ? " [x] Gave up on '" + task.label() + "' after " + attempt + " attempts: sent to " + TaskTopology.DEAD_LETTER_QUEUE
                : " [x] Retrying '" + task.label() + "' in " + RetryQueues.delayMs(attempt) + " ms (waits in " + RetryQueues.name(attempt) + ")");
    }
    // end::retry-later[]
}
