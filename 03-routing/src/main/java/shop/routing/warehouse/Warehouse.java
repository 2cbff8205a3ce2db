package shop.routing.warehouse;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import shop.routing.Deliveries;
import shop.routing.OrderEvent;
import shop.routing.Topology;

/**
 * The warehouse: a plain AMQP service (amqp-client, no JMS) that picks paid orders from its queue and
 * answers "shipped" on another queue. It stands for any non-JMS service: another language, another team. A pick
 * that is not one ({@link WarehouseMessage}) is rejected into the dead-letter queue with one line, never quoted.
 */
public final class Warehouse {

    private static final JsonProvider JSON = JsonProvider.provider();

    private Warehouse() {
    }

    // tag::warehouse[]
    public static void start(Channel channel, Deliveries deliveries) throws IOException {
        channel.basicQos(10);
        channel.basicConsume(Topology.WAREHOUSE_PICKS, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws IOException {
                Object orderId = props.getHeaders() == null ? null : props.getHeaders().get("orderId");
                OrderEvent pick;
                // Anyone who may publish to shop.warehouse can send a pick: checked like HTTP input, size first.
                switch (WarehouseMessage.read(body, "paid")) {
                    case WarehouseMessage.Refused refused -> {
                        deadLetter(channel, envelope, body, refused.why());
                        return;
                    }
                    case WarehouseMessage.Valid valid -> pick = valid.event();
                }
                if (!pick.orderId().equals(String.valueOf(orderId))) {
                    deadLetter(channel, envelope, body, "its orderId header does not name the order in its body");
                    return;
                }
                String text = new String(body, StandardCharsets.UTF_8); // JMS sent the text's bytes, nothing more
                deliveries.note("warehouse", "pick", pick.orderId(),
                        " [warehouse] Received pick " + orderId + " as " + props.getContentType() + ": " + text);
                // The answer is plain AMQP too: JSON, a content type, and no JMS headers at all.
                channel.basicPublish("", Topology.WAREHOUSE_SHIPPED, new AMQP.BasicProperties.Builder()
                        .contentType("application/json").deliveryMode(2).build(),
                        JSON.createObjectBuilder().add("orderId", pick.orderId())
                                .add("region", pick.key().region()).add("amount", pick.amount())
                                .build().toString().getBytes(StandardCharsets.UTF_8));
                channel.basicAck(envelope.getDeliveryTag(), false);
            }

            private void deadLetter(Channel channel, Envelope envelope, byte[] body, String why) throws IOException {
                channel.basicReject(envelope.getDeliveryTag(), false); // not requeued: to the dead-letter queue
                deliveries.note("warehouse", "", "", " [!] warehouse dead-lettered a pick of " + body.length
                        + " bytes from " + Topology.WAREHOUSE_PICKS + " to " + Topology.DEAD_LETTERS + ": " + why);
            }
        });
    }
    // end::warehouse[]
}
