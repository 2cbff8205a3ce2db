package shop.routing.cache;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import shop.routing.AmqpDestinations;
import shop.routing.Broker;
import shop.routing.Deliveries;
import shop.routing.Topology;

/** Broadcasts "drop this catalogue entry" to every server's cache, through the fanout exchange. */
@ApplicationScoped
public class Invalidations {

    @Inject
    Broker broker;

    @Inject
    Deliveries deliveries;

    private Session session;
    private MessageProducer producer;
    private long connection;

    public synchronized void invalidate(String sku) throws JMSException {
        if (session == null || broker.reconnectedSince(connection)) { // a reconnect closed the old session
            close();
            connection = broker.connectionNumber();
            session = broker.session();
            // JMS can publish to any exchange through an amqp=true destination; the key is ignored by fanout.
            producer = session.createProducer(AmqpDestinations.publishTo(Topology.CACHE_INVALIDATION, ""));
        }
        producer.send(session.createTextMessage(sku));
        deliveries.note("x", "invalidate", sku, " [x] Sent invalidation '" + sku + "'");
    }

    @PreDestroy
    synchronized void close() {
        if (session != null) {
            try {
                session.close();
            } catch (JMSException | RuntimeException e) {
                // already closed with the shared connection
            }
            session = null;
        }
    }
}
