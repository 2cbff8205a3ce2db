package shop.tasks;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * More queues, exchanges or bindings, added to the tasks' topology from outside the lesson as a CDI bean:
 * {@link TaskTopology} declares them right after its own, on the producer and on every worker.
 */
public interface TopologyExtension {

    /** Declares what it adds, idempotently, as the lesson's own declare is; a bean switched off declares nothing. */
    void declare(Connection connection, int maxAttempts) throws IOException, TimeoutException;

    /** The queues it adds that hold tasks, which the dashboard counts with {@code tasks}. */
    default List<String> workQueues() {
        return List.of();
    }

    /** The exchanges it adds that workers publish to, as regexes: each worker's broker user may write there too (BrokerUser). */
    default List<String> workerWrites() {
        return List.of();
    }
}
