package shop.routing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Command;
import com.rabbitmq.client.TrafficListener;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Sees every AMQP frame of the JMS connection and remembers, per service consumer, the deliveries it has not
 * finished yet: when the JMS client fails to decode one before {@code onMessage} runs, this is the only place
 * that still knows its delivery tag, so it can be set aside instead of stopping the consumer.
 */
public final class DeliveryLedger implements TrafficListener {

    /** One delivery as the broker sent it: enough to reject it and to say which message it was. */
    public record Pending(long tag, String routingKey, int bytes) {
    }

    private final Map<String, ConcurrentSkipListMap<Long, Pending>> byConsumer = new ConcurrentHashMap<>();
    /** The consumer tag the current thread just registered with basic.consume, read by the subscriber right after. */
    private final ThreadLocal<String> lastConsume = new ThreadLocal<>();

    @Override
    public void write(Command outbound) {
        // The JMS client sends basic.consume on the thread that sets the listener: that is how a service learns its tag.
        if (outbound.getMethod() instanceof AMQP.Basic.Consume consume) {
            lastConsume.set(consume.getConsumerTag());
        }
    }

    @Override
    public void read(Command inbound) {
        // Called on the connection's reading thread before the delivery is handed to the consumer, so it is always
        // recorded before the consumer can fail on it.
        if (inbound.getMethod() instanceof AMQP.Basic.Deliver deliver) {
            ConcurrentSkipListMap<Long, Pending> pending = byConsumer.get(deliver.getConsumerTag());
            if (pending != null) {
                byte[] body = inbound.getContentBody();
                pending.put(deliver.getDeliveryTag(),
                        new Pending(deliver.getDeliveryTag(), deliver.getRoutingKey(), body == null ? 0 : body.length));
            }
        }
    }

    /**
     * Runs {@code subscribe} (which sets a message listener), returns the consumer tag it registered, and from now
     * on records that consumer's deliveries until it has finished them.
     */
    public String track(Runnable subscribe) {
        String tag = consumerTagOf(subscribe);
        byConsumer.put(tag, new ConcurrentSkipListMap<>());
        return tag;
    }

    /** Runs {@code subscribe} (which sets a message listener) and returns the consumer tag it registered. */
    public String consumerTagOf(Runnable subscribe) {
        lastConsume.remove();
        subscribe.run();
        String tag = lastConsume.get();
        lastConsume.remove();
        if (tag == null) {
            throw new IllegalStateException("the JMS client sent no basic.consume on this thread");
        }
        return tag;
    }

    /** The consumer has finished every delivery up to {@code tag}, acknowledged or set aside. */
    public void finished(String consumerTag, long tag) {
        ConcurrentSkipListMap<Long, Pending> pending = byConsumer.get(consumerTag);
        if (pending != null) {
            pending.headMap(tag, true).clear();
        }
    }

    /**
     * The oldest delivery {@code consumerTag} has not finished: the one it is working on, since a consumer
     * handles its deliveries one at a time, in order.
     */
    Optional<Pending> current(String consumerTag) {
        ConcurrentSkipListMap<Long, Pending> pending = byConsumer.get(consumerTag);
        return pending == null ? Optional.empty() : Optional.ofNullable(pending.firstEntry()).map(Map.Entry::getValue);
    }

    /** The delivery {@code tag} of {@code consumerTag}, as the broker sent it. */
    Optional<Pending> pending(String consumerTag, long tag) {
        ConcurrentSkipListMap<Long, Pending> pending = byConsumer.get(consumerTag);
        return pending == null ? Optional.empty()
                : Optional.of(pending.getOrDefault(tag, new Pending(tag, "?", 0)));
    }

    boolean tracks(String consumerTag) {
        return byConsumer.containsKey(consumerTag);
    }

    void forget(String consumerTag) {
        byConsumer.remove(consumerTag);
    }
}
