package shop.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import course.testkit.ContainerDefects;
import course.testkit.FuzzFrames;
import course.testkit.FuzzRequests;
import course.testkit.FuzzRun;
import course.testkit.PayaraProcess;
import course.testkit.RabbitVhost;
import course.testkit.RawRequest;
import course.testkit.RawWebSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, item 6: every endpoint fuzzed. Jazzer generates inputs for as long as {@code -Dfuzz.duration} says (CI:
 * 30 s; the full size: {@code -Dfuzz.duration=10m}); each is an HTTP request to one of the shop's endpoints (the
 * REST API, the experiment's synchronous chain, switched on here, the static pages, and the order channel's
 * handshake), built by {@link FuzzRequests}, or frames on a signed-in order channel ({@link FuzzFrames}). Each answer
 * must be a 4xx problem+json, an error frame or a refusal's close code: never a 5xx, a stack trace or a hang
 * (testkit's verdicts). Meanwhile a well-behaved customer places orders and watches them ship, and must be served
 * within its bound. The order board is not the shop's: its page talks to RabbitMQ's Web-STOMP, so here only its
 * page and {@code GET /api/board} are.
 *
 * <p>The server is another process: Jazzer's coverage guidance sees only this client's code, so the inputs are
 * mutation-driven generation from the fuzzer's bytes, not coverage-guided search of the server.
 *
 * <p>Sign-ins are limited (5 a minute per name): each customer here signs in once. The fuzzer's own cookie goes in
 * half of the generated requests and handshakes; a generated {@code DELETE /api/session} may sign it out, and then
 * it is signed in again, at most once per {@value #RESIGN_AFTER_SECONDS} s. The channel whose frames are fuzzed is
 * another customer's, whose cookie no generated request carries, so nothing signs it out.
 */
@ExtendWith(RabbitVhost.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FuzzIT {

    private static final String ORDER = "5d0f7a3e-1c2b-4e5f-8a9b-0c1d2e3f4a5b";
    private static final List<String> PATHS = List.of("/api/session", "/api/catalog", "/api/instances", "/api/orders",
            "/api/orders/" + ORDER, "/api/orders/x", "/api/services", "/api/board", "/api/sync/orders",
            "/api/sync/payment", "/api/sync/inventory", "/api/sync/shipping", "/orders", "/orders?after=0", "/",
            "/index.html", "/app.js", "/style.css", "/board.html", "/board.js", "/board.css", "/favicon.svg",
            "/no-such-page");
    private static final List<String> FIELDS = List.of("name", "password", "item", "payment", "correlationId",
            "orderId", "customer", "command", "choice");
    private static final List<String> HANDSHAKE_HEADERS = List.of("Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
    private static final long RESIGN_AFTER_SECONDS = 15;

    private static PayaraProcess server;
    private static URL base;
    private static FuzzRequests requests;
    private static FuzzFrames frames;
    private static FuzzRun run;
    private static Customer bystander;
    private static String fuzzer;
    private static volatile String fuzzerCookie;
    /** When the fuzzer's session was last checked (or signed in). */
    private static long fuzzerChecked;
    private static String socketCookie;

    @BeforeAll
    static void start() throws Exception {
        DeployedShop.deleteData();
        int port = PayaraProcess.freePort();
        base = URI.create("http://localhost:" + port + "/").toURL();
        Map<String, String> properties = new HashMap<>();
        properties.putAll(RoleUsers.properties()); // this run's own broker users, deleted after the class
        properties.putAll(TestCustomers.serverProperties()); // its own customers; the tests' address is a proxy
        properties.putAll(Map.of(
                "rabbitmq.virtual-host", RabbitVhost.name(),
                "board.provision", "false", // the board has its own test (BoardIT); GET /api/board still answers
                "shop.data-dir", Path.of("target", "fuzz-data-" + UUID.randomUUID()).toAbsolutePath().toString(),
                "shop.session-secret", System.getProperty("shop.test-secret"),
                "shop.work-ms", "50",
                "shop.sync-chain", "true", // the experiment's baseline: endpoints too, so fuzzed too
                "shop.instances", "http://localhost:" + port));
        server = PayaraProcess.start("shop-fuzz", "orders", port, properties).awaitReady();
        // Ready is the server's word; the shop's consumers and its revocations' publisher connect just after.
        Awaitility.await("the shop's consumers").atMost(Duration.ofSeconds(30))
                .until(FuzzIT::healthy);
        DeployedShop.connected(server);
        fuzzer = WorkflowIT.unique("fuzzer");
        fuzzerCookie = signIn(fuzzer);
        fuzzerChecked = System.nanoTime();
        socketCookie = signIn(WorkflowIT.unique("fuzzer-socket"));
        requests = new FuzzRequests(base, PATHS, FIELDS, () -> {
            List<String> lines = new ArrayList<>(HANDSHAKE_HEADERS);
            lines.add("Cookie: " + fuzzerCookie);
            return lines;
        });
        frames = new FuzzFrames(List.of("type", "orderId", "item", "payment", "correlationId", "choice"),
                List.of("place", "answer", "ping"), OrderEndpoint.MAX_FRAME);
        // tag::bystander[]
        bystander = Customer.signIn(base, WorkflowIT.unique("bystander")).connect(base);
        run = FuzzRun.start("04-combined", () -> {
            HttpResponse<String> whoAmI = bystander.get(base, "api/session");
            assertThat(whoAmI.statusCode()).as(whoAmI.body()).isEqualTo(200);
            String order = bystander.place("mug", "tok_visa");
            assertThat(bystander.awaitLast(order, Duration.ofSeconds(10))).endsWith("shipped");
        });
        // end::bystander[]
    }

    // tag::fuzz[]
    @FuzzTest(maxDuration = "30s")
    @Order(2)
    void everyEndpointAndTheOrderChannel(FuzzedDataProvider data) {
        run.checkBystander();
        if (data.consumeInt(0, 2) > 0) {
            run.http(requests.next(data), base);
            signInAgainIfSignedOut();
        } else {
            FuzzFrames.Input input = frames.next(data);
            if (ContainerDefects.keptOut(input)) {
                run.count("WebSocket " + ContainerDefects.DECLARED_OVER_THE_LIMIT_NOT_SENT);
                return;
            }
            try (RawWebSocket socket = RawWebSocket.open(URI.create("ws://localhost:" + base.getPort() + "/orders"),
                    Map.of("Cookie", socketCookie, "Origin", Customer.origin(base)))) {
                run.frames(socket, input);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nframes: " + input, e);
            }
        }
    }
    // end::fuzz[]

    /**
     * Found by fuzzing, on the experiment's synchronous chain: a step's body that is not a command was a 500, and a
     * back-ordered item (the inventory step's 409) a 502. A 400 and a 409 problem now; the chain's 5xx are left for
     * a step that cannot be reached or answers late.
     */
    @Test
    @Order(1) // before the fuzz test: its agent refuses connections it was not told to allow
    void theSyncChainAnswersABadCommandWith400AndABackOrderWith409() {
        for (String step : List.of("/api/sync/payment", "/api/sync/inventory", "/api/sync/shipping")) {
            for (String body : List.of("", "{}", "[1]", "{\"command\":\"ship\",\"orderId\":\"../../x\",\"customer\":\"c\","
                    + "\"item\":\"mug\",\"payment\":\"tok_visa\",\"correlationId\":\"c-12345678\"}")) {
                RawRequest.Answer answer = RawRequest.send(base, "POST", step, body, FuzzRun.ANSWER_TIMEOUT,
                        "Content-Type: application/json");
                assertThat(answer.status()).as(step + " " + body + ": " + answer).isEqualTo(400);
                assertThat(answer.header("Content-Type")).startsWith(Problem.MEDIA_TYPE);
            }
        }
        RawRequest.Answer backOrdered = RawRequest.send(base, "POST", "/api/sync/orders",
                "{\"item\":\"poster\",\"payment\":\"tok_visa\"}", FuzzRun.ANSWER_TIMEOUT, "Content-Type: application/json");
        assertThat(backOrdered.status()).as(backOrdered.toString()).isEqualTo(409);
        assertThat(backOrdered.header("Content-Type")).startsWith(Problem.MEDIA_TYPE);
    }

    /** A generated request may have signed the fuzzer out: then it signs in again, within the sign-in limit. */
    private static void signInAgainIfSignedOut() {
        if (System.nanoTime() - fuzzerChecked < Duration.ofSeconds(RESIGN_AFTER_SECONDS).toNanos()) {
            return;
        }
        fuzzerChecked = System.nanoTime();
        if (Customer.whoAmI(base, fuzzerCookie).statusCode() == 204) {
            fuzzerCookie = signIn(fuzzer);
        }
    }

    /** Signs a customer in, once the shop is {@link DeployedShop#connected}; returns the session cookie ({@code shop_session=...}). */
    private static String signIn(String name) {
        HttpResponse<String> signedIn = Customer.postSession(base, name, TestCustomers.PASSWORD, null);
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
        return Customer.cookie(signedIn);
    }

    /** GET /api/services is 200 once every consumer of the shop consumes. */
    private static boolean healthy() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(Customer.at(base, "api/services")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
    }

    @AfterAll
    static void finish() throws Exception {
        try {
            FuzzRun.finish(run, bystander, server);
        } finally {
            try (ShopBroker broker = ShopBroker.connect()) {
                broker.deleteTopology();
            }
            RoleUsers.deleteAll(); // the shop creates them at start (rabbitmq.provision); deleting the vhost keeps users
        }
    }
}
