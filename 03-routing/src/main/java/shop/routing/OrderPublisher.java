package shop.routing;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.JMSException;

/**
 * Publishes order events to {@code shop.orders} with the routing key {@code order.<region>.<event>} (or the key
 * of the scheme {@code routing.scheme} chose).
 * It knows nothing about billing, shipping or anyone else: the broker's bindings decide who gets what.
 */
@ApplicationScoped
public class OrderPublisher {

    @Inject
    Broker broker;

    @Inject
    Deliveries deliveries;

    @Inject
    ActiveScheme routing;

    private Session session;
    private MessageProducer producer;

    // tag::publish[]
    public synchronized void publish(OrderEvent event) throws JMSException {
        if (session == null) {
            session = broker.session(); // a JMS session is single-threaded: this one is only used under the lock
            producer = session.createProducer(null);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT); // order events must survive a broker restart
        }
        String key = routing.keyOf(event); // order.<region>.<event>, unless routing.scheme chose another scheme
        producer.send(Topics.on(Topology.ORDERS, key), event.toMessage(session));
        deliveries.sent(key, event.orderId());
    }
    // end::publish[]

    @PreDestroy
    synchronized void close() {
        if (session != null) {
            try {
                session.close();
            } catch (JMSException | RuntimeException e) {
                // already closed with the shared connection
            }
        }
    }
}
