package shop.routing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.impl.DefaultExceptionHandler;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Decides what happens when a service's consumer throws, in place of the AMQP client's default, which closes
 * the consumer's channel without a word in this server's log: the message the service cannot handle is
 * rejected into the dead-letter queue with one {@code  [!]} line, and the consumer goes on.
 */
public final class ConsumerGuard extends DefaultExceptionHandler {

    private static final Logger LOG = Logger.getLogger(ConsumerGuard.class.getName());

    private final DeliveryLedger ledger;
    private final Map<String, Guarded> services = new ConcurrentHashMap<>();
    /** Consumers whose deliveries the JMS client acknowledges before decoding them (AUTO_ACKNOWLEDGE), by queue. */
    private final Map<String, String> autoAcknowledged = new ConcurrentHashMap<>();

    ConsumerGuard(DeliveryLedger ledger) {
        this.ledger = ledger;
    }

    public void guard(String consumerTag, Guarded service) {
        services.put(consumerTag, service);
    }

    /** Guards a consumer whose deliveries are acknowledged before they are decoded: a bad one is already gone. */
    public void guardAutoAcknowledged(String consumerTag, String queue) {
        autoAcknowledged.put(consumerTag, queue);
    }

    public void release(String consumerTag) {
        services.remove(consumerTag);
        autoAcknowledged.remove(consumerTag);
        ledger.forget(consumerTag);
    }

    // tag::guard[]
    @Override
    public void handleConsumerException(Channel channel, Throwable exception, Consumer consumer,
                                        String consumerTag, String methodName) {
        if (autoAcknowledged.containsKey(consumerTag)) { // acknowledged already: nothing to set aside, only to say
            LOG.warning(" [!] " + autoAcknowledged.get(consumerTag) + " dropped a message it cannot read, which was "
                    + "acknowledged before it was read (AUTO_ACKNOWLEDGE), and goes on: " + rootOf(exception));
            return;
        }
        Guarded service = services.get(consumerTag);
        Optional<PoisonMessage> poison = causeOf(exception, PoisonMessage.class);
        // A service's own verdict names its delivery; otherwise the JMS client failed to decode the delivery the
        // consumer was on, before onMessage ran, and only the ledger still knows which one that was.
        Optional<DeliveryLedger.Pending> delivery = service == null || !methodName.equals("handleDelivery") ? Optional.empty()
                : poison.map(p -> ledger.pending(consumerTag, p.deliveryTag())).orElseGet(() -> ledger.current(consumerTag));
        if (delivery.isPresent()) {
            String why = poison.map(Throwable::getMessage).orElseGet(() -> "the JMS client cannot read it, "
                    + "it is not a message in the JMS client's format (" + rootOf(exception) + ")");
            try {
                channel.basicReject(delivery.get().tag(), false); // not requeued: the queue's dead-letter exchange takes it
                ledger.finished(consumerTag, delivery.get().tag());
                service.setAside(delivery.get(), why);
                return;
            } catch (IOException | RuntimeException e) {
                exception.addSuppressed(e); // the channel is gone too: fall through, the watchdog restarts the service
            }
        }
        LOG.warning(" [!] " + (service == null ? "consumer " + consumerTag : service.describe())
                + " failed in " + methodName + " and stops; the watchdog restarts it: " + rootOf(exception));
        if (service != null) {
            service.stopped();
        }
        super.handleConsumerException(channel, exception, consumer, consumerTag, methodName); // closes the channel
    }
    // end::guard[]

    private static <T extends Throwable> Optional<T> causeOf(Throwable exception, Class<T> type) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    private static String rootOf(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getName() : root.getClass().getName() + ": " + root.getMessage();
    }
}
