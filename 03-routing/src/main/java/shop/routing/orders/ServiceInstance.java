package shop.routing.orders;

import com.rabbitmq.jms.client.RMQMessage;
import com.rabbitmq.jms.client.RMQSession;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import shop.routing.Broker;
import shop.routing.Deliveries;
import shop.routing.DeliveryLedger;
import shop.routing.Guarded;
import shop.routing.OrderEvent;
import shop.routing.PoisonMessage;
import shop.routing.Rule;
import shop.routing.Topics;
import shop.routing.Topology;

/**
 * One running instance of one service: its own JMS session, consuming the rule's shared durable
 * subscription, acknowledging each order event only after it has been handled, and refusing what it cannot handle.
 */
public final class ServiceInstance implements MessageListener, Guarded, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ServiceInstance.class.getName());

    /** What a service does with an order event after it has been logged; most services only log it. */
    @FunctionalInterface
    public interface Work {
        Work NONE = event -> { };

        void handle(OrderEvent event) throws JMSException;
    }

    /** A body larger than this is refused at once: a service does not trust that the producer checked. */
    static final int MAX_BODY_CHARS = 64 * 1024;
    /** How often a service tries the work of one message before it sets the message aside. */
    static final int ATTEMPTS = 3;

    private final String name;
    private final Rule rule;
    private final Work work;
    private final Session session;
    private final Deliveries deliveries;
    private final Broker broker;
    private final int index;
    private final Map<String, Object> queueArguments;
    private String consumerTag;
    /** False once the consumer is known to have stopped; the watchdog then starts a new instance. */
    private volatile boolean consuming = true;

    private ServiceInstance(Rule rule, int index, Session session, Deliveries deliveries, Work work, Broker broker,
                            Map<String, Object> queueArguments) {
        this.rule = rule;
        this.index = index;
        this.queueArguments = queueArguments;
        this.work = work;
        this.name = rule.instanceName(index);
        this.session = session;
        this.deliveries = deliveries;
        this.broker = broker;
    }

    // tag::subscribe[]
    /**
     * Subscribes instance {@code index} of {@code rule}; fails at once if the selector is not valid. The queue
     * gets {@code queueArguments}: at least the dead-letter exchange, where a message it cannot handle goes.
     */
    static ServiceInstance start(Rule rule, int index, Broker broker, Deliveries deliveries, Work work,
                                 Map<String, Object> queueArguments) {
        Session session = broker.session();
        try {
            ServiceInstance instance = new ServiceInstance(rule, index, session, deliveries, work, broker, queueArguments);
            // Only the JMS client's own session can say how the subscription queue it declares is made.
            ((RMQSession) session).setQueueDeclareArguments(queueArguments);
            // Shared: every instance that uses this subscription name reads the same queue, so they split it.
            // Durable: the queue outlives this server, and keeps what arrives while no instance runs.
            MessageConsumer consumer = session.createSharedDurableConsumer(
                    Topics.on(Topology.ORDERS, rule.pattern()), rule.queue(), rule.selector());
            instance.consumerTag = broker.ledger().track(() -> listen(consumer, instance));
            broker.guard().guard(instance.consumerTag, instance);
            return instance;
        } catch (JMSException | RuntimeException e) {
            closeQuietly(session);
            throw new IllegalStateException("Could not subscribe " + rule.instanceName(index) + " to '"
                    + rule.pattern() + "': " + e.getMessage(), e);
        }
    }
    // end::subscribe[]

    private static void listen(MessageConsumer consumer, MessageListener listener) {
        try {
            consumer.setMessageListener(listener);
        } catch (JMSException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    // tag::receive[]
    @Override
    public void onMessage(Message message) {
        long tag = ((RMQMessage) message).getRabbitDeliveryTag();
        broker.ledger().finished(consumerTag, tag - 1); // the client decoded this one: every earlier one is done
        OrderEvent event = read(message, tag); // a PoisonMessage if it is not an order event: set aside at once
        if (!broker.handled(rule.subscription()).first(eventId(message))) {
            skip(message, event, tag); // a duplicate that slipped through: handled once, so only acknowledged
            return;
        }
        deliveries.received(name, rule.subscription(), event.key().toString(), event.orderId());
        for (int attempt = 1; ; attempt++) {
            try {
                work.handle(event);
                break;
            } catch (JMSException | RuntimeException e) {
                if (attempt == ATTEMPTS) { // bounded: a message that fails every time must not stop the service
                    throw new PoisonMessage(tag, "its work failed " + ATTEMPTS + " times in a row (" + e + ")");
                }
            }
        }
        try {
            message.acknowledge(); // after the work: a crash before this line means redelivery, not loss
            broker.ledger().finished(consumerTag, tag);
        } catch (JMSException e) {
            LOG.log(Level.WARNING, " [" + name + "] Could not acknowledge; the broker will redeliver", e);
        }
    }
    // end::receive[]

    private static String eventId(Message message) {
        try {
            return message.getStringProperty("eventId");
        } catch (JMSException e) {
            return null; // no readable id: handled as a new event
        }
    }

    private void skip(Message message, OrderEvent event, long tag) {
        deliveries.note(name, event.key().toString(), event.orderId(), " [" + name + "] Skipped '" + event.key() + "' "
                + event.orderId() + ": event " + eventId(message) + " was handled already");
        try {
            message.acknowledge();
            broker.ledger().finished(consumerTag, tag);
        } catch (JMSException e) {
            LOG.log(Level.WARNING, " [" + name + "] Could not acknowledge a duplicate; the broker will redeliver", e);
        }
    }

    // tag::read[]
    /** The order event in {@code message}, or a PoisonMessage that says why there is none. */
    static OrderEvent read(Message message, long tag) {
        if (!(message instanceof TextMessage text)) {
            throw new PoisonMessage(tag, "it is a " + message.getClass().getSimpleName().replace("RMQ", "")
                    + ", not a TextMessage with an order event");
        }
        try {
            String body = text.getText();
            if (body == null || body.length() > MAX_BODY_CHARS) {
                throw new PoisonMessage(tag, body == null ? "it has no body"
                        : "its body is too big: " + body.length() + " characters, at most " + MAX_BODY_CHARS);
            }
            return OrderEvent.fromJson(body);
        } catch (JMSException | RuntimeException e) {
            if (e instanceof PoisonMessage poison) {
                throw poison;
            }
            throw new PoisonMessage(tag, "its body is not an order event (" + (e.getMessage() == null ? e : e.getMessage()) + ")");
        }
    }
    // end::read[]

    @Override
    public String describe() {
        return rule.queue() + ": " + name;
    }

    /** Called by the guard once the delivery is in the dead-letter queue: the one line that says so. */
    @Override
    public void setAside(DeliveryLedger.Pending delivery, String why) {
        deliveries.note(name, delivery.routingKey(), "", " [!] " + name + " dead-lettered '" + delivery.routingKey()
                + "' from " + rule.queue() + " to " + Topology.DEAD_LETTERS + ": " + why);
    }

    /** A new instance in place of this one, which is closed: the same rule, work and queue. */
    ServiceInstance restart() {
        close();
        return start(rule, index, broker, deliveries, work, queueArguments);
    }

    /** Called when the consumer is known to have stopped. */
    @Override
    public void stopped() {
        consuming = false;
    }

    /** True while nothing says this instance's consumer has stopped. */
    public boolean consuming() {
        return consuming;
    }

    public String name() {
        return name;
    }

    public Rule rule() {
        return rule;
    }

    @Override
    public void close() {
        consuming = false;
        closeQuietly(session);
        if (consumerTag != null) {
            broker.guard().release(consumerTag);
        }
    }

    private static void closeQuietly(Session session) {
        try {
            session.close();
        } catch (JMSException | RuntimeException e) {
            LOG.log(Level.FINE, "session already closed with its connection", e);
        }
    }
}
