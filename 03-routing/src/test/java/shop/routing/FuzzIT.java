package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import course.testkit.FuzzRequests;
import course.testkit.FuzzRun;
import course.testkit.PayaraProcess;
import course.testkit.RabbitVhost;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, item 6: every endpoint fuzzed. Jazzer generates inputs for as long as {@code -Dfuzz.duration} says (CI:
 * 30 s; the full size: {@code -Dfuzz.duration=10m}); each is an HTTP request ({@link FuzzRequests}) to one of the
 * module's endpoints: the order events, the live subscriptions, the ticks, the deliveries, the services, the catalogue
 * invalidation, the live page's static files, and paths no endpoint has. Half of them carry the demo operator's
 * sign-in, some a viewer's or a wrong password, so the operator's endpoints are fuzzed signed in and anonymous. Each
 * answer must be a 4xx problem+json or a success: never a 5xx, a stack trace or a hang (testkit's verdicts; what the
 * container answers before any code of the module runs is tolerated and counted as a known defect, testkit's
 * {@link course.testkit.ContainerDefects}). This module has no WebSocket: the live page polls; the fuzzer asks for one all the same.
 * Meanwhile a well-behaved client uses the shop as the live page and the operator do, and must be served within its
 * bound.
 *
 * <p>The server is another process: Jazzer's coverage guidance sees only this client's code, so the inputs are
 * mutation-driven generation from the fuzzer's bytes, not coverage-guided search of the server.
 */
@ExtendWith(RabbitVhost.class)
class FuzzIT {

    // tag::endpoints[]
    private static final List<String> PATHS = List.of("/api/orders/events", "/api/subscriptions",
            "/api/subscriptions/fuzzed", "/api/subscriptions/audit", "/api/ticks", "/api/deliveries?after=0",
            "/api/services", "/api/catalog/sku-1/invalidation", "/", "/index.html", "/app.js", "/style.css",
            "/favicon.svg", "/api/no-such-endpoint", "/no-such-page");
    /** A hostile client may ask for a WebSocket (this module has none), with or without a body. */
    private static final List<String> UPGRADE = List.of("Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
    private static final List<String> FIELDS = List.of("key", "orderId", "amount", "name", "pattern", "selector",
            "venue", "symbol", "price");
    // end::endpoints[]

    private static PayaraProcess server;
    private static URL base;
    private static FuzzRequests requests;
    private static FuzzRun run;
    private static final AtomicLong IDEMPOTENCY_KEYS = new AtomicLong();

    @BeforeAll
    static void start() throws Exception {
        // The demo profile, as the run command: its operator and viewer sign in. No synthetic ticks: the bystander's
        // requests and the fuzzer's are the whole load. Every wrong password of the fuzzer comes from its one
        // address, which the limit per address (BadInputIT tests it) would soon close to its operator's requests too.
        server = PayaraProcess.start("routing-fuzz", "routing", Map.of("rabbitmq.virtual-host", RabbitVhost.name(),
                "mp.config.profile", "demo", "routing.demo-ticks-per-second", "0",
                "routing.password-failures-per-address", "1000000")).awaitReady();
        base = URI.create("http://localhost:" + server.port() + "/").toURL();
        requests = new FuzzRequests(base, PATHS, FIELDS, () -> {
            List<String> lines = new java.util.ArrayList<>(List.of(
                    basic(RoutingApi.OPERATOR, RoutingApi.OPERATOR_PASSWORD),
                    basic(RoutingApi.VIEWER, RoutingApi.VIEWER_PASSWORD),
                    basic("guesser", "wrong"), // past 5 in 5 minutes, 429 before the hash
                    "Idempotency-Key: \"fuzz-" + IDEMPOTENCY_KEYS.incrementAndGet() % 50 + "\""));
            lines.addAll(UPGRADE);
            return lines;
        });
        // tag::bystander[]
        RoutingApi page = new RoutingApi(base); // the live page: anonymous
        RoutingApi operator = page.asOperator();
        run = FuzzRun.start("03-routing", () -> {
            assertThat(page.get("api/services").statusCode()).isEqualTo(200);
            String id = RoutingApi.newId("BYSTANDER");
            page.publish("order.eu.paid", id, "12.50"); // fails unless 202: confirmed by the broker
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> page.receiptsOf(id)
                    .stream().anyMatch(d -> d.getString("service").equals("audit")));
            HttpResponse<String> added = operator.post("api/subscriptions", "{\"name\":\"bystander\",\"pattern\":\"order.us.#\"}");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            assertThat(operator.delete("api/subscriptions/bystander").statusCode()).isEqualTo(204);
        });
        // end::bystander[]
    }

    // tag::fuzz[]
    @FuzzTest(maxDuration = "30s")
    void everyEndpoint(FuzzedDataProvider data) {
        run.checkBystander();
        run.http(requests.next(data), base);
    }
    // end::fuzz[]

    @AfterAll
    static void finish() throws Exception {
        FuzzRun.finish(run, server);
    }

    private static String basic(String name, String password) {
        return "Authorization: Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
