package shop.routing;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One running instance of one service: its own JMS session, consuming the rule's shared durable
 * subscription, acknowledging each order event only after it has been handled.
 */
public final class ServiceInstance implements MessageListener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ServiceInstance.class.getName());

    /** What a service does with an order event after it has been logged; most services only log it. */
    @FunctionalInterface
    public interface Work {
        Work NONE = event -> { };

        void handle(OrderEvent event) throws JMSException;
    }

    private final String name;
    private final Rule rule;
    private final Work work;
    private final Session session;
    private final Deliveries deliveries;

    private ServiceInstance(Rule rule, String name, Session session, Deliveries deliveries, Work work) {
        this.rule = rule;
        this.work = work;
        this.name = name;
        this.session = session;
        this.deliveries = deliveries;
    }

    // tag::subscribe[]
    /** Subscribes instance {@code index} of {@code rule}; fails at once if the selector is not valid. */
    static ServiceInstance start(Rule rule, int index, Broker broker, Deliveries deliveries, Work work) {
        Session session = broker.session();
        try {
            ServiceInstance instance = new ServiceInstance(rule, rule.instanceName(index), session, deliveries, work);
            // Shared: every instance that uses this subscription name reads the same queue, so they split it.
            // Durable: the queue outlives this server, and keeps what arrives while no instance runs.
            MessageConsumer consumer = session.createSharedDurableConsumer(
                    Topics.on(Topology.ORDERS, rule.pattern()), rule.queue(), rule.selector());
            consumer.setMessageListener(instance);
            return instance;
        } catch (JMSException | RuntimeException e) {
            closeQuietly(session);
            throw new IllegalStateException("Could not subscribe " + rule.instanceName(index) + " to '"
                    + rule.pattern() + "': " + e.getMessage(), e);
        }
    }
    // end::subscribe[]

    // tag::receive[]
    @Override
    public void onMessage(Message message) {
        try {
            OrderEvent event = OrderEvent.fromMessage(message);
            deliveries.received(name, rule.subscription(), event.key().toString(), event.orderId());
            work.handle(event);
        } catch (JMSException | RuntimeException e) {
            // Not an order event this service can read: say so loudly, then ack, or it would come back for ever.
            LOG.log(Level.WARNING, " [" + name + "] Rejected a message it cannot read: " + e, e);
        }
        try {
            message.acknowledge(); // after the work: a crash before this line means redelivery, not loss
        } catch (JMSException e) {
            LOG.log(Level.WARNING, " [" + name + "] Could not acknowledge; the broker will redeliver", e);
        }
    }
    // end::receive[]

    public String name() {
        return name;
    }

    public Rule rule() {
        return rule;
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(Session session) {
        try {
            session.close();
        } catch (JMSException | RuntimeException e) {
            LOG.log(Level.FINE, "session already closed with its connection", e);
        }
    }
}
