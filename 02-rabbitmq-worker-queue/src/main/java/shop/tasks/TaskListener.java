package shop.tasks;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Does one task at a time on one session, and acknowledges it only after its work is done and its
 * effect applied. A failure hands the task back to the broker, which redelivers it, and after too
 * many attempts dead-letters it.
 */
final class TaskListener implements MessageListener {

    private static final Logger LOG = Logger.getLogger(TaskListener.class.getName());

    private final Session session;
    private final TaskSettings settings;
    private final Outbox outbox;
    private final WorkerEvents events;
    private final Set<String> inFlight;
    private final Runnable onDone;

    TaskListener(Session session, TaskSettings settings, Outbox outbox, Set<String> inFlight, Runnable onDone)
            throws JMSException {
        this.session = session;
        this.settings = settings;
        this.outbox = outbox;
        this.events = new WorkerEvents(session, settings.workerId());
        this.inFlight = inFlight;
        this.onDone = onDone;
    }

    // tag::on-message[]
    @Override
    public void onMessage(Message message) {
        Task task = null;
        int attempt = 0;
        try {
            // tag::ack-after-work[]
            // Set by the client from the quorum queue's x-delivery-count: 1 on the first delivery.
            attempt = message.getIntProperty("JMSXDeliveryCount");
            task = Task.fromJson(body(message));
            inFlight.add(task.label());
            LOG.info(" [x] Received '" + task.label() + "' (attempt " + attempt + " of " + settings.maxAttempts() + ")");
            events.running(task, attempt);
            long start = System.nanoTime();

            work(settings, task, attempt);
            Outbox.Outcome outcome = outbox.deliver(task);

            long ms = (System.nanoTime() - start) / 1_000_000;
            boolean duplicate = outcome == Outbox.Outcome.ALREADY_APPLIED;
            events.done(task, attempt, ms, duplicate);
            // Only now does the broker forget the task. A crash before this line means redelivery,
            // and the outbox turns the second delivery into a no-op.
            message.acknowledge();
            LOG.info(duplicate
                    ? " [x] Done '" + task.label() + "' in " + ms + " ms (already applied: redelivery skipped)"
                    : " [x] Done '" + task.label() + "' in " + ms + " ms");
            onDone.run();
            // end::ack-after-work[]
        } catch (Exception e) {
            fail(task, attempt, e);
        } finally {
            if (task != null) {
                inFlight.remove(task.label());
            }
        }
    }
    // end::on-message[]

    private void fail(Task task, int attempt, Exception e) {
        String label = task == null ? "unreadable task" : task.label();
        LOG.warning(" [!] Failed '" + label + "' (attempt " + attempt + " of " + settings.maxAttempts() + "): " + e.getMessage());
        try {
            if (task != null) {
                events.failed(task, attempt, String.valueOf(e.getMessage()));
            }
            // Hand the unacknowledged task back: the broker requeues it and counts the delivery.
            session.recover();
        } catch (JMSException | RuntimeException recoverFailed) {
            // The connection is gone; the broker requeues the unacknowledged task by itself.
            LOG.warning(" [!] Could not hand '" + label + "' back: " + recoverFailed.getMessage());
        }
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

    static String body(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText();
        }
        if (message instanceof BytesMessage bytes) {
            // From a plain AMQP publisher that did not mark the body as text.
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            return new String(body, StandardCharsets.UTF_8);
        }
        throw new JMSException("Not a task: " + message.getClass().getSimpleName());
    }

    /** The teaching knob's failure: thrown on the first failAttempts attempts of a task. */
    static final class SimulatedFailure extends Exception {
        SimulatedFailure(String message) {
            super(message, null, false, false);
        }
    }
}
