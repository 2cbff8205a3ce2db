package shop.tasks;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** What this module's broker connections add to {@link Rabbit}'s (the same file in 02 and 04): a user per worker. */
@ApplicationScoped
public class RabbitOptions {

    @Inject
    TaskSettings settings;

    /** Longer than the longest simulated work (60 s, see TaskRequest), with room to spare. */
    int onMessageTimeoutMs() {
        return 120_000;
    }

    /** A role's user name as configured; each worker is a user of its own: {id} in rabbitmq.worker.username stands for its tasks.worker.id. */
    String username(String configured) {
        return configured.replace("{id}", settings.workerId());
    }

    /** Plain AMQP here; module 04 shows TLS. */
    void secure(RMQConnectionFactory factory) {
    }

    void secure(ConnectionFactory factory) {
    }

    String scheme() {
        return "amqp";
    }
}
