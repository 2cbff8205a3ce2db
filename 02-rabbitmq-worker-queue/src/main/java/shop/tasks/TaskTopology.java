package shop.tasks;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Declares the exchanges and queues the tasks travel through. Declaring is idempotent, so the
 * producer and every worker do it at start, and whichever starts first creates them.
 */
public final class TaskTopology {

    /** Producers publish here, with the task type as routing key. */
    public static final String EXCHANGE = "tasks";
    /** The work queue every worker consumes, unless {@code tasks.worker.queue} names another. */
    public static final String QUEUE = "tasks";
    /** Where the broker sends a task that has failed too often. */
    public static final String DEAD_LETTER_EXCHANGE = "tasks.dlx";
    /** Dead-lettered tasks wait here for a human: inspect them, fix the cause, move them back. */
    public static final String DEAD_LETTER_QUEUE = "tasks.dead";
    /** Workers report progress here (task.running, task.done, task.failed, worker.heartbeat). */
    public static final String EVENTS_EXCHANGE = "tasks.events";

    private TaskTopology() {
    }

    // tag::declare[]
    public static void declare(Connection connection, int maxAttempts) throws IOException, TimeoutException {
        try (Channel channel = connection.createChannel()) {
            channel.exchangeDeclare(EXCHANGE, "direct", true);
            channel.queueDeclare(QUEUE, true, false, false, workQueueArguments(maxAttempts));
            for (TaskType type : TaskType.values()) {
                channel.queueBind(QUEUE, EXCHANGE, type.routingKey());
            }

            channel.exchangeDeclare(DEAD_LETTER_EXCHANGE, "fanout", true);
            channel.queueDeclare(DEAD_LETTER_QUEUE, true, false, false, Map.of("x-queue-type", "quorum"));
            channel.queueBind(DEAD_LETTER_QUEUE, DEAD_LETTER_EXCHANGE, "");

            channel.exchangeDeclare(EVENTS_EXCHANGE, "topic", true);
        }
    }
    // end::declare[]

    // tag::work-queue-arguments[]
    public static Map<String, Object> workQueueArguments(int maxAttempts) {
        return Map.of(
                // A quorum queue is replicated and counts deliveries: x-delivery-count.
                "x-queue-type", "quorum",
                // After maxAttempts failed deliveries the broker itself dead-letters the task,
                // even when the "failure" is a worker that crashed on it every time.
                "x-delivery-limit", maxAttempts - 1,
                "x-dead-letter-exchange", DEAD_LETTER_EXCHANGE,
                // At-least-once dead-lettering: the task leaves the queue only once tasks.dead has it.
                "x-dead-letter-strategy", "at-least-once",
                "x-overflow", "reject-publish");
    }
    // end::work-queue-arguments[]

    /** The topology, then what {@link TopologyExtension} beans add to it, if there are any. */
    public static void declare(Connection connection, int maxAttempts, Iterable<TopologyExtension> added)
            throws IOException, TimeoutException {
        declare(connection, maxAttempts);
        for (TopologyExtension extension : added) {
            extension.declare(connection, maxAttempts);
        }
    }
}
