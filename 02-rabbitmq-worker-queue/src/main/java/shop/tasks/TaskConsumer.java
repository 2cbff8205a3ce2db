package shop.tasks;

import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import java.util.Set;

/**
 * Another way for a worker to consume its queue, added from outside the lesson as a CDI bean: when one is
 * {@link #enabled()}, {@link Worker} has it open each of its sessions instead of the lesson's transacted
 * session with a {@link TaskListener}, for example to handle a failed task another way.
 */
public interface TaskConsumer {

    /** Whether this worker consumes this way; a bean switched off by its configuration key answers false. */
    default boolean enabled() {
        return true;
    }

    /**
     * Opens one session on {@code connection} that consumes {@code queue}, with its listener; the worker starts the
     * connection afterwards. The listener applies each effect through {@code outbox}, keeps the labels of the tasks
     * it holds in {@code inFlight} (the heartbeat shows them), and runs {@code onDone} after each task done.
     */
    void open(Connection connection, Destination queue, Outbox outbox, Set<String> inFlight, Runnable onDone)
            throws JMSException;
}
