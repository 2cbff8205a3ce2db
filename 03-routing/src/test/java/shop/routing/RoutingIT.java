package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import course.testkit.RabbitVhost;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lesson's core, against the real broker: one publisher, and the bindings alone decide which
 * services get each order event; a selector narrows one service; two instances split one subscription.
 */
class RoutingIT extends DeployedRouting {

    private static final List<String> LESSON_SERVICES = TruthTable.fromReadme().services();

    static Stream<TruthTable.Row> truthTable() {
        return TruthTable.fromReadme().rows().stream();
    }

    @Test
    void theReadmeTruthTableHasAColumnForEveryRunningService() {
        Set<String> running = api().services().stream().filter(s -> !s.getBoolean("added")).map(s -> s.getString("service")).collect(Collectors.toSet());
        List<String> lesson = TruthTable.fromReadme().services();
        // The main build runs exercise 1's reference solution too: its column is in the exercise's answer.
        List<String> withAnswers = Stream.concat(lesson.stream(), TruthTable.exerciseOneAnswer().services().stream()).toList();
        assertThat(running).containsAll(lesson);
        assertThat(withAnswers).containsAll(running);
    }

    // tag::truth-table-test[]
    @ParameterizedTest(name = "{0}")
    @MethodSource("truthTable")
    void eachOrderEventReachesExactlyTheServicesOfItsTruthTableRow(TruthTable.Row row) {
        RoutingApi api = api();
        String id = RoutingApi.newId("T");
        api.publish(row.key(), id, row.amount());

        Barrier.awaitEverySubscriptionPassed(api); // afterwards, a service that has not got it never will

        // (a paid order also comes back later as order.<region>.shipped, from the warehouse: another key)
        // (and the table's columns are the lesson's services: an exercise's new service has its own answer column)
        List<JsonObject> receipts = api.receiptsOf(id).stream().filter(r -> r.getString("key").equals(row.key())
                && LESSON_SERVICES.contains(TruthTable.serviceOf(r.getString("service")))).toList();
        assertThat(receipts).extracting(r -> TruthTable.serviceOf(r.getString("service")))
                .as("services that received %s", row)
                .containsExactlyInAnyOrderElementsOf(row.receivers()); // each exactly once
    }
    // end::truth-table-test[]

    @Test
    void theFraudSelectorLetsThroughOnlyUsOrdersOver1000AndNothingElse() {
        RoutingApi api = api();
        Map<String, String> amountById = Map.of(
                RoutingApi.newId("F"), "1000.01",
                RoutingApi.newId("F"), "1000",
                RoutingApi.newId("F"), "250");
        amountById.forEach((id, amount) -> api.publish("order.us.created", id, amount));
        String euId = RoutingApi.newId("F");
        api.publish("order.eu.created", euId, "99999");

        Barrier.awaitEverySubscriptionPassed(api);

        List<String> reviewed = api.deliveries().stream().filter(d -> d.getString("service").equals("fraud-review"))
                .map(d -> d.getString("id")).toList();
        String over = amountById.entrySet().stream().filter(e -> e.getValue().equals("1000.01")).findFirst().orElseThrow().getKey();
        assertThat(reviewed).contains(over);
        assertThat(reviewed).doesNotContainAnyElementsOf(amountById.keySet().stream().filter(id -> !id.equals(over)).toList());
        assertThat(reviewed).doesNotContain(euId);
        // audit has no selector: it saw all four, so the three were published, routed, and then filtered out
        assertThat(api.deliveries().stream().filter(d -> d.getString("service").equals("audit")).map(d -> d.getString("id")))
                .containsAll(amountById.keySet()).contains(euId);
    }

    @Test
    void twoBillingInstancesSplitTheStreamAndNoOrderIsBilledTwice() {
        RoutingApi api = api();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = RoutingApi.newId("B");
            ids.add(id);
            api.publish("order.eu.paid", id, "10");
        }

        List<JsonObject> billed = await().atMost(Duration.ofSeconds(20)).until(() -> api.deliveries().stream()
                .filter(d -> d.getString("service").startsWith("billing-") && ids.contains(d.getString("id"))).toList(),
                list -> list.size() >= ids.size());
        Barrier.awaitEverySubscriptionPassed(api); // so a duplicate, had there been one, would be counted too

