package shop.routing.orders;

import static org.assertj.core.api.Assertions.assertThat;

import course.testkit.ExtraVhost;
import course.testkit.PayaraProcess;
import course.testkit.RabbitVhost;
import jakarta.json.JsonObject;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.routing.Barrier;
import shop.routing.RoutingApi;
import shop.routing.TruthTable;

/**
 * Exercise 2, the fraud rule moved from a selector into the routing key: the shop started with
 * {@code routing.scheme=banded-key}, as the README says, routes every row of the truth table as before, with no
 * selector; and a binding written for three-word keys silently gets nothing.
 */
@ExtendWith(RabbitVhost.class)
class FraudRuleByKeyIT {

    private static ExtraVhost vhost;
    private static PayaraProcess server;
    private static RoutingApi api;

    @BeforeAll
    static void startTheShopWithTheBandedKeyScheme() throws MalformedURLException {
        // A vhost of its own: the same durable subscriptions with other bindings must not meet the lesson's server.
        vhost = ExtraVhost.create("banded-key");
        server = PayaraProcess.start("banded-key", "routing", Map.of("rabbitmq.virtual-host", vhost.name(),
                "routing.demo-ticks-per-second", "0", "routing.scheme", "banded-key", "mp.config.profile", "demo"));
        ExerciseCheck.awaitSchemeStarted(server, "Exercise 2 is not solved yet: the server has no routing scheme "
                + "named banded-key; see 03-routing/README.md, Exercises, 2. Move the fraud rule from a selector into the routing key");
        api = new RoutingApi(URI.create("http://localhost:" + server.port() + "/").toURL());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (vhost != null) {
            vhost.close();
        }
    }

    @Test
    void fraudReviewSubscribesWithoutASelectorAndEveryKeyCarriesTheAmountBand() {
        List<JsonObject> fraud = api.services().stream().filter(s -> s.getString("service").equals("fraud-review")).toList();
        assertThat(fraud).isNotEmpty().allSatisfy(s -> assertThat(s.isNull("selector")).as("no selector: %s", s).isTrue());

        String large = RoutingApi.newId("L");
        String small = RoutingApi.newId("S");
        api.publish("order.us.paid", large, "1000.01");
        api.publish("order.us.paid", small, "1000");
        Barrier.awaitEverySubscriptionPassed(api);

        List<String> sent = api.deliveries().stream().filter(d -> d.getString("service").equals("x"))
                .map(d -> d.getString("line")).toList();
        assertThat(sent).contains(" [x] Sent 'order.us.paid.large' " + large, " [x] Sent 'order.us.paid.small' " + small);
    }

    @Test
    void withTheBandInTheKeyEveryServiceStillGetsExactlyItsTruthTableRows() {
        List<String> lessonServices = TruthTable.fromReadme().services();
        Map<String, TruthTable.Row> rowById = new LinkedHashMap<>();
        for (TruthTable.Row row : TruthTable.fromReadme().rows()) {
            String id = RoutingApi.newId("K");
            rowById.put(id, row);
            api.publish(row.key(), id, row.amount());
        }

        Barrier.awaitEverySubscriptionPassed(api); // afterwards, a service that has not got a row never will

        rowById.forEach((id, row) -> assertThat(api.receiptsOf(id).stream()
                .filter(r -> r.getString("key").equals(row.key()))
                .map(r -> TruthTable.serviceOf(r.getString("service"))).filter(lessonServices::contains))
                .as("services that received %s", row)
                .containsExactlyInAnyOrderElementsOf(row.receivers())); // each exactly once
    }

    @Test
    void aBindingWrittenForThreeWordKeysSilentlyGetsNothing() {
        assertThat(api.asOperator().post("api/subscriptions", "{\"name\":\"old-billing\",\"pattern\":\"order.*.paid\"}").statusCode())
                .isEqualTo(201);
        try {
            String id = RoutingApi.newId("P");
            api.publish("order.eu.paid", id, "50");
            Barrier.awaitEverySubscriptionPassed(api);

            assertThat(api.receiptsOf(id)).extracting(r -> r.getString("service"))
                    .as("billing, rewritten to order.*.paid.*, got it; the old three-word binding did not")
                    .contains("audit").anyMatch(s -> s.startsWith("billing-")).doesNotContain("old-billing");
        } finally {
            api.asOperator().delete("api/subscriptions/old-billing");
        }
    }
}
