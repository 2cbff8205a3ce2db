package shop.routing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The warehouse: a plain AMQP service (amqp-client, no JMS) that picks paid orders from its queue and
 * answers "shipped" on another queue. It stands for any non-JMS service: another language, another team.
 */
final class Warehouse {

    private static final Logger LOG = Logger.getLogger(Warehouse.class.getName());

    private Warehouse() {
    }

    // tag::warehouse[]
    static void start(Channel channel, Deliveries deliveries) throws IOException {
        channel.basicQos(10);
        channel.basicConsume(Topology.WAREHOUSE_PICKS, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws IOException {
                String text = new String(body, StandardCharsets.UTF_8); // JMS sent the text's bytes, nothing more
                Object orderId = props.getHeaders() == null ? null : props.getHeaders().get("orderId");
                deliveries.note("warehouse", "pick", String.valueOf(orderId),
                        " [warehouse] Received pick " + orderId + " as " + props.getContentType() + ": " + text);
                try {
                    JsonObject pick = Json.createReader(new StringReader(text)).readObject();
                    // The answer is plain AMQP too: JSON, a content type, and no JMS headers at all.
                    channel.basicPublish("", Topology.WAREHOUSE_SHIPPED, new AMQP.BasicProperties.Builder()
                            .contentType("application/json").deliveryMode(2).build(),
                            Json.createObjectBuilder().add("orderId", pick.getString("orderId"))
                                    .add("region", pick.getString("region")).add("amount", pick.getJsonNumber("amount"))
                                    .build().toString().getBytes(StandardCharsets.UTF_8));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, " [warehouse] Cannot read pick " + text + "; dropped", e);
                }
                channel.basicAck(envelope.getDeliveryTag(), false);
            }
        });
    }
    // end::warehouse[]
}
