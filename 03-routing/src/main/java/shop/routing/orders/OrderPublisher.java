package shop.routing.orders;

import com.rabbitmq.jms.admin.RMQConnectionFactory;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import shop.routing.BrokerSettings;
import shop.routing.Deliveries;
import shop.routing.OrderEvent;
import shop.routing.Topics;
import shop.routing.Topology;
import shop.routing.orders.ConfirmedPublisher.BrokerUnavailable;

/**
 * Publishes order events to {@code shop.orders} with the routing key {@code order.<region>.<event>} (or the key
 * of the scheme {@code routing.scheme} chose), and lets its caller wait for the broker's confirm.
 * It knows nothing about billing, shipping or anyone else: the broker's bindings decide who gets what.
 */
@ApplicationScoped
public class OrderPublisher {

    @Inject
    BrokerSettings settings;

    @Inject
    Deliveries deliveries;

    @Inject
    ActiveScheme routing;

    @Inject
    @ConfigProperty(name = "routing.confirm-timeout-ms", defaultValue = "5000")
    long confirmTimeoutMs;

    private ConfirmedPublisher publisher;

    @PostConstruct
    void init() {
        publisher = new ConfirmedPublisher("event", settings.describe(), confirmTimeoutMs, this::connect);
    }

    // tag::publish[]
    /** Publishes the event under {@code eventId}; the future completes on the broker's confirm, fails on a nack or a dead connection. */
    public CompletableFuture<Void> publish(OrderEvent event, String eventId) {
        String key = routing.keyOf(event); // order.<region>.<event>, unless routing.scheme chose another scheme
        return publisher.publish(key + " " + event.orderId(), Topics.on(Topology.ORDERS, key), session -> {
            Message message = event.toMessage(session);
            message.setStringProperty("eventId", eventId); // the services skip an event id they have handled
            return message;
        }, () -> deliveries.sent(key, event.orderId())); // " [x] Sent": only once the broker has it
    }
    // end::publish[]

    /** Waits until the deadline for the confirm of an event published before, by this request or an earlier one with the same key. */
    public void await(OrderEvent event, CompletableFuture<Void> confirmed, long deadlineNanos) throws BrokerUnavailable {
        publisher.await(routing.keyOf(event) + " " + event.orderId(), confirmed, deadlineNanos);
    }

    /** The deadline for a confirm awaited from now: {@code routing.confirm-timeout-ms}. */
    public long deadline() {
        return publisher.deadline();
    }

    /** How many published events still wait for their confirm; for the tests. */
    int unconfirmed() {
        return publisher.unconfirmed();
    }

    /** The publisher's own connection, so it can start over without touching the services' consumers. */
    private Connection connect() throws JMSException {
        RMQConnectionFactory factory = settings.jms();
        // Fail in 2 s when the broker is unreachable, and reconnect here rather than let the AMQP client
        // replay half a JMS session.
        factory.setAmqpConnectionFactoryPostProcessor(amqp -> {
            amqp.setConnectionTimeout(2_000);
            amqp.setAutomaticRecoveryEnabled(false);
        });
        return factory.createConnection();
    }

    @PreDestroy
    void disconnect() {
        publisher.close();
    }
}