        List<JsonObject> all = api.deliveries().stream()
                .filter(d -> d.getString("service").startsWith("billing-") && ids.contains(d.getString("id"))).toList();
        Map<String, Long> timesBilled = all.stream().collect(Collectors.groupingBy(d -> d.getString("id"), Collectors.counting()));
        assertThat(timesBilled).hasSize(ids.size()).allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1));
        Map<String, Long> perInstance = all.stream().collect(Collectors.groupingBy(d -> d.getString("service"), Collectors.counting()));
        assertThat(perInstance).as("orders per billing instance").containsOnlyKeys("billing-1", "billing-2")
                .allSatisfy((instance, count) -> assertThat(count).isGreaterThan(0));
        assertThat(billed).first().satisfies(d -> assertThat(d.getString("line"))
                .matches(" \\[billing-[12]\\] Received 'order\\.eu\\.paid' B-\\d+"));
    }

    @Test
    void thePublisherLogsTheReadmeMarkerForEverySend() {
        RoutingApi api = api();
        String id = RoutingApi.newId("A");
        api.publish("order.apac.created", id, "12.50");

        JsonObject sent = await().atMost(Duration.ofSeconds(10)).until(() -> api.deliveries().stream()
                .filter(d -> d.getString("service").equals("x") && d.getString("id").equals(id)).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
        assertThat(sent.getString("line")).isEqualTo(" [x] Sent 'order.apac.created' " + id);
        // Exercise 1's apac-analytics may receive it too, in no fixed order: pick audit's line.
        JsonObject audited = await().atMost(Duration.ofSeconds(10)).until(() -> api.receiptsOf(id).stream()
                .filter(d -> d.getString("service").equals("audit")).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
        assertThat(audited.getString("line")).isEqualTo(" [audit] Received 'order.apac.created' " + id);
    }

    /** The services an order.eu.paid event reaches (truth table), and how often each received {@code id} under that key. */
    private static Map<String, Long> paidReceipts(RoutingApi api, String id) {
        return api.receiptsOf(id).stream()
                .filter(r -> r.getString("key").equals("order.eu.paid") && r.getString("line").contains(" Received "))
                .collect(Collectors.groupingBy(r -> TruthTable.serviceOf(r.getString("service")), Collectors.counting()));
    }

    private static final Map<String, Long> ONCE_EACH = Map.of("billing", 1L, "shipping", 1L, "eu-analytics", 1L, "audit", 1L);

    @Test
    void theSameIdempotencyKeyTwiceGivesTheSameEventAndOneDeliveryPerService() {
        RoutingApi api = api();
        String id = RoutingApi.newId("K");
        String key = "\"" + id + "-key\"";
        HttpResponse<String> first = api.publishWithKey(key, "order.eu.paid", id, "30.00");
        HttpResponse<String> retry = api.publishWithKey(key, "order.eu.paid", id, "30.0"); // the same amount, spelled otherwise

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
        assertThat(RoutingApi.object(retry.body()).getString("eventId")).isEqualTo(RoutingApi.object(first.body()).getString("eventId"));
        Barrier.awaitEverySubscriptionPassed(api);
        assertThat(paidReceipts(api, id)).isEqualTo(ONCE_EACH);
        assertThat(api.deliveries().stream().filter(d -> d.getString("service").equals("x") && d.getString("id").equals(id)
                && d.getString("key").equals("order.eu.paid"))).as("[x] Sent lines").hasSize(1);
    }

    @Test
    void tenRacingSendsWithOneIdempotencyKeyPublishOneEvent() {
        RoutingApi api = api();
        String id = RoutingApi.newId("R");
        String key = "\"" + id + "-key\"";
        var pool = Executors.newFixedThreadPool(10);
        try {
            List<CompletableFuture<HttpResponse<String>>> sends = Stream.generate(() -> CompletableFuture.supplyAsync(
                    () -> api.publishWithKey(key, "order.eu.paid", id, "40.00"), pool)).limit(10).toList();
            List<HttpResponse<String>> answers = sends.stream().map(CompletableFuture::join).toList();
            assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isEqualTo(202));
            assertThat(answers.stream().map(a -> RoutingApi.object(a.body()).getString("eventId")).distinct()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        Barrier.awaitEverySubscriptionPassed(api);
        assertThat(paidReceipts(api, id)).isEqualTo(ONCE_EACH);
    }

    @Test
    void aDuplicateWithTheSameEventIdIsHandledOnceByEachServiceAndSaysSo() throws Exception {
        RoutingApi api = api();
        String id = RoutingApi.newId("D");
        HttpResponse<String> published = api.post("api/orders/events",
                "{\"key\":\"order.eu.paid\",\"orderId\":\"" + id + "\",\"amount\":25.00}");
        assertThat(published.statusCode()).as(published.body()).isEqualTo(202);
        String eventId = RoutingApi.object(published.body()).getString("eventId");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(paidReceipts(api, id)).isEqualTo(ONCE_EACH));

        // The copy a lost confirm's retry would make: the same event, the same eventId, from a JMS client of the test.
        try (Connection connection = RabbitVhost.jmsFactory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(Topics.on(Topology.ORDERS, "order.eu.paid"));
            TextMessage copy = new OrderEvent(id, new OrderKey("eu", "paid"), new java.math.BigDecimal("25.00")).toMessage(session);
            copy.setStringProperty("eventId", eventId);
            producer.send(copy);
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api.receiptsOf(id).stream()
                .filter(r -> r.getString("line").contains(" Skipped 'order.eu.paid' " + id))
                .map(r -> TruthTable.serviceOf(r.getString("service"))).sorted().toList())
                .containsExactly("audit", "billing", "eu-analytics", "shipping"));
        assertThat(api.receiptsOf(id)).filteredOn(r -> r.getString("line").contains(" Skipped ")).first()
                .satisfies(r -> assertThat(r.getString("line")).matches(" \\[[a-z-]+[0-9]*\\] Skipped 'order\\.eu\\.paid' " + id
                        + ": event " + eventId + " was handled already"));
        Barrier.awaitEverySubscriptionPassed(api);
        assertThat(paidReceipts(api, id)).isEqualTo(ONCE_EACH);
    }

    // tag::ticks-test[]
    @Test
    void eachTickReachesExactlyTheSubscribersWhosePatternMatchesItsKey() {
        RoutingApi api = api();
        long n = System.nanoTime() % 100_000;
        String vod = "tick.xlon.VOD " + n + ".01";
        String msft = "tick.xnas.MSFT " + n + ".02";
        String aaplLondon = "tick.xlon.AAPL " + n + ".03";
        String marker = "tick.xnas.AAPL " + n + ".04"; // last, and matched by all three: the barrier
        assertThat(api.post("api/ticks", "[" + Stream.of(vod, msft, aaplLondon, marker).map(RoutingIT::tickJson)
                .collect(Collectors.joining(",")) + "]").statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(10)).until(() -> recentTicks(api).values().stream().allMatch(l -> l.contains(marker)));
        Map<String, List<String>> recent = recentTicks(api);
        assertThat(recent.get("aapl-watch")).containsSubsequence(aaplLondon, marker).doesNotContain(vod, msft);
        assertThat(recent.get("nasdaq-board")).containsSubsequence(msft, marker).doesNotContain(vod, aaplLondon);
        assertThat(recent.get("tick-recorder")).containsSubsequence(vod, msft, aaplLondon, marker);
    }
    // end::ticks-test[]

    static String tickJson(String seen) {
        String[] parts = seen.split("[. ]", 4); // tick, venue, symbol, price
        return "{\"venue\":\"" + parts[1] + "\",\"symbol\":\"" + parts[2] + "\",\"price\":" + parts[3] + "}";
    }

    static Map<String, List<String>> recentTicks(RoutingApi api) {
        JsonObject recent = RoutingApi.object(api.get("api/ticks").body()).getJsonObject("recent");
        return recent.keySet().stream().collect(Collectors.toMap(k -> k,
                k -> recent.getJsonArray(k).getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList()));
    }
}
