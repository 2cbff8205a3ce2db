package shop.tasks;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a worker says about each task it holds: a log line, an event for the dashboard ({@link WorkerEvents}), and the
 * list its {@link Heartbeat} sends. One per consumer session, as a JMS session belongs to one thread; it also passes
 * a session that cannot commit on to the {@link Watchdog}.
 */
final class Progress {

    private static final Logger LOG = Logger.getLogger(Worker.class.getName());
    /**
     * Where the log lines say they come from, given rather than found: a record without it makes the log formatter
     * walk the stack to find its caller, which cost the worker a tenth of its time per task (WorkerCostExperiment, JFR).
     */
    private static final String SOURCE = Worker.class.getName();

    private final WorkerEvents events;
    private final TaskSettings settings;
    private final Heartbeat heartbeat;
    private final Consumer<String> onBroken;
    private long startNanos;

    Progress(Connection connection, TaskSettings settings, Heartbeat heartbeat, Consumer<String> onBroken)
            throws JMSException {
        // Events on a session of their own, not transacted: "running" must not wait for the commit.
        this.events = new WorkerEvents(connection.createSession(false, Session.AUTO_ACKNOWLEDGE), settings.workerId());
        this.settings = settings;
        this.heartbeat = heartbeat;
        this.onBroken = onBroken;
    }

    void received(Task task, int attempt) throws JMSException {
        heartbeat.holding(task.label());
        LOG.logp(Level.INFO, SOURCE, "onMessage",
                " [x] Received '" + task.label() + "' (attempt " + attempt + " of " + settings.maxAttempts() + ")");
        events.running(task, attempt);
        startNanos = System.nanoTime();
    }

    /** The effect is applied (or was, by an earlier delivery of the same task): the ack comes next. */
    void done(Task task, int attempt, Outbox.Outcome outcome) throws JMSException {
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        boolean duplicate = outcome == Outbox.Outcome.ALREADY_APPLIED;
        events.done(task, attempt, ms, duplicate);
        LOG.logp(Level.INFO, SOURCE, "onMessage", duplicate
                ? " [x] Done '" + task.label() + "' in " + ms + " ms (already applied: redelivery skipped)"
                : " [x] Done '" + task.label() + "' in " + ms + " ms");
        heartbeat.done();
    }

    /** A failed attempt: logged, and reported to the dashboard when the task could be read at all. */
    void failed(Task task, int attempt, Exception e) {
        String label = task == null ? "a task" : "'" + task.label() + "'";
        LOG.warning(" [!] Failed " + label + " (attempt " + attempt + " of " + settings.maxAttempts() + "): " + e.getMessage());
        try {
            if (task != null) {
                events.failed(task, attempt, String.valueOf(e.getMessage()));
            }
        } catch (JMSException | RuntimeException eventLost) {
            LOG.fine("failed event not sent: " + eventLost);
        }
    }

    /** The task is settled, one way or another: the heartbeat no longer lists it. */
    void released(Task task) {
        if (task != null) {
            heartbeat.released(task.label());
        }
    }

    /** This session cannot commit: its channel is gone, and with it the consumer. */
    void broken(String why) {
        onBroken.accept(why);
    }
}
