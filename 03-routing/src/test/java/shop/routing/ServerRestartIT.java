package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import course.testkit.LabScript;
import course.testkit.PayaraProcess;
import course.testkit.RabbitVhost;
import jakarta.json.JsonObject;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Failure labs 4 and 5, and live subscriptions, on one restart: the server is stopped (Ctrl+C) while the
 * warehouse, a plain AMQP service, answers a pick, and started again. Lab 5: the answer waits in the warehouse's
 * durable queue, and shipping handles it when the server is back. Lab 4: the restart binds one more selector
 * exchange to fraud review's durable queue, and fraud review still gets a matching order once. A subscription
 * added live before the stop is gone after it, queue and all. The server is the module's WAR
 * in a Payara Micro process of its own, as the README's run command starts it, in this run's vhost; the lab's
 * script runs from the course folder exactly as printed.
 */
@ExtendWith(RabbitVhost.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one restart, two labs: every Payara Micro boot costs 12-30 s
class ServerRestartIT {

    private static final String FRAUD_REVIEW_QUEUE = "shop.orders.fraud-review";
    private static final String LIVE_QUEUE = "shop.orders.swallow-all";

    private PayaraProcess server;
    private LabScript.Result warehouseAnswer;
    private List<JsonObject> selectorBindingsBefore;

    @BeforeAll
    void stopTheServerAnswerAsTheWarehouseAndStartItAgain() {
        server = startServer("lab5-server-first");
        selectorBindingsBefore = selectorBindingsOfFraudReview();
        // The orphan of the attack: a live rule for everything, whose durable queue used to outlive the server.
        RoutingApi first = new RoutingApi(url(server)).asOperator();
        assertThat(first.post("api/subscriptions", "{\"name\":\"swallow-all\",\"pattern\":\"#\"}").statusCode()).isEqualTo(201);
        assertThat(RabbitVhost.management().getQueue(RabbitVhost.name(), LIVE_QUEUE)).as("the live rule's queue").isNotNull();
        server.stop(); // SIGTERM, as Ctrl+C: the server undeploys and closes its connections
        server.close();

        warehouseAnswer = LabScript.of("labs/publish-warehouse-answer.sh").fromCourseFolder()
                .run(Map.of("RABBITMQ_VIRTUAL_HOST", RabbitVhost.name()), Duration.ofSeconds(30), "A-3001");

        server = startServer("lab5-server-again");
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aWarehouseAnswerPublishedWhileTheServerIsDownIsShippedWhenItStartsAgain() {
        warehouseAnswer.assertSucceeded();
        assertThat(warehouseAnswer.output())
                .containsPattern("\"durable\":true,(\"messages\":\\d+,)?\"name\":\"shop\\.orders\\.billing\"")
                .contains("\"name\":\"shop.warehouse.shipped\"")
                .doesNotContain("jms-cons-") // the market subscribers' queues died with the server
                .endsWith("{\"routed\":true}\n");

        for (String line : new String[] {
                " [shipping] Warehouse shipped A-3001",
                " [x] Sent 'order.eu.shipped' A-3001",
                " [eu-analytics] Received 'order.eu.shipped' A-3001",
                " [audit] Received 'order.eu.shipped' A-3001"}) {
            server.awaitLog(Pattern.compile(Pattern.quote(line)));
        }
        assertThat(server.count(Pattern.compile("Received 'order\\.eu\\.shipped' A-3001"))).isEqualTo(2);
    }

    @Test
    void failureLab4EachRestartBindsOneMoreSelectorExchangeAndFraudReviewStillGetsAMatchingOrderOnce()
            throws MalformedURLException {
        List<JsonObject> after = selectorBindingsOfFraudReview();
        assertThat(selectorBindingsBefore).as("the first start's selector exchange").hasSize(1);
        assertThat(selectorBindingsBefore.get(0).getJsonObject("arguments").getString("rjms_erlang_selector"))
                .as("the selector, kept in the binding").contains("amount").contains("region");
        assertThat(after).as("one more x-jms-topic exchange per start, bound to the same queue").hasSize(2)
                .containsAll(selectorBindingsBefore); // the old one stays, with the selector it was created with
        for (JsonObject binding : after) {
            assertThat(RabbitVhost.management().getExchange(RabbitVhost.name(), binding.getString("source")).getType())
                    .isEqualTo("x-jms-topic");
        }

        String id = RoutingApi.newId("L4");
        new RoutingApi(URI.create("http://localhost:" + server.port() + "/").toURL()).publish("order.us.paid", id, "1500");
        Pattern received = Pattern.compile(Pattern.quote(" [fraud-review] Received 'order.us.paid' " + id) + "(?!\\d)");
        server.awaitLog(received);
        // A second copy, through the old exchange, would arrive right behind the first: none does.
        await("fraud review to get " + id + " exactly once").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> server.count(received) == 1);
    }

    // tag::live-restart-test[]
    @Test
    void aSubscriptionAddedLiveIsGoneAfterARestartQueueAndAllSoItSwallowsNothing() throws MalformedURLException {
        RoutingApi api = new RoutingApi(url(server));
        assertThat(api.services()).noneMatch(s -> s.getString("subscription").equals("swallow-all"));
        assertThat(RabbitVhost.management().getQueue(RabbitVhost.name(), LIVE_QUEUE))
                .as("its queue expired (x-expires) while no consumer used it").isNull();
        // So what matches no rule of the shop reaches the alternate exchange again, instead of an orphan '#' queue.
        assertThat(RabbitVhost.management().getExchange(RabbitVhost.name(), "shop.orders")).isNotNull();
        LabScript.of("labs/publish-unrouted.sh").fromCourseFolder()
                .run(Map.of("RABBITMQ_VIRTUAL_HOST", RabbitVhost.name()), Duration.ofSeconds(30), "refund.us.issued")
                .assertSucceeded();
        server.awaitLog(Pattern.compile(Pattern.quote(" [unrouted] Caught 'refund.us.issued' ?")));
    }
    // end::live-restart-test[]

    private static java.net.URL url(PayaraProcess server) {
        try {
            return URI.create("http://localhost:" + server.port() + "/").toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bindings to fraud review's queue whose source is a selector exchange the JMS client made. */
    private static List<JsonObject> selectorBindingsOfFraudReview() {
        return RabbitVhost.get("/api/queues/" + RabbitVhost.encode(RabbitVhost.name()) + "/"
                        + RabbitVhost.encode(FRAUD_REVIEW_QUEUE) + "/bindings").asJsonArray()
                .getValuesAs(JsonObject.class).stream()
                .filter(b -> b.getString("source").startsWith("jms-dutop-slx-"))
                .toList();
    }

    private static PayaraProcess startServer(String name) {
        // A live subscription's queue expires 1 s after its last consumer, not the default minute, to keep the test short.
        // The demo profile, as the run command: its operator may add a live subscription.
        return PayaraProcess.start(name, "routing", Map.of("rabbitmq.virtual-host", RabbitVhost.name(),
                "routing.live-subscription-expiry-ms", "1000", "mp.config.profile", "demo")).awaitReady();
    }
}
