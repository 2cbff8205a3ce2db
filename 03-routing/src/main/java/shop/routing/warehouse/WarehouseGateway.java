package shop.routing.warehouse;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.json.spi.JsonProvider;
import shop.routing.AmqpDestinations;
import shop.routing.Broker;
import shop.routing.OrderEvent;
import shop.routing.Topology;

/** JMS to plain AMQP: shipping asks the warehouse, a non-JMS service, to pick a paid order. */
@ApplicationScoped
public class WarehouseGateway {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    Broker broker;

    private Session session;
    private MessageProducer producer;
    private long connection;

    // tag::pick[]
    public synchronized void requestPick(OrderEvent paid) throws JMSException {
        if (session == null || broker.reconnectedSince(connection)) { // a reconnect closed the old session
            close();
            connection = broker.connectionNumber();
            session = broker.session();
            producer = session.createProducer(AmqpDestinations.publishTo(Topology.WAREHOUSE, "pick"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        }
        TextMessage pick = session.createTextMessage(JSON.createObjectBuilder().add("orderId", paid.orderId())
                .add("region", paid.key().region()).add("amount", paid.amount()).build().toString());
        pick.setStringProperty("orderId", paid.orderId()); // arrives as the AMQP header "orderId"
        producer.send(pick);
    }
    // end::pick[]

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
