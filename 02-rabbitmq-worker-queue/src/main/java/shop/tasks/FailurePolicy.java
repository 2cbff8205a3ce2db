package shop.tasks;

import com.rabbitmq.jms.admin.RMQDestination;
import jakarta.jms.Destination;

/**
 * Where a failed task waits for its next attempt: the one thing {@link FailedTasks} leaves open. The lesson's,
 * {@link #AT_ONCE}, sends it straight back to its queue. Another, added from outside the lesson as a CDI bean that
 * is {@link #enabled()}, takes its place ({@link Watchdog} looks them up).
 */
public interface FailurePolicy {

    // tag::at-once[]
    /** At once: through the tasks exchange, under the task's own routing key, to the back of its queue. */
    FailurePolicy AT_ONCE = (task, failedAttempt) -> new Retry(
            new RMQDestination(TaskTopology.EXCHANGE, TaskTopology.EXCHANGE, task.type().routingKey(), null),
            "at once, at the back of the queue");
    // end::at-once[]

    /** Whether this worker uses it; a bean switched off by its configuration key answers false. */
    default boolean enabled() {
        return true;
    }

    /** Where {@code task}, whose attempt number {@code failedAttempt} failed, goes for its next one. */
    Retry retry(Task task, int failedAttempt);

    /** The destination of a task's copy for its next attempt, and when that comes, for the log line. */
    record Retry(Destination destination, String when) {
    }
}
