package shop.routing.orders;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import shop.routing.Deliveries;
import shop.routing.Topology;

/**
 * Reads what the alternate exchange caught: order-exchange messages that matched no binding. It logs each
 * one with the routing key it was sent with, so a producer's typo or an event nobody subscribed to is seen,
 * not silently dropped. Plain AMQP, because the routing key a message arrived with is AMQP, not JMS.
 */
final class UnroutedWatcher {

    private static final Logger LOG = Logger.getLogger(UnroutedWatcher.class.getName());

    private UnroutedWatcher() {
    }

    // tag::unrouted[]
    static void start(Channel channel, Deliveries deliveries) throws IOException {
        channel.basicQos(50);
        channel.basicConsume(Topology.ORDERS_UNROUTED, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws IOException {
                String id = idOf(props);
                deliveries.note("unrouted", envelope.getRoutingKey(), id,
                        " [unrouted] Caught '" + envelope.getRoutingKey() + "' " + id);
                channel.basicAck(envelope.getDeliveryTag(), false);
            }
        });
    }
    // end::unrouted[]

    /** The order id a JMS publisher put in the headers, else the AMQP message id, else "?". */
    private static String idOf(AMQP.BasicProperties props) {
        Map<String, Object> headers = props.getHeaders();
        if (headers != null && headers.get("orderId") != null) {
            return headers.get("orderId").toString();
        }
        if (props.getMessageId() != null) {
            return props.getMessageId();
        }
        LOG.log(Level.FINE, "an unrouted message without an id");
        return "?";
    }
}
