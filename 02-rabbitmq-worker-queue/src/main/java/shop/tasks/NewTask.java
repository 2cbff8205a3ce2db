package shop.tasks;

import com.rabbitmq.jms.admin.RMQDestination;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import shop.tasks.ConfirmedPublisher.BrokerUnavailable;

/**
 * The producer: publishes a task as a persistent message and lets its caller wait for the broker's
 * confirm, so that "202 Accepted" means the broker has the task.
 */
@ApplicationScoped
public class NewTask {

    private static final Logger LOG = Logger.getLogger(NewTask.class.getName());

    @Inject
    Rabbit rabbit;
    @Inject
    TaskSettings settings;
    @Inject
    BrokerSetup setup;

    private final Map<TaskType, RMQDestination> destinations = new EnumMap<>(TaskType.class);
    private ConfirmedPublisher publisher;

    NewTask() {
        for (TaskType type : TaskType.values()) {
            // A JMS destination mapped onto the plain AMQP exchange that TaskTopology declared.
            destinations.put(type, new RMQDestination(TaskTopology.QUEUE, TaskTopology.EXCHANGE, type.routingKey(), null));
        }
    }

    @PostConstruct
    void init() {
        publisher = new ConfirmedPublisher("task", rabbit.describe(), settings.confirmTimeoutMs(), this::connect);
    }

    // tag::send[]
    /** Publishes the task; the future completes when the broker confirms it, and fails when it refuses it or the connection dies first. */
    public CompletableFuture<Void> publish(Task task) {
        return publisher.publish(task.label(), destinations.get(task.type()), session -> {
            TextMessage message = session.createTextMessage(task.toJson());
            message.setStringProperty("taskId", task.id());
            return message;
        }, () -> LOG.info(" [x] Sent '" + task.label() + "'"));
    }

    /** Waits until the deadline for the confirm of a task published before, by this request or an earlier one with the same key. */
    public void await(Task task, CompletableFuture<Void> confirmed, long deadlineNanos) throws BrokerUnavailable {
        publisher.await(task.label(), confirmed, deadlineNanos);
    }
    // end::send[]

    /** How many published tasks still wait for their confirm; for teaching and the tests, shown on /api/producer. */
    public int unconfirmed() {
        return publisher.unconfirmed();
    }

    /** The producer's connection, opened by the publisher when it needs one. */
    private Connection connect() throws JMSException, BrokerUnavailable {
        try {
            setup.ensureUsers();
        } catch (Exception e) {
            throw new BrokerUnavailable("The broker at " + rabbit.describe() + " cannot be set up: " + e.getMessage(), e);
        }
        // As the producer's own user: it may publish to the tasks exchange, and nothing else.
        Connection connection = rabbit.jms(BrokerUser.PRODUCER).createConnection();
        LOG.info(" [*] Producer connected to " + rabbit.describe());
        return connection;
    }

    @PreDestroy
    void disconnect() {
        publisher.close();
    }
}
