package shop.routing;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Plain AMQP to JMS: reads the warehouse's "shipped" answers with JMS, from an AMQP queue, and publishes
 * each as the order event {@code order.<region>.shipped}, which the routing then delivers as usual.
 */
final class ShipmentConfirmations implements MessageListener {

    private static final Logger LOG = Logger.getLogger(ShipmentConfirmations.class.getName());

    private final Deliveries deliveries;
    private final OrderPublisher publisher;

    private ShipmentConfirmations(Deliveries deliveries, OrderPublisher publisher) {
        this.deliveries = deliveries;
        this.publisher = publisher;
    }

    static Session start(Broker broker, Deliveries deliveries, OrderPublisher publisher) throws JMSException {
        Session session = broker.session();
        session.createConsumer(AmqpDestinations.consumeFrom(Topology.WAREHOUSE_SHIPPED))
                .setMessageListener(new ShipmentConfirmations(deliveries, publisher));
        return session;
    }

    // tag::shipped[]
    @Override
    public void onMessage(Message message) {
        try {
            // A message from a non-JMS sender arrives as a BytesMessage, unless it carried the header
            // JMSType=TextMessage; the body is exactly the bytes the sender published.
            String text = message instanceof TextMessage t ? t.getText() : utf8((BytesMessage) message);
            JsonObject shipped = Json.createReader(new StringReader(text)).readObject();
            OrderKey key = new OrderKey(shipped.getString("region"), "shipped");
            if (OrderKey.parse(key.toString()) instanceof OrderKey.Invalid invalid) {
                throw new IllegalArgumentException(invalid.detail());
            }
            String orderId = shipped.getString("orderId");
            deliveries.note("shipping", "shipped", orderId, " [shipping] Warehouse shipped " + orderId);
            publisher.publish(new OrderEvent(orderId, key, shipped.getJsonNumber("amount").bigDecimalValue()));
        } catch (JMSException | RuntimeException e) {
            LOG.log(Level.WARNING, " [shipping] Cannot read a warehouse answer; dropped: " + e, e);
        }
        try {
            message.acknowledge(); // after publishing: a crash before this means the answer comes again
        } catch (JMSException e) {
            LOG.log(Level.WARNING, " [shipping] Could not acknowledge a warehouse answer; it will be redelivered", e);
        }
    }
    // end::shipped[]

    private static String utf8(BytesMessage bytes) throws JMSException {
        byte[] body = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(body);
        return new String(body, StandardCharsets.UTF_8);
    }
}
