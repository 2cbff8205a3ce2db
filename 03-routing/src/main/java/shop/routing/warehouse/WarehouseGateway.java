package shop.routing.warehouse;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.json.spi.JsonProvider;
import shop.routing.AmqpDestinations;
import shop.routing.Broker;
import shop.routing.BrokerProducer;
import shop.routing.OrderEvent;
import shop.routing.Topology;

/** JMS to plain AMQP: shipping asks the warehouse, a non-JMS service, to pick a paid order. */
@ApplicationScoped
public class WarehouseGateway {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    Broker broker;

    // tag::pick[]
    private BrokerProducer picks;

    @PostConstruct
    void init() {
        // persistent: a pick request must survive a broker restart until the warehouse takes it
        picks = new BrokerProducer(broker, AmqpDestinations.publishTo(Topology.WAREHOUSE, "pick"), DeliveryMode.PERSISTENT);
    }

    public synchronized void requestPick(OrderEvent paid) throws JMSException {
        Session session = picks.session(); // a new one after a reconnect
        TextMessage pick = session.createTextMessage(JSON.createObjectBuilder().add("orderId", paid.orderId())
                .add("region", paid.key().region()).add("amount", paid.amount()).build().toString());
        pick.setStringProperty("orderId", paid.orderId()); // arrives as the AMQP header "orderId"
        picks.producer().send(pick);
    }
    // end::pick[]

    @PreDestroy
    void close() {
        picks.close();
    }
}
