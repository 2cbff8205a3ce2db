package shop.routing;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

/** A session and producer on the shop's shared broker connection, opened again when a reconnect replaced it. */
public final class BrokerProducer {

    private final Broker broker;
    private final Destination destination;
    private final int deliveryMode;
    private Session session; // guarded by this
    private MessageProducer producer; // guarded by this
    private long connection; // guarded by this

    /** {@code destination} null: each send names its own. */
    public BrokerProducer(Broker broker, Destination destination, int deliveryMode) {
        this.broker = broker;
        this.destination = destination;
        this.deliveryMode = deliveryMode;
    }

    /** The session to create messages with: a new one if there is none yet, or a reconnect closed the old one. */
    public synchronized Session session() throws JMSException {
        if (session == null || broker.reconnectedSince(connection)) {
            close();
            connection = broker.connectionNumber();
            session = broker.session();
            producer = session.createProducer(destination);
            producer.setDeliveryMode(deliveryMode);
        }
        return session;
    }

    /** The producer of the session {@link #session()} last returned: a message goes out on the session that made it. */
    public synchronized MessageProducer producer() {
        return producer;
    }

    /** Closes the session, so that the next send starts on a new one (a channel the broker closed, or shutdown). */
    public synchronized void close() {
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
