package shop.tasks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The module's MicroProfile Config keys, with defaults in META-INF/microprofile-config.properties. */
@ApplicationScoped
public class TaskSettings {

    /** What a process of this module runs: the REST API and the dashboard, or a worker ({@code tasks.role}). */
    public enum Role { PRODUCER, WORKER }

    private static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Inject @ConfigProperty(name = "tasks.role")
    String role;
    @Inject @ConfigProperty(name = "tasks.confirm-timeout-ms")
    long confirmTimeoutMs;
    @Inject @ConfigProperty(name = "tasks.max-attempts")
    int maxAttempts;
    @Inject @ConfigProperty(name = "tasks.worker.concurrency")
    int concurrency;
    @Inject @ConfigProperty(name = "tasks.worker.prefetch")
    int prefetch;
    @Inject @ConfigProperty(name = "tasks.worker.queue")
    String workerQueue;
    @Inject @ConfigProperty(name = "tasks.worker.id")
    Optional<String> workerId;
    @Inject @ConfigProperty(name = "tasks.work-ms.email")
    long emailWorkMs;
    @Inject @ConfigProperty(name = "tasks.work-ms.report")
    long reportWorkMs;
    @Inject @ConfigProperty(name = "tasks.outbox-dir")
    String outboxDir;
    @Inject @ConfigProperty(name = "tasks.reconnect-max-ms")
    long reconnectMaxMs;

    /** Whether this process runs {@code role}: the one question every part that belongs to one role asks. */
    public boolean runs(Role role) {
        return Role.valueOf(this.role.trim().toUpperCase(java.util.Locale.ROOT)) == role;
    }

    public long confirmTimeoutMs() {
        return confirmTimeoutMs;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public int concurrency() {
        return concurrency;
    }

    public int prefetch() {
        return prefetch;
    }

    /** The queue this worker consumes: tasks, unless configured otherwise. */
    public String workerQueue() {
        return workerQueue;
    }

    /**
     * A name for this worker on the dashboard: configured, or "worker-" plus the process id. It ends the routing key
     * of the worker's events, and the broker lets each worker publish only its own (see BrokerUser): no dots in it.
     */
    public String workerId() {
        String id = workerId.filter(configured -> !configured.isBlank()).orElse("worker-" + ProcessHandle.current().pid());
        if (!WORKER_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("tasks.worker.id '" + id + "' must be 1-64 letters, digits, dashes or underscores.");
        }
        return id;
    }

    /** The longest wait between two attempts to reach the broker (see {@link Reconnecting}). */
    public long reconnectMaxMs() {
        return reconnectMaxMs;
    }

    public long workMs(TaskType type) {
        return type == TaskType.EMAIL ? emailWorkMs : reportWorkMs;
    }

    public Path outboxDir() {
        return Path.of(outboxDir);
    }
}
