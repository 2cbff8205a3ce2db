package shop.routing.warehouse;

import com.rabbitmq.jms.client.RMQMessage;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import shop.routing.AmqpDestinations;
import shop.routing.Broker;
import shop.routing.ConsumerGuard;
import shop.routing.Deliveries;
import shop.routing.DeliveryLedger;
import shop.routing.Guarded;
import shop.routing.OrderEvent;
import shop.routing.PoisonMessage;
import shop.routing.Topology;
import shop.routing.orders.ConfirmedPublisher;
import shop.routing.orders.OrderPublisher;

/**
 * Plain AMQP to JMS: reads the warehouse's "shipped" answers with JMS, from an AMQP queue, and publishes
 * each as the order event {@code order.<region>.shipped}, which the routing then delivers as usual. An answer that
 * is not one ({@link WarehouseMessage}) is dead-lettered by the {@link ConsumerGuard}, and the next one is read.
 */
public final class ShipmentConfirmations implements MessageListener, Guarded {

    private static final Logger LOG = Logger.getLogger(ShipmentConfirmations.class.getName());

    private final Broker broker;
    private final Deliveries deliveries;
    private final OrderPublisher publisher;
    private final Session session;
    /** The JMS connection the session is on (see {@link Broker#reconnectedSince}). */
    private final long connection;
    private String consumerTag;
    /**
     * Set when the broker did not take a shipped event, or the consumer stopped: the answer stays unacknowledged
     * until the watchdog closes the session, which hands it back.
     */
    private volatile boolean broken;

    private ShipmentConfirmations(Broker broker, Deliveries deliveries, OrderPublisher publisher, Session session,
                                  long connection) {
        this.broker = broker;
        this.deliveries = deliveries;
        this.publisher = publisher;
        this.session = session;
        this.connection = connection;
    }

    public static ShipmentConfirmations start(Broker broker, Deliveries deliveries, OrderPublisher publisher) throws JMSException {
        long connection = broker.connectionNumber(); // before the session: a reconnect after this makes it count as old
        Session session = broker.session();
        ShipmentConfirmations confirmations = new ShipmentConfirmations(broker, deliveries, publisher, session, connection);
        MessageConsumer consumer = session.createConsumer(AmqpDestinations.consumeFrom(Topology.WAREHOUSE_SHIPPED));
        // Guarded like a service: an answer it refuses is rejected into the dead-letter queue, and it goes on.
        confirmations.consumerTag = broker.ledger().track(() -> {
            try {
                consumer.setMessageListener(confirmations);
            } catch (JMSException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        broker.guard().guard(confirmations.consumerTag, confirmations);
        return confirmations;
    }

    /**
     * True once an answer could not be passed on, or a reconnect closed the session: the watchdog closes this session,
     * which hands the answer back, and starts anew.
     */
    public boolean broken() {
        return broken || broker.reconnectedSince(connection);
    }

    public void close() throws JMSException {
        session.close();
        if (consumerTag != null) {
            broker.guard().release(consumerTag);
        }
    }

    // tag::shipped[]
    @Override
    public void onMessage(Message message) {
        long tag = ((RMQMessage) message).getRabbitDeliveryTag();
        broker.ledger().finished(consumerTag, tag - 1); // the client decoded this one: every earlier one is done
        if (broken) {
            return; // not acknowledged: it goes back to the queue when the watchdog closes this session
        }
        // From outside, so checked like HTTP input; a PoisonMessage if it is not an answer: the guard dead-letters it.
        OrderEvent event = read(message, tag);
        deliveries.note("shipping", "shipped", event.orderId(), " [shipping] Warehouse shipped " + event.orderId());
        try {
            // One id per shipped order: a redelivered answer publishes the same event, and the services skip it.
            String eventId = UUID.nameUUIDFromBytes(("shipped " + event.orderId()).getBytes(StandardCharsets.UTF_8)).toString();
            publisher.await(event, publisher.publish(event, eventId), publisher.deadline());
        } catch (ConfirmedPublisher.BrokerUnavailable e) {
            // Acknowledging now would lose the shipment, and any later acknowledge covers this one too (JMS acks
            // every message the session consumed): stop here, and let the watchdog hand the answer back.
            broken = true;
            LOG.warning(" [!] [shipping] The broker did not take the shipped event for " + event.orderId()
                    + "; the warehouse answer goes back to its queue: " + e.getMessage());
            return;
        }
        try {
            message.acknowledge(); // after publishing: a crash before this means the answer comes again
            broker.ledger().finished(consumerTag, tag);
        } catch (JMSException e) {
            LOG.log(Level.WARNING, " [shipping] Could not acknowledge a warehouse answer; it will be redelivered", e);
        }
    }

    /** The shipped order in a warehouse answer, or a PoisonMessage that says why there is none. */
    private static OrderEvent read(Message message, long tag) {
        WarehouseMessage.Parsed parsed;
        try {
            parsed = parse(message);
        } catch (JMSException e) {
            throw new PoisonMessage(tag, e.getMessage());
        }
        return switch (parsed) {
            case WarehouseMessage.Valid valid -> valid.event();
            // Thrown, not returned: it has to reach the consumer's ExceptionHandler, past the JMS client (PoisonMessage).
            case WarehouseMessage.Refused refused -> throw new PoisonMessage(tag, refused.why());
        };
    }

    private static WarehouseMessage.Parsed parse(Message message) throws JMSException {
        // A message from a non-JMS sender arrives as a BytesMessage, unless it carried the header
        // JMSType=TextMessage; the body is exactly the bytes the sender published.
        if (message instanceof BytesMessage bytes) {
            if (bytes.getBodyLength() > WarehouseMessage.MAX_BYTES) {
                return WarehouseMessage.tooBig(bytes.getBodyLength()); // before the bytes are copied out
            }
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            return WarehouseMessage.read(body, "shipped");
        }
        if (message instanceof TextMessage text && text.getText() != null) {
            if (text.getText().length() > WarehouseMessage.MAX_BYTES) {
                return WarehouseMessage.tooBig(text.getText().length()); // at least as many bytes as characters
            }
            return WarehouseMessage.read(text.getText().getBytes(StandardCharsets.UTF_8), "shipped");
        }
        return new WarehouseMessage.Refused("it has no body the warehouse would send");
    }
    // end::shipped[]

    @Override
    public String describe() {
        return Topology.WAREHOUSE_SHIPPED + ": shipping";
    }

    @Override
    public void setAside(DeliveryLedger.Pending delivery, String why) {
        deliveries.note("shipping", "", "", " [!] shipping dead-lettered a warehouse answer from "
                + Topology.WAREHOUSE_SHIPPED + " to " + Topology.DEAD_LETTERS + ": " + why);
    }

    @Override
    public void stopped() {
        broken = true; // the watchdog starts a new consumer
    }
}
