package shop.tasks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Exercise 2's solution, the worker's side: a {@link FailurePolicy} that sends a failed task to a delay queue
 * ({@link RetryQueues}) instead of straight back to its queue. The worker does the rest as always: the copy and the ack
 * in one commit, and after the last attempt {@code tasks.dead}. Switched on by {@code tasks.retry-backoff=true}.
 */
@ApplicationScoped
public class BackoffPolicy implements FailurePolicy {

    /** Off by default, so that the lesson, its walkthrough and its tests keep the immediate redelivery. */
    @Inject
    @ConfigProperty(name = "tasks.retry-backoff", defaultValue = "false")
    boolean enabled;

    @Override
    public boolean enabled() {
        return enabled;
    }

    // tag::retry-later[]
    /** After failed attempt n the task waits 2^(n-1) s in tasks.retry.n; then the broker sends it back to tasks. */
    @Override
    public Retry retry(Task task, int failedAttempt) {
        return new Retry(RetryQueues.after(failedAttempt, task.type()),
                "in " + RetryQueues.delayMs(failedAttempt) + " ms (waits in " + RetryQueues.name(failedAttempt) + ")");
    }
    // end::retry-later[]
}
