package shop.tasks;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.jms.admin.RMQDestination;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Exercise 2's solution, the broker's side: one delay queue per retry, {@code tasks.retry.1} (1 s),
 * {@code tasks.retry.2} (2 s), {@code tasks.retry.3} (4 s). A task waits there until its time is up,
 * then the broker dead-letters it back to the {@code tasks} exchange, under its own routing key. Added to the lesson's
 * topology as a {@link TopologyExtension}; switched on by {@code tasks.retry-backoff=true}, with {@link BackoffPolicy}.
 */
@ApplicationScoped
public class RetryQueues implements TopologyExtension {

    /** Off by default, so that the lesson, its walkthrough and its tests keep the immediate redelivery. */
    @Inject
    @ConfigProperty(name = "tasks.retry-backoff", defaultValue = "false")
    boolean enabled;

    /** The delay queue (and its exchange) a task waits in after its failed attempt number {@code attempt}. */
    public static String name(int attempt) {
        return "tasks.retry." + attempt;
    }

    /** 1 s after the first failed attempt, then twice as long after each next one. */
    public static long delayMs(int attempt) {
        return 1_000L << (attempt - 1);
    }

    @Override
    public void declare(Connection connection, int maxAttempts) throws IOException, TimeoutException {
        if (!enabled) {
            return;
        }
        // tag::retry-queues[]
        try (Channel channel = connection.createChannel()) {
            for (int attempt = 1; attempt < maxAttempts; attempt++) {
                // A fanout exchange per delay ignores the routing key, so the task keeps its own
                // (email or report) and goes back to the queue that key is bound to.
                channel.exchangeDeclare(name(attempt), "fanout", true);
                channel.queueDeclare(name(attempt), true, false, false, Map.of(
                        "x-queue-type", "quorum",
                        // One TTL for the whole queue, not per message: tasks expire in order,
                        // so none waits behind a longer-lived one at the head.
                        "x-message-ttl", delayMs(attempt),
                        // When its time is up the task goes back to the tasks exchange...
                        "x-dead-letter-exchange", TaskTopology.EXCHANGE,
                        // ...and leaves this queue only once the broker has it there.
                        "x-dead-letter-strategy", "at-least-once",
                        "x-overflow", "reject-publish"));
                channel.queueBind(name(attempt), name(attempt), "");
            }
        }
        // end::retry-queues[]
    }

    /** The workers publish to the delay exchanges: their broker users must be allowed to (see BrokerUser). */
    @Override
    public List<String> workerWrites() {
        return enabled ? List.of("tasks\\.retry\\.[0-9]+") : List.of();
    }

    /** Where the worker publishes a task whose attempt number {@code attempt} failed, keeping its routing key. */
    static RMQDestination after(int attempt, TaskType type) {
        return new RMQDestination(name(attempt), name(attempt), type.routingKey(), null);
    }
}
