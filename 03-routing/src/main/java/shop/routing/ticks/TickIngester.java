package shop.routing.ticks;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import shop.routing.Broker;
import shop.routing.BrokerProducer;
import shop.routing.Deliveries;
import shop.routing.Topics;
import shop.routing.Topology;

/**
 * The high-volume entrance for market data: publishes each tick to {@code shop.ticks} under its own
 * routing key, and lets the subscribers' patterns pick. No log line per tick: at thousands a second,
 * logging would cost more than routing.
 */
@ApplicationScoped
public class TickIngester {

    @Inject
    Broker broker;

    @Inject
    Deliveries deliveries;

    // tag::ingest[]
    private BrokerProducer out;

    @PostConstruct
    void init() {
        // A tick is stale a second later: not worth a disk write, nor a redelivery after a broker restart.
        out = new BrokerProducer(broker, null, DeliveryMode.NON_PERSISTENT);
    }

    public synchronized void publish(List<Tick> ticks) throws JMSException {
        try {
            send(ticks);
        } catch (JMSException | RuntimeException e) {
            // The session's channel may be closed under it (a broker that refused a message, a dropped connection):
            // without this, every later tick failed until a restart. Start over on a new session, once.
            deliveries.note("ticks", "", "", " [!] The tick ingester's channel was closed; it starts over on a new one: " + e);
            out.close();
            send(ticks);
        }
    }

    private void send(List<Tick> ticks) throws JMSException {
        Session session = out.session(); // a new one after a reconnect
        for (Tick tick : ticks) {
            TextMessage message = session.createTextMessage(tick.price().toPlainString());
            message.setStringProperty("venue", tick.venue());
            message.setStringProperty("symbol", tick.symbol());
            out.producer().send(Topics.on(Topology.TICKS, tick.key()), message);
        }
    }
    // end::ingest[]

    @PreDestroy
    void close() {
        out.close();
    }
}
