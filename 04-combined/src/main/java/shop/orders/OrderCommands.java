package shop.orders;

import com.rabbitmq.jms.admin.RMQDestination;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import shop.orders.ConfirmedPublisher.BrokerUnavailable;

/**
 * The web instance's way into the workflow: publishes a customer's command (place an order, answer
 * a question) as a persistent message, and returns only once the broker has confirmed it. Only
 * then does the page hear "accepted".
 */
@ApplicationScoped
public class OrderCommands {

    private static final Logger LOG = Logger.getLogger(OrderCommands.class.getName());

    @Inject
    Rabbit rabbit;
    @Inject
    BrokerSetup setup;
    @Inject
    ShopSettings settings;

    private ConfirmedPublisher publisher;

    @PostConstruct
    void init() {
        publisher = new ConfirmedPublisher("command", rabbit.describe(), settings.confirmTimeoutMs(), this::connect);
    }

    // tag::send[]
    /** Publishes the command, and returns once the broker has confirmed it; throws if it did not. */
    // tag::publish[]
    public void send(Command command) throws BrokerUnavailable {
        // The routing key is the command: the exchange takes it to the one service that handles it.
        RMQDestination to = new RMQDestination(command.name(), OrderTopology.COMMANDS, command.name(), null);
        String label = command.name() + " " + command.orderId();
        CompletableFuture<Void> confirmed = publisher.publish(label, to, session -> {
            TextMessage message = session.createTextMessage(command.toJson());
            message.setJMSCorrelationID(command.correlationId());
            return message;
        }, () -> LOG.info(" [x] Sent '" + command.name() + "' order=" + command.orderId() + " correlation=" + command.correlationId()));
        // Only once the broker has the command may the page be told "accepted".
        publisher.await(label, confirmed, publisher.deadline());
    }
    // end::publish[]
    // end::send[]

    /** Confirms still awaited; for the tests: none is left behind, however a command ended. */
    int unconfirmed() {
        return publisher.unconfirmed();
    }

    /** The web tier's connection, opened by the publisher when it needs one. */
    private Connection connect() throws JMSException, BrokerUnavailable {
        try {
            setup.ensure();
        } catch (Exception e) {
            throw new BrokerUnavailable("The broker at " + rabbit.describe() + " cannot be reached.", e);
        }
        // As the web tier's own user: it may publish commands, and consumes no step's queue (see Role).
        return rabbit.jms(Role.WEB, 1).createConnection();
    }

    @PreDestroy
    void disconnect() {
        publisher.close();
    }
}
