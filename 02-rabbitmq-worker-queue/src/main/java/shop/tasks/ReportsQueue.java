package shop.tasks;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Exercise 1's solution: reports get a quorum queue of their own, {@code tasks.reports}, so a burst of
 * slow reports never delays an order e-mail. Only the binding moves; producers still publish to the
 * {@code tasks} exchange with the key {@code report}. Switched on by {@code tasks.reports-queue=true}.
 */
public final class ReportsQueue {

    /** The reports' own queue; a worker consumes it with {@code tasks.worker.queue=tasks.reports}. */
    public static final String QUEUE = "tasks.reports";

    private ReportsQueue() {
    }

    // tag::reports-queue[]
    public static void declare(Connection connection, int maxAttempts) throws IOException, TimeoutException {
        try (Channel channel = connection.createChannel()) {
            // The same arguments as tasks: quorum, delivery limit, dead-lettering to tasks.dead.
            channel.queueDeclare(QUEUE, true, false, false, TaskTopology.workQueueArguments(maxAttempts));
            String report = TaskType.REPORT.routingKey();
            // Bind the new route before removing the old one. A report published in between goes
            // to both queues (the outbox turns its second run into a no-op), never to neither: an
            // unroutable message is confirmed to the producer and then dropped.
            channel.queueBind(QUEUE, TaskTopology.EXCHANGE, report);
            channel.queueUnbind(TaskTopology.QUEUE, TaskTopology.EXCHANGE, report);
        }
    }
    // end::reports-queue[]
}
