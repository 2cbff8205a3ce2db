package shop.tasks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Declares the exchanges and queues the tasks travel through. Declaring is idempotent, so the
 * producer and every worker do it at start (BrokerSetup, as the administrator: their own users may not), and
 * whichever starts first creates them.
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
    /** Workers report progress here (task.running.w1, task.done.w1, task.failed.w1, worker.heartbeat.w1 for worker w1). */
    public static final String EVENTS_EXCHANGE = "tasks.events";

    private TaskTopology() {
    }

    // tag::declare[]
    public static void declare(Connection connection, int maxAttempts, int maxLength) throws IOException, TimeoutException {
        try (Channel channel = connection.createChannel()) {
            channel.exchangeDeclare(EXCHANGE, "direct", true);
            declareWorkQueue(channel, QUEUE, workQueueArguments(maxAttempts, maxLength));
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
    public static Map<String, Object> workQueueArguments(int maxAttempts, int maxLength) {
        return Map.of(
                // A quorum queue is replicated and counts deliveries: x-delivery-count.
                "x-queue-type", "quorum",
                // After maxAttempts failed deliveries the broker itself dead-letters the task,
                // even when the "failure" is a worker that crashed on it every time.
                "x-delivery-limit", maxAttempts - 1,
                "x-dead-letter-exchange", DEAD_LETTER_EXCHANGE,
                // At-least-once dead-lettering: the task leaves the queue only once tasks.dead has it.
                "x-dead-letter-strategy", "at-least-once",
                // A bound, and what happens at it: the broker nacks the publish, the producer answers 503.
                // Without a bound, reject-publish never fires and the queue grows until memory alarms
                // block every producer on the broker.
                "x-max-length", maxLength,
                "x-overflow", "reject-publish");
    }
    // end::work-queue-arguments[]

    // tag::precondition[]
    /** Declares a work queue; a queue already there with other arguments gets a sentence saying what to do. */
    public static void declareWorkQueue(Channel channel, String queue, Map<String, Object> arguments) throws IOException {
        try {
            channel.queueDeclare(queue, true, false, false, arguments);
        } catch (IOException e) {
            if (e.getCause() instanceof ShutdownSignalException signal
                    && signal.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == AMQP.PRECONDITION_FAILED) {
                throw new IOException("The queue '" + queue + "' exists with other arguments than " + arguments
                        + ": delete it (rabbitmqctl delete_queue " + queue + ", or the management UI; its tasks go with it)"
                        + " and start again. (" + close.getReplyText() + ")", e);
            }
            throw e;
        }
    }
    // end::precondition[]

    /** With the work queue's bound from tasks.max-length, read here so that every declarer uses the same one. */
    public static void declare(Connection connection, int maxAttempts) throws IOException, TimeoutException {
        declare(connection, maxAttempts, maxLength());
    }

    public static Map<String, Object> workQueueArguments(int maxAttempts) {
        return workQueueArguments(maxAttempts, maxLength());
    }

    /**
     * The tasks.max-length key. Read from the config here rather than passed by each caller: the
     * producer, the workers and any work queue added to the topology must all declare the same arguments, or the
     * second declare fails.
     */
    static int maxLength() {
        return ConfigProvider.getConfig().getValue("tasks.max-length", Integer.class);
    }

    /** The topology, then what {@link TopologyExtension} beans add to it, if there are any. */
    public static void declare(Connection connection, int maxAttempts, Iterable<TopologyExtension> added)
            throws IOException, TimeoutException {
        declare(connection, maxAttempts);
        for (TopologyExtension extension : added) {
            extension.declare(connection, maxAttempts);
        }
    }
}
