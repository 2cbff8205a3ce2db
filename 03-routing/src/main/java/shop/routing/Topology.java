package shop.routing;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The exchanges and queues that JMS cannot declare by itself, declared once at startup with the plain
 * AMQP client. Every declaration is idempotent, so a second server, or a restart, declares the same.
 */
public final class Topology {

    // tag::topology[]
    /** Order events, routed by {@code order.<region>.<event>}; what no binding matches goes to the alternate exchange. */
    public static final String ORDERS = "shop.orders";
    /** Catches unroutable order events, so none is silently dropped. */
    public static final String ORDERS_UNROUTED = "shop.orders.unrouted";
    /** Market price ticks, routed by {@code tick.<venue>.<symbol>}; no alternate exchange, on purpose. */
    public static final String TICKS = "shop.ticks";
    /** A broadcast to every instance: which catalogue entries to drop from their caches. */
    public static final String CACHE_INVALIDATION = "shop.cache-invalidation";
    /** The warehouse's own exchange and queues: a plain AMQP service, not a JMS one. */
    public static final String WAREHOUSE = "shop.warehouse";
    public static final String WAREHOUSE_PICKS = "shop.warehouse.picks";
    public static final String WAREHOUSE_SHIPPED = "shop.warehouse.shipped";
    /** Where a service sets aside a message it cannot handle, so it neither loses it nor stops on it. */
    public static final String DEAD_LETTERS = "shop.orders.dead-letters";

    static void declare(Channel channel) throws IOException {
        // tag::alternate-exchange[]
        // An alternate exchange can only be set when an exchange is declared (or by an operator's policy),
        // and JMS has no way to say it: that is why this exchange is declared here, not by the JMS client.
        channel.exchangeDeclare(ORDERS, BuiltinExchangeType.TOPIC, true, false,
                Map.of("alternate-exchange", ORDERS_UNROUTED));
        channel.exchangeDeclare(ORDERS_UNROUTED, BuiltinExchangeType.FANOUT, true);
        channel.queueDeclare(ORDERS_UNROUTED, true, false, false, null);
        channel.queueBind(ORDERS_UNROUTED, ORDERS_UNROUTED, "");
        // end::alternate-exchange[]

        // A tick nobody subscribed to is worthless a second later: dropping it is the right design here.
        channel.exchangeDeclare(TICKS, BuiltinExchangeType.TOPIC, true);

        // Every instance must hear every invalidation: fanout ignores routing keys and copies to each bound queue.
        channel.exchangeDeclare(CACHE_INVALIDATION, BuiltinExchangeType.FANOUT, true);

        // What crosses to or from the warehouse is checked like HTTP input (WarehouseMessage): a refused one is dead-lettered.
        Map<String, Object> deadLettered = Map.of("x-dead-letter-exchange", DEAD_LETTERS);
        channel.exchangeDeclare(WAREHOUSE, BuiltinExchangeType.DIRECT, true);
        channel.queueDeclare(WAREHOUSE_PICKS, true, false, false, deadLettered);
        channel.queueBind(WAREHOUSE_PICKS, WAREHOUSE, "pick");
        channel.queueDeclare(WAREHOUSE_SHIPPED, true, false, false, deadLettered);

        // Each service queue, and the warehouse's two, name this exchange as their x-dead-letter-exchange: a message
        // rejected there lands here, with an x-death header that says from which queue and why.
        channel.exchangeDeclare(DEAD_LETTERS, BuiltinExchangeType.FANOUT, true);
        channel.queueDeclare(DEAD_LETTERS, true, false, false, null);
        channel.queueBind(DEAD_LETTERS, DEAD_LETTERS, "");
    }
    // end::topology[]

    private Topology() {
    }

    /** Declares everything on a short-lived channel of {@code broker}. */
    public static void declare(Broker broker) {
        try (Channel channel = broker.channel()) {
            declare(channel);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("Could not declare the routing topology: " + e.getMessage(), e);
        }
    }
}
