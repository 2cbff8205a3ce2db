package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Beyond JMS topics: a plain AMQP service on both ends of a JMS conversation, and a fanout broadcast
 * that every instance hears, unlike a shared subscription.
 */
class InteropIT extends DeployedRouting {

    // tag::interop-test[]
    @Test
    void aPaidOrderReachesThePlainAmqpWarehouseAsReadableJsonAndItsAnswerComesBackThroughJms() {
        RoutingApi api = api();
        String id = RoutingApi.newId("P");
        api.publish("order.eu.paid", id, "42.50");

        // JMS -> AMQP: the warehouse (amqp-client, no JMS) read the text as it was sent, with the property as a header
        JsonObject pick = awaitLine(api, d -> d.getString("service").equals("warehouse") && d.getString("id").equals(id));
        assertThat(pick.getString("line")).isEqualTo(" [warehouse] Received pick " + id
                + " as application/octet-stream: {\"orderId\":\"" + id + "\",\"region\":\"eu\",\"amount\":42.50}");
        // AMQP -> JMS: its plain JSON answer was read by JMS and published as order.eu.shipped, which audit receives
        JsonObject audited = awaitLine(api, d -> d.getString("service").equals("audit") && d.getString("id").equals(id)
                && d.getString("key").equals("order.eu.shipped"));
        assertThat(audited.getString("line")).isEqualTo(" [audit] Received 'order.eu.shipped' " + id);
    }
    // end::interop-test[]

    @Test
    void aMessageFromAnyPlainAmqpProducerIsReadByJmsAsBytesWithItsBodyUnchanged() throws Exception {
        RoutingApi api = api();
        String id = RoutingApi.newId("W");
        try (Connection connection = TestClients.amqp().newConnection("another-warehouse");
             Channel channel = connection.createChannel()) {
            channel.basicPublish("", Topology.WAREHOUSE_SHIPPED, new AMQP.BasicProperties.Builder().contentType("application/json").build(),
                    ("{\"orderId\":\"" + id + "\",\"region\":\"apac\",\"amount\":3}").getBytes(StandardCharsets.UTF_8));
        }

        awaitLine(api, d -> d.getString("line").equals(" [shipping] Warehouse shipped " + id));
        awaitLine(api, d -> d.getString("line").equals(" [audit] Received 'order.apac.shipped' " + id));
    }

    // tag::fanout-test[]
    @Test
    void aCacheInvalidationIsHeardByEveryInstanceExactlyOnce() {
        RoutingApi api = api();
        String sku = "sku-" + RoutingApi.newId("c").toLowerCase();
        assertThat(api.post("api/catalog/" + sku + "/invalidation", "").statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(10)).until(() -> evictions(api, sku).size() >= 2);
        String later = "sku-" + RoutingApi.newId("c").toLowerCase(); // a later broadcast as the barrier for duplicates
        api.post("api/catalog/" + later + "/invalidation", "");
        await().atMost(Duration.ofSeconds(10)).until(() -> evictions(api, later).size() >= 2);

        assertThat(evictions(api, sku)).containsExactlyInAnyOrder(" [cache-1] Evicted '" + sku + "'", " [cache-2] Evicted '" + sku + "'");
    }
    // end::fanout-test[]

    @Test
    void anInvalidSkuIsRefusedWithAProblem() {
        var response = api().post("api/catalog/NOT%20OK/invalidation", "");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(RoutingApi.object(response.body()).getString("type")).isEqualTo("/problems/invalid-sku");
    }

    private static List<String> evictions(RoutingApi api, String sku) {
        return api.deliveries().stream().filter(d -> d.getString("service").startsWith("cache-") && d.getString("id").equals(sku))
                .map(d -> d.getString("line")).toList();
    }

    private static JsonObject awaitLine(RoutingApi api, java.util.function.Predicate<JsonObject> matching) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> api.deliveries().stream().filter(matching).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }
}
