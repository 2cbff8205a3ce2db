package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import course.testkit.RabbitVhost;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        try (Connection connection = RabbitVhost.amqpFactory().newConnection("another-warehouse");
             Channel channel = connection.createChannel()) {
            channel.basicPublish("", Topology.WAREHOUSE_SHIPPED, new AMQP.BasicProperties.Builder().contentType("application/json").build(),
                    ("{\"orderId\":\"" + id + "\",\"region\":\"apac\",\"amount\":3}").getBytes(StandardCharsets.UTF_8));
        }

        awaitLine(api, d -> d.getString("line").equals(" [shipping] Warehouse shipped " + id));
        awaitLine(api, d -> d.getString("line").equals(" [audit] Received 'order.apac.shipped' " + id));
    }

    // tag::forged-warehouse-test[]
    /**
     * Anyone who may publish to the warehouse's queues could make the shop publish order events with any id and
     * amount, and have a 10 MiB pick kept in memory and in the log. Each forgery is now dead-lettered with one short
     * line, nothing is published, and both consumers go on with the next, valid message.
     */
    @Test
    void forgedOrOversizedWarehouseMessagesAreDeadLetteredPublishNothingAndTheNextAnswerIsShipped() throws Exception {
        RoutingApi api = api();
        String forgery = RoutingApi.newId("F");
        String huge = "{\"orderId\":\"A-1\",\"region\":\"eu\",\"amount\":1,\"pad\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
        List<String> answers = List.of(
                "{\"orderId\":\"" + forgery + "' OR 1=1\",\"region\":\"eu\",\"amount\":1}",  // an id HTTP refuses
                "{\"orderId\":\"" + forgery + "\",\"region\":\"eu\",\"amount\":-5}",           // a negative amount
                "{\"orderId\":\"" + forgery + "\",\"region\":\"eu\",\"amount\":1e400}",        // out of range
                "{\"orderId\":\"" + forgery + "\",\"region\":\"mars\",\"amount\":1}",          // no such region
                "{\"orderId\":\"" + forgery + "\",\"region\":\"eu\",\"amount\":1,\"event\":\"paid\"}", // a field too many
                "[".repeat(400) + "]".repeat(400),                                                  // deep, but small
                huge);                                                                               // 10 MiB
        try (Connection connection = RabbitVhost.amqpFactory().newConnection("forger");
             Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            AMQP.BasicProperties marked = new AMQP.BasicProperties.Builder().contentType("application/json")
                    .headers(Map.of("forgery", forgery, "orderId", "A-1")).build();
            for (String answer : answers) {
                channel.basicPublish("", Topology.WAREHOUSE_SHIPPED, marked, answer.getBytes(StandardCharsets.UTF_8));
            }
            channel.basicPublish(Topology.WAREHOUSE, "pick", marked, huge.getBytes(StandardCharsets.UTF_8));
            channel.basicPublish(Topology.WAREHOUSE, "pick", marked, answers.get(0).getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(30_000);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deadLettered(forgery))
                .containsEntry(Topology.WAREHOUSE_SHIPPED, (long) answers.size()).containsEntry(Topology.WAREHOUSE_PICKS, 2L));
        // The next real answer is read and shipped: the consumer did not stop on the forgeries.
        String next = RoutingApi.newId("W");
        try (Connection connection = RabbitVhost.amqpFactory().newConnection("warehouse");
             Channel channel = connection.createChannel()) {
            channel.basicPublish("", Topology.WAREHOUSE_SHIPPED, null,
                    ("{\"orderId\":\"" + next + "\",\"region\":\"us\",\"amount\":3}").getBytes(StandardCharsets.UTF_8));
        }
        awaitLine(api, d -> d.getString("line").equals(" [audit] Received 'order.us.shipped' " + next));

        List<String> lines = api.deliveries().stream().map(d -> d.getString("line")).toList();
        assertThat(lines).as("nothing of the forgeries was published").noneMatch(l -> l.contains(forgery) && !l.startsWith(" [!]"));
        List<String> refusals = lines.stream().filter(l -> l.startsWith(" [!] shipping dead-lettered a warehouse answer")
                || l.startsWith(" [!] warehouse dead-lettered a pick")).toList();
        assertThat(refusals).as("one short line each, never the message").hasSize(answers.size() + 2)
                .allSatisfy(l -> assertThat(l).hasSizeLessThan(200).doesNotContain("xxxx"))
                .contains(" [!] shipping dead-lettered a warehouse answer from shop.warehouse.shipped to shop.orders.dead-letters: "
                        + "it has " + huge.length() + " bytes, at most 1024",
                        " [!] shipping dead-lettered a warehouse answer from shop.warehouse.shipped to shop.orders.dead-letters: "
                        + "its amount is not a number from 0 to 1000000000");
        // The management API counts consumers from statistics it collects every 5 s, so its figure may lag.
        for (String queue : List.of(Topology.WAREHOUSE_SHIPPED, Topology.WAREHOUSE_PICKS)) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                    RabbitVhost.management().getQueue(RabbitVhost.name(), queue).getConsumerCount()).as(queue).isOne());
        }
    }
    // end::forged-warehouse-test[]

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

    static List<String> evictions(RoutingApi api, String sku) {
        return api.deliveries().stream().filter(d -> d.getString("service").startsWith("cache-") && d.getString("id").equals(sku))
                .map(d -> d.getString("line")).toList();
    }

    /** How many messages of {@code forgery} the dead-letter queue holds per queue they came from, read without taking them. */
    @SuppressWarnings("unchecked")
    private static Map<String, Long> deadLettered(String forgery) throws Exception {
        Map<String, Long> perQueue = new java.util.TreeMap<>();
        try (Connection connection = RabbitVhost.amqpFactory().newConnection("dead-letter-reader");
             Channel channel = connection.createChannel()) {
            // Not acknowledged: closing the channel puts every one back.
            for (com.rabbitmq.client.GetResponse got = channel.basicGet(Topology.DEAD_LETTERS, false); got != null;
                 got = channel.basicGet(Topology.DEAD_LETTERS, false)) {
                Map<String, Object> headers = got.getProps().getHeaders();
                if (headers != null && forgery.equals(String.valueOf(headers.get("forgery")))) {
                    List<Map<String, Object>> deaths = (List<Map<String, Object>>) headers.get("x-death");
                    perQueue.merge(deaths.get(0).get("queue").toString(), 1L, Long::sum);
                }
            }
        }
        return perQueue;
    }

    static JsonObject awaitLine(RoutingApi api, java.util.function.Predicate<JsonObject> matching) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> api.deliveries().stream().filter(matching).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }
}
