package shop.routing.cache;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import shop.routing.Deliveries;
import shop.routing.Topology;

/**
 * A catalogue cache of one server instance, told by a fanout broadcast which entries to drop. Each instance
 * has its own exclusive, server-named queue on the fanout exchange, so every instance hears every message:
 * the opposite of billing's shared subscription, where each message goes to one instance only.
 */
public final class CacheInvalidation {

    private CacheInvalidation() {
    }

    // tag::fanout[]
    public static void start(String instance, Channel channel, Deliveries deliveries) throws IOException {
        // Server-named, exclusive, auto-delete: it lives exactly as long as this instance's connection.
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, Topology.CACHE_INVALIDATION, ""); // fanout ignores the key
        channel.basicConsume(queue, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                String sku = new String(body, StandardCharsets.UTF_8);
                // a lost invalidation costs one stale entry until its expiry, so auto-ack is acceptable here
                deliveries.note(instance, "invalidate", sku, " [" + instance + "] Evicted '" + sku + "'");
            }
        });
    }
    // end::fanout[]
}
