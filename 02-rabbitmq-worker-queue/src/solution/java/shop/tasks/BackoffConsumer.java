package shop.tasks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Exercise 2's solution, plugged into the worker: a {@link TaskConsumer} whose sessions are transacted and whose
 * listener is a {@link BackoffTaskListener}. Switched on by {@code tasks.retry-backoff=true}, with {@link RetryQueues}.
 */
@ApplicationScoped
public class BackoffConsumer implements TaskConsumer {

    @Inject
    TaskSettings settings;

    /** Off by default, so that the lesson, its walkthrough and its tests keep the immediate redelivery. */
    @Inject
    @ConfigProperty(name = "tasks.retry-backoff", defaultValue = "false")
    boolean enabled;

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public void open(Connection connection, Destination queue, Outbox outbox, Set<String> inFlight, Runnable onDone)
            throws JMSException {
        BackoffTaskListener.consume(connection, queue, settings, outbox, inFlight, onDone);
    }
}
