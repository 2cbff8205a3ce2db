package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import course.testkit.LabScript;
import course.testkit.RabbitVhost;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Nothing is lost silently and nothing bad gets in: an unroutable message is caught by the alternate
 * exchange, and a bad key, pattern or selector is refused with a problem+json that says why, before
 * anything is published or subscribed.
 */
class BadInputIT extends DeployedRouting {

    // tag::unroutable-test[]
    @Test
    void aMessageThatMatchesNoBindingIsCaughtByTheAlternateExchangeNotDropped() throws Exception {
        RoutingApi api = api();
        try (Connection connection = TestClients.amqp().newConnection("legacy-producer");
             Channel channel = connection.createChannel()) {
            // A producer the shop does not control publishes an event family nobody subscribed to.
            channel.basicPublish(Topology.ORDERS, "refund.eu.issued",
                    new AMQP.BasicProperties.Builder().headers(Map.of("orderId", "R-1")).build(), "{}".getBytes());
        }

        JsonObject caught = await().atMost(Duration.ofSeconds(10)).until(() -> api.receiptsOf("R-1").stream()
                .filter(d -> d.getString("service").equals("unrouted")).findFirst(), Optional::isPresent).orElseThrow();
        assertThat(caught.getString("line")).isEqualTo(" [unrouted] Caught 'refund.eu.issued' R-1");
        Barrier.awaitEverySubscriptionPassed(api);
        assertThat(api.receiptsOf("R-1")).extracting(d -> d.getString("service")).containsExactly("unrouted");
    }
    // end::unroutable-test[]

