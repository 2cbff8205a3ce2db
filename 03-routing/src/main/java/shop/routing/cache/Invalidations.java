package shop.routing.cache;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import shop.routing.AmqpDestinations;
import shop.routing.Broker;
import shop.routing.BrokerProducer;
import shop.routing.Deliveries;
import shop.routing.Topology;

/** Broadcasts "drop this catalogue entry" to every server's cache, through the fanout exchange. */
@ApplicationScoped
public class Invalidations {

    @Inject
    Broker broker;

    @Inject
    Deliveries deliveries;

    private BrokerProducer out;

    @PostConstruct
    void init() {
        // JMS can publish to any exchange through an amqp=true destination; the key is ignored by fanout.
        out = new BrokerProducer(broker, AmqpDestinations.publishTo(Topology.CACHE_INVALIDATION, ""), DeliveryMode.PERSISTENT);
    }

    public synchronized void invalidate(String sku) throws JMSException {
        Session session = out.session();
        out.producer().send(session.createTextMessage(sku));
        deliveries.note("x", "invalidate", sku, " [x] Sent invalidation '" + sku + "'");
    }

    @PreDestroy
    void close() {
        out.close();
    }
}
