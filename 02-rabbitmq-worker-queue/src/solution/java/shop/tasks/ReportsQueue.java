package shop.tasks;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Exercise 1's solution: reports get a quorum queue of their own, {@code tasks.reports}, so a burst of
 * slow reports never delays an order e-mail. Only the binding moves; producers still publish to the
 * {@code tasks} exchange with the key {@code report}. Added to the lesson's topology as a {@link TopologyExtension};
 * switched on by {@code tasks.reports-queue=true}, on the producer and on every worker.
 */
@ApplicationScoped
public class ReportsQueue implements TopologyExtension {

    /** The reports' own queue; a worker consumes it with {@code tasks.worker.queue=tasks.reports}. */
    public static final String QUEUE = "tasks.reports";

    /** Off by default, so that the lesson, its walkthrough and its tests keep the plain topology. */
    @Inject
    @ConfigProperty(name = "tasks.reports-queue", defaultValue = "false")
    boolean enabled;

    @Override
    public void declare(Connection connection, int maxAttempts) throws IOException, TimeoutException {
        if (!enabled) {
            return;
        }
        // tag::reports-queue[]
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
        // end::reports-queue[]
    }

    @Override
    public List<String> workQueues() {
        return enabled ? List.of(QUEUE) : List.of();
    }
}