    /** Failure lab 1, as the README prints it: the management UI's message has no properties, so no id. */
    @Test
    void failureLab1AMessageFromTheManagementUiThatNobodySubscribedToShowsUnderUnroutedWithAQuestionMark() {
        RoutingApi api = api();
        LabScript.Result lab = LabScript.of("labs/publish-unrouted.sh").fromCourseFolder()
                .run(Map.of("RABBITMQ_VIRTUAL_HOST", RabbitVhost.name()), Duration.ofSeconds(30))
                .assertSucceeded();
        assertThat(lab.output()).isEqualTo("{\"routed\":true}\n");

        JsonObject caught = await().atMost(Duration.ofSeconds(10)).until(() -> api.receiptsOf("?").stream()
                .filter(d -> d.getString("key").equals("refund.eu.issued")).findFirst(), Optional::isPresent).orElseThrow();
        assertThat(caught.getString("service")).isEqualTo("unrouted");
        assertThat(caught.getString("line")).isEqualTo(" [unrouted] Caught 'refund.eu.issued' ?");
        Barrier.awaitEverySubscriptionPassed(api);
        assertThat(api.receiptsOf("?")).extracting(d -> d.getString("service")).containsExactly("unrouted");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        "order.*.paid;       wildcard-in-key",
        "order.eu.#;         wildcard-in-key",
        "order..paid;        empty-segment",
        ".order.eu.paid;     empty-segment",
        "order.eu.paid.;     empty-segment",
        "order.mars.paid;    unknown-region",
        "order.eu.refunded;  unknown-event",
        "invoice.eu.paid;    invalid-key",
        "order.eu;           invalid-key"})
    void aBadPublishKeyIsRefusedWithAProblemAndNothingIsPublished(String key, String code) {
        RoutingApi api = api();
        String id = RoutingApi.newId("bad");
        HttpResponse<String> response = api.post("api/orders/events",
                "{\"key\":\"" + key + "\",\"orderId\":\"" + id + "\",\"amount\":10}");

        assertProblem(response, 400, code);
        Barrier.awaitEverySubscriptionPassed(api);
        assertThat(api.deliveries()).noneMatch(d -> d.getString("id").equals(id));
    }

    @Test
    void aBadBodyIsRefusedWithAProblem() {
        RoutingApi api = api();
        assertProblem(api.post("api/orders/events", "not json"), 400, "malformed-json");
        assertProblem(api.post("api/orders/events", "[1]"), 400, "malformed-json");
        assertProblem(api.post("api/orders/events", "{\"key\":\"order.eu.paid\",\"orderId\":\"A-1\",\"amount\":-1}"), 400, "invalid-amount");
        assertProblem(api.post("api/orders/events", "{\"key\":\"order.eu.paid\",\"orderId\":\"A 1\",\"amount\":1}"), 400, "invalid-order-id");
        assertProblem(api.post("api/orders/events", "{\"key\":\"order.eu.paid\",\"orderId\":\"A-1\",\"amount\":1,\"x\":1}"), 400, "unknown-field");
        assertProblem(api.get("api/deliveries?after=abc"), 400, "invalid-after");
    }

    // tag::selector-test[]
    /** Failure lab 2, run from the course folder exactly as the README prints it, against this test's server. */
    @Test
    void anInvalidSelectorIsRefusedAtSubscribeTimeWithAnExplanationAndLeavesNoQueueBehind() throws Exception {
        RoutingApi api = api();
        LabScript.Result lab = LabScript.of("labs/mistype-selector.sh").fromCourseFolder()
                .run(Map.of(), Duration.ofSeconds(30), String.valueOf(base.getPort()))
                .assertSucceeded();

        assertThat(lab.output()).endsWith("\nHTTP 400\n");
        JsonObject problem = RoutingApi.object(lab.output().lines().findFirst().orElseThrow());
        assertThat(problem.getString("type")).isEqualTo("/problems/invalid-selector");
        assertThat(problem.getInt("status")).isEqualTo(400);
        assertThat(problem.getString("detail")).startsWith("'amount >> 1000' is not a JMS selector (")
                .contains("for example amount > 1000 AND region = 'us'").endsWith("nothing was subscribed.");
        assertThat(Files.readString(Path.of("README.md"))).as("the answer the README shows for lab 2")
                .contains(lab.output());
        assertThat(api.services()).noneMatch(s -> s.getString("subscription").equals("typo"));
        try (Connection connection = TestClients.amqp().newConnection("check")) {
            Channel channel = connection.createChannel(); // the broker closes it on the 404 below
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> channel.queueDeclarePassive(Topology.ORDERS + ".typo"))
                    .hasStackTraceContaining("NOT_FOUND - no queue 'shop.orders.typo'");
        }
    }
    // end::selector-test[]

    @Test
    void aServiceAddedByARuleAloneGetsWhatItsSelectorSelects() {
        RoutingApi api = api();
        HttpResponse<String> created = api.post("api/subscriptions",
                "{\"name\":\"big-eu\",\"pattern\":\"order.eu.#\",\"selector\":\"amount > 500\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        try {
            String big = RoutingApi.newId("E");
            String small = RoutingApi.newId("E");
            String us = RoutingApi.newId("E");
            api.publish("order.eu.created", small, "499");
            api.publish("order.us.created", us, "9999");
            api.publish("order.eu.created", big, "501");

            // big was published last on the same channel: once big-eu has it, the earlier two were decided
            await().atMost(Duration.ofSeconds(10)).until(() -> api.receiptsOf(big).stream()
                    .anyMatch(d -> d.getString("service").equals("big-eu")));
            List<String> seen = api.deliveries().stream().filter(d -> d.getString("service").equals("big-eu"))
                    .map(d -> d.getString("id")).toList();
            assertThat(seen).containsExactly(big);
            assertThat(api.receiptsOf(big).stream().filter(d -> d.getString("service").equals("big-eu")).findFirst().orElseThrow()
                    .getString("line")).isEqualTo(" [big-eu] Received 'order.eu.created' " + big);
        } finally {
            assertThat(api.delete("api/subscriptions/big-eu").statusCode()).isEqualTo(204);
        }
    }

    @Test
    void aBadPatternOrNameIsRefusedAndTheBuiltInServicesCannotBeRemoved() {
        RoutingApi api = api();
        assertProblem(api.post("api/subscriptions", "{\"name\":\"x\",\"pattern\":\"order..paid\"}"), 400, "invalid-pattern");
        assertProblem(api.post("api/subscriptions", "{\"name\":\"x\",\"pattern\":\"order.e*.paid\"}"), 400, "invalid-pattern");
        assertProblem(api.post("api/subscriptions", "{\"name\":\"Bad Name\",\"pattern\":\"order.#\"}"), 400, "invalid-name");
        assertProblem(api.post("api/subscriptions", "{\"name\":\"audit\",\"pattern\":\"order.#\"}"), 409, "subscription-exists");
        assertProblem(api.delete("api/subscriptions/audit"), 404, "no-such-subscription");
    }

    private static JsonObject assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonObject problem = RoutingApi.object(response.body());
        assertThat(problem.getString("type")).isEqualTo("/problems/" + code);
        assertThat(problem.getInt("status")).isEqualTo(status);
        assertThat(problem.getString("detail")).endsWith(".");
        return problem;
    }
}
