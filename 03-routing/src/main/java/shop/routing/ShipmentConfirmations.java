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
import java.util.UUID;
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
    private final Session session;
    /** Set when the broker did not take a shipped event: the answer stays unacknowledged until the session closes. */
    private volatile boolean broken;

    private ShipmentConfirmations(Deliveries deliveries, OrderPublisher publisher, Session session) {
        this.deliveries = deliveries;
        this.publisher = publisher;
        this.session = session;
    }

    static ShipmentConfirmations start(Broker broker, Deliveries deliveries, OrderPublisher publisher) throws JMSException {
        Session session = broker.session();
        ShipmentConfirmations confirmations = new ShipmentConfirmations(deliveries, publisher, session);
        session.createConsumer(AmqpDestinations.consumeFrom(Topology.WAREHOUSE_SHIPPED)).setMessageListener(confirmations);
        return confirmations;
    }

    /** True once an answer could not be passed on: the watchdog closes this session, which hands it back, and starts anew. */
    boolean broken() {
        return broken;
    }

    void close() throws JMSException {
        session.close();
    }

    // tag::shipped[]
    @Override
    public void onMessage(Message message) {
        if (broken) {
            return; // not acknowledged: it goes back to the queue when the watchdog closes this session
        }
        OrderEvent event;
        try {
            // A message from a non-JMS sender arrives as a BytesMessage, unless it carried the header
            // JMSType=TextMessage; the body is exactly the bytes the sender published.
            String text = message instanceof TextMessage t ? t.getText() : utf8((BytesMessage) message);
            JsonObject shipped = Json.createReader(new StringReader(text)).readObject();
            OrderKey key = new OrderKey(shipped.getString("region"), "shipped");
            if (OrderKey.parse(key.toString()) instanceof OrderKey.Invalid invalid) {
                throw new IllegalArgumentException(invalid.detail());
            }
            event = new OrderEvent(shipped.getString("orderId"), key, shipped.getJsonNumber("amount").bigDecimalValue());
        } catch (JMSException | RuntimeException e) {
            LOG.log(Level.WARNING, " [shipping] Cannot read a warehouse answer; dropped: " + e, e);
            acknowledge(message);
            return;
        }
        deliveries.note("shipping", "shipped", event.orderId(), " [shipping] Warehouse shipped " + event.orderId());
        try {
            // One id per shipped order: a redelivered answer publishes the same event, and the services skip it.
            String eventId = UUID.nameUUIDFromBytes(("shipped " + event.orderId()).getBytes(StandardCharsets.UTF_8)).toString();
            publisher.await(publisher.publish(event, eventId), publisher.deadline());
        } catch (OrderPublisher.BrokerUnavailable e) {
            // Acknowledging now would lose the shipment, and any later acknowledge covers this one too (JMS acks
            // every message the session consumed): stop here, and let the watchdog hand the answer back.
            broken = true;
            LOG.warning(" [!] [shipping] The broker did not take the shipped event for " + event.orderId()
                    + "; the warehouse answer goes back to its queue: " + e.getMessage());
            return;
        }
        acknowledge(message); // after publishing: a crash before this means the answer comes again
    }
    // end::shipped[]

    private static void acknowledge(Message message) {
        try {
            message.acknowledge();
        } catch (JMSException e) {
            LOG.log(Level.WARNING, " [shipping] Could not acknowledge a warehouse answer; it will be redelivered", e);
        }
    }

    private static String utf8(BytesMessage bytes) throws JMSException {
        byte[] body = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(body);
        return new String(body, StandardCharsets.UTF_8);
    }
}
