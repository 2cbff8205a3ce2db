package shop.orders;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.WebSocketRoute;
import com.rabbitmq.client.AMQP;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import course.testkit.Browser;
import course.testkit.BrowserPage;
import course.testkit.PayaraProcess;
import course.testkit.RabbitVhost;
import course.testkit.RecordingWebSocket;
import jakarta.json.JsonObject;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's "Run it", as a learner runs it from two terminals: instance A and instance B, each
 * the web tier and all three step services (the pom's default {@code shop.services}), so the two
 * are competing consumers on the same quorum queues. RabbitMQ is the only thing they share. In
 * order, because the last test kills A (failure lab 2).
 */
@ExtendWith(RabbitVhost.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {

    /** The shop the DeployedShop classes share would be one more consumer of this class's queues: stopped first. */
    @RegisterExtension
    static final BeforeAllCallback alone = DeployedShop.SHOP.stopFirst();

    private static final Duration WORKFLOW = Duration.ofSeconds(30);
    private static final Pattern DONE = Pattern.compile(" \\[x] Done '");
    private static PayaraProcess instanceA;
    private static PayaraProcess instanceB;
    /** What both "Run it" commands start: the pom's default, which neither command overrides. */
    static final String RUN_IT_SERVICES = "payment,inventory,shipping";
    private static URL a;
    private static URL b;
    private static Map<String, String> common;
    private static Browser browser;

    @BeforeAll
    static void startBothInstances() throws Exception {
        DeployedShop.deleteData();
        int portA = PayaraProcess.freePort();
        int portB = PayaraProcess.freePort();
        a = new URL("http://localhost:" + portA + "/");
        b = new URL("http://localhost:" + portB + "/");
        common = DeployedShop.processSettings(Map.of(
                // Long enough that a workflow is still running when an instance dies.
                "shop.work-ms", "300",
                "shop.instances", "http://localhost:" + portA + ",http://localhost:" + portB));
        instanceA = PayaraProcess.start("instance-a", "orders", portA, with("shop.services", RUN_IT_SERVICES));
        instanceB = PayaraProcess.start("instance-b", "orders", portB, with("shop.services", RUN_IT_SERVICES));
        // The browser starts while both instances boot, not after (a few seconds of the class, on a shared box).
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
        browser = Browser.launch();
        for (PayaraProcess process : List.of(instanceA, instanceB)) {
            DeployedShop.connected(process.awaitReady());
        }
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (browser != null) {
            browser.close();
        }
        DeployedShop.removeShops(instanceA, instanceB);
    }

    @Test
    @Order(1)
    void bothInstancesShareTheWorkAndEachCustomerSeesEveryStepOfTheirOwnOrders() {
        try (Customer alice = Customer.signIn(a, WorkflowIT.unique("alice")).connect(a);
             Customer bob = Customer.signIn(b, WorkflowIT.unique("bob")).connect(b)) {
            // Four orders at once: each service has two consumers with prefetch 1, so a command
            // that arrives while one instance is busy goes to the other.
            List<String> alices = List.of(alice.place("mug", "tok_visa"), alice.place("lamp", "tok_visa"));
            List<String> bobs = List.of(bob.place("lamp", "tok_visa"), bob.place("mug", "tok_visa"));

            for (String order : alices) {
                assertThat(alice.awaitLast(order, WORKFLOW)).containsExactly("placed", "paid", "reserved", "shipped");
            }
            for (String order : bobs) {
                assertThat(bob.awaitLast(order, WORKFLOW)).containsExactly("placed", "paid", "reserved", "shipped");
            }
            assertThat(alice.allProgress()).extracting(f -> f.getString("orderId")).containsOnlyElementsOf(alices);
            assertThat(bob.allProgress()).extracting(f -> f.getString("orderId")).containsOnlyElementsOf(bobs);
            // The README: each terminal shows Done lines, for some of the orders.
            assertThat(instanceA.count(DONE)).as("steps instance A did").isPositive();
            assertThat(instanceB.count(DONE)).as("steps instance B did").isPositive();
        }
    }

    @Test
    @Order(2)
    void aCustomerWhoComesBackOnTheOtherInstanceGetsEveryMissedUpdateInOrderOnce() {
        String name = WorkflowIT.unique("alice");
        try (Customer firstTab = Customer.signIn(a, name).connect(a);
             Customer secondTab = firstTab.anotherTab().connect(b)) {
            String poster = firstTab.place("poster", "tok_visa");
            firstTab.channel().awaitFrame(f -> f.getString("type").equals("progress") && f.getString("stage").equals("backordered"));
            long seen = lastOffset(firstTab);
            firstTab.close(); // the laptop lid closes

            // Meanwhile, in another tab on the other instance: the question is answered and a new order placed.
            secondTab.channel().awaitFrame(f -> f.getString("type").equals("progress") && f.getString("stage").equals("backordered"));
            secondTab.answer(poster, "accept");
            String mug = secondTab.place("mug", "tok_visa");
            secondTab.awaitLast(poster, WORKFLOW);
            secondTab.awaitLast(mug, WORKFLOW);

            // The first tab comes back, on instance B this time, and says where it was.
            firstTab.connect(a, b, seen);

            firstTab.awaitLast(mug, WORKFLOW);
            firstTab.awaitLast(poster, WORKFLOW);
            List<JsonObject> missed = firstTab.allProgress();
            assertThat(missed).extracting(f -> f.getJsonNumber("offset").longValue())
                    .allMatch(offset -> offset > seen).isSorted().doesNotHaveDuplicates();
            assertThat(firstTab.stages(poster)).containsExactly("delay_accepted", "shipped");
            assertThat(firstTab.stages(mug)).containsExactly("placed", "paid", "reserved", "shipped");
        }
    }

    @Test
    @Order(3)
    void bothLogsTogetherShowEveryMarkerOfTheReadmesLogForOnePosterAnsweredAccept() throws Exception {
        try (Customer ada = Customer.signIn(a, WorkflowIT.unique("ada")).connect(a)) {
            String order = ada.place("poster", "tok_visa");
            ada.channel().awaitFrame(f -> f.getString("type").equals("progress") && f.getString("stage").equals("backordered"));
            ada.answer(order, "accept");
            ada.awaitLast(order, WORKFLOW);
            String correlationId = ada.progress(order).get(0).getString("correlationId");

            // The README's block, with its example ids replaced by this order's: every line is in one of the two logs.
            for (String line : ReadmeLog.block("The shop's log (Payara prints more around each line")) {
                String expected = line.replace(ReadmeLog.ORDER, order).replace(ReadmeLog.CORRELATION, correlationId);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(bothLogs())
                        .as("the README's log line " + expected).anyMatch(l -> l.endsWith(expected)));
            }
        }
    }

    @Test
    @Order(4)
    void aPlaceFrameResentOnTheOtherInstanceIsTheSameOrderChargedOnce() throws Exception {
        try (Customer frank = Customer.signIn(a, WorkflowIT.unique("frank")).connect(a)) {
            String orderId = java.util.UUID.randomUUID().toString();
            String correlationId = java.util.UUID.randomUUID().toString();
            frank.channel().send(Customer.placeFrame(orderId, "lamp", "tok_visa", correlationId));
            frank.close(); // A's connection drops before the page heard "accepted"

            frank.connect(a, b, -1); // the page fails over to B and sends the same frame again
            frank.channel().send(Customer.placeFrame(orderId, "lamp", "tok_visa", correlationId));

            assertThat(frank.channel().awaitFrame(f -> f.getString("type").equals("accepted")).getString("orderId"))
                    .isEqualTo(orderId);
            assertThat(frank.awaitLast(orderId, WORKFLOW)).containsExactly("placed", "paid", "reserved", "shipped");
            // And failure lab 3's copy of the charge, as a producer that retried would publish it: the log says so.
            try (ShopBroker broker = ShopBroker.connect()) {
                broker.publish(new Command("charge", orderId, frank.name, "lamp", "tok_visa", correlationId, null));
            }
            await().atMost(WORKFLOW).until(() -> count(Pattern.compile(
                    " \\[=] Already charged order=" + orderId + ": not charging twice$")) > 0);
            assertThat(DeployedShop.lines("payment", "charged.log", orderId)).as("charges").isEqualTo(1);
            assertThat(DeployedShop.read("payment", "charge", orderId)).isEqualTo("49.00");

            // Once B has seen the order, the same id for another order is refused there too.
            frank.channel().send(Customer.placeFrame(orderId, "mug", "tok_visa", java.util.UUID.randomUUID().toString()));
            frank.awaitError("order-id-conflict");
            assertThat(frank.stages(orderId)).containsExactly("placed", "paid", "reserved", "shipped");
        }
    }

    @Test
    @Order(5)
    void messagesNoServiceCanReadAreDeadLetteredAtOnceWithOneLineSayingWhyAndTheConsumersGoOn() throws Exception {
        await().atMost(Duration.ofSeconds(15)).until(() -> ShopBroker.consumers(Step.PAYMENT.queue()) == 2);
        AMQP.BasicProperties plain = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
        String command = new Command("charge", java.util.UUID.randomUUID().toString(), "eve", "mug", "tok_visa",
                "c-12345678", null).toJson();
        try (ShopBroker broker = ShopBroker.connect()) {
            broker.publishRaw(OrderTopology.COMMANDS, "charge", plain, new byte[0]);
            broker.publishRaw(OrderTopology.COMMANDS, "charge", plain, bytes("hello"));
            broker.publishRaw(OrderTopology.COMMANDS, "charge", plain, bytes("{\"command\":\"charge\",\"orderId\":42}"));
            broker.publishRaw(OrderTopology.COMMANDS, "charge",
                    plain.builder().headers(Map.of("JMSType", "MapMessage")).build(), bytes(command));
            broker.publishRaw(OrderTopology.COMMANDS, "charge", plain, bytes("{\"pad\":\"" + "x".repeat(5000) + "\"}"));
            // A stream cannot dead-letter: each instance's progress feed skips what it cannot read.
            broker.publishRaw(OrderTopology.PROGRESS, "", plain, bytes("not an update"));

            try (Customer ivy = Customer.signIn(a, WorkflowIT.unique("ivy")).connect(a)) {
                String order = ivy.place("mug", "tok_visa");
                assertThat(ivy.awaitLast(order, WORKFLOW)).containsExactly("placed", "paid", "reserved", "shipped");
            }

            Map<String, String> reasons = Map.of(
                    "", "no body",
                    "hello", "not a JSON object: \"hello\"",
                    "{\"command\":\"charge\",\"orderId\":42}", "wrong shape: the field 'orderId' is missing or not a string",
                    command, "JMS type MapMessage, but a command is JSON text",
                    "{\"pad\":\"" + "x".repeat(5000) + "\"}", "too big: 5010 bytes, a command has at most 4096");
            await().atMost(WORKFLOW).untilAsserted(() -> assertThat(broker.deadLetters())
                    .filteredOn(d -> d.header(StepService.Outcome.DEAD_LETTER_QUEUE) != null)
                    .allMatch(d -> d.header(StepService.Outcome.DEAD_LETTER_QUEUE).equals(Step.PAYMENT.queue()))
                    .extracting(d -> reasons.get(d.text()) + " = " + d.header(StepService.Outcome.DEAD_LETTER_REASON))
                    .containsExactlyInAnyOrderElementsOf(reasons.values().stream().map(r -> r + " = " + r).toList()));
        }
        for (String why : reasons()) {
            assertThat(count(Pattern.compile(" \\[!] Dead-lettered a message from orders\\.payment to orders\\.dead at once: "
                    + Pattern.quote(why) + "$"))).as(why).isEqualTo(1);
        }
        assertThat(instanceA.count(Pattern.compile(" \\[!] Progress feed skipped offset \\d+ of orders\\.progress, which it cannot read: .*\"not an update\"$"))).isEqualTo(1);
        assertThat(instanceB.count(Pattern.compile(" \\[!] Progress feed skipped offset \\d+ of orders\\.progress, which it cannot read: .*\"not an update\"$"))).isEqualTo(1);
        assertThat(ShopBroker.consumers(Step.PAYMENT.queue())).as("consumers on orders.payment").isEqualTo(2);
        assertThat(services(a).getInt("status")).isEqualTo(200);
        assertThat(deadLetteredByPayment(a) + deadLetteredByPayment(b)).isEqualTo(5);
    }

    @Test
    @Order(6)
    void twoCommandsThatFailEveryTimeAreDeadLetteredAfterTheirAttemptsAndTheNextOrderCompletes() throws Exception {
        try (Customer grace = Customer.signIn(a, WorkflowIT.unique("grace")).connect(a);
             ShopBroker broker = ShopBroker.connect()) {
            List<String> failing = List.of(grace.place("mug", PaymentService.UNAVAILABLE_TOKEN),
                    grace.place("lamp", PaymentService.UNAVAILABLE_TOKEN));
            String good = grace.place("mug", "tok_visa");

            assertThat(grace.awaitLast(good, WORKFLOW)).containsExactly("placed", "paid", "reserved", "shipped");
            await().atMost(WORKFLOW).untilAsserted(() -> assertThat(broker.deadLetters())
                    .filteredOn(d -> failing.stream().anyMatch(id -> d.text().contains(id)))
                    .extracting(d -> d.header("x-first-death-reason")).containsExactly("delivery_limit", "delivery_limit"));
            for (String order : failing) {
                String label = " \\[!] Failed 'charge' order=" + order + " correlation=\\S+ ";
                assertThat(count(Pattern.compile(label + "\\(attempt [123] of 4\\): .*the payment provider is unavailable; "
                        + "rolling back, the broker will redeliver$"))).isEqualTo(3);
                assertThat(count(Pattern.compile(label + "\\(attempt 4 of 4\\): .*the payment provider is unavailable; "
                        + "the broker dead-letters it from orders\\.payment to orders\\.dead$"))).isEqualTo(1);
                assertThat(DeployedShop.lines("payment", "charged.log", order)).isZero();
            }
            assertThat(ShopBroker.consumers(Step.PAYMENT.queue())).as("consumers on orders.payment").isEqualTo(2);
        }
    }

    @Test
    @Order(7)
    void aConsumerTheBrokerCutsOffIsRestartedByItsWatchdogAndTheOrderStillCompletesOnce() throws Exception {
        try (ShopBroker broker = ShopBroker.connect();
             Customer heidi = Customer.signIn(a, WorkflowIT.unique("heidi")).connect(a)) {
            // An operator deletes an exchange the steps publish to: the broker closes the channel that publishes
            // there next, and leaves its connection up. Nothing in JMS says so.
            broker.deleteExchange(OrderTopology.BOARD);
            String order = heidi.place("mug", "tok_visa");

            assertThat(heidi.awaitLast(order, WORKFLOW)).containsExactly("placed", "paid", "reserved", "shipped");
            assertThat(count(Pattern.compile(" \\[!] payment service: the broker closed a channel \\(.*NOT_FOUND.*"
                    + "\\); restarting its consumer on orders\\.payment$"))).isPositive();
            await().atMost(Duration.ofSeconds(15)).until(() -> ShopBroker.consumers(Step.PAYMENT.queue()) == 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> services(a).getInt("status") == 200
                    && services(b).getInt("status") == 200);
            assertThat(restartsOfPayment(a) + restartsOfPayment(b)).isPositive();
            assertThat(DeployedShop.lines("payment", "charged.log", order)).isEqualTo(1);
        }
    }

    @Test
    @Order(8)
    void aPageWhoseConnectionDropsBeforeAcceptedSendsTheSameOrderAgainAndIsChargedOnce() throws Exception {
        BrowserPage page = browser.open("about:blank");
        List<String> placed = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean dropped = new java.util.concurrent.atomic.AtomicBoolean();
        page.page().routeWebSocket(Pattern.compile(".*/orders\\?after=.*"), socket -> {
            WebSocketRoute server = socket.connectToServer();
            socket.onMessage(frame -> {
                if (frame.text().contains("\"place\"")) {
                    placed.add(frame.text());
                }
                server.send(frame.text());
            });
            server.onMessage(frame -> {
                if (frame.text().contains("\"accepted\"") && dropped.compareAndSet(false, true)) {
                    // The connection drops just before the page hears "accepted". (Explicit codes: Playwright's
                    // Java client cannot yet read a close event without one.)
                    socket.close(new WebSocketRoute.CloseOptions().setCode(4000).setReason("dropped by the test"));
                    server.close(new WebSocketRoute.CloseOptions().setCode(1000).setReason("dropped by the test"));
                } else {
                    socket.send(frame.text());
                }
            });
        });
        page.page().navigate(a.toString());
        page.byTestId("name").fill(WorkflowIT.unique("judy"));
        page.byTestId("password").fill(TestCustomers.PASSWORD);
        page.byTestId("sign-in-button").click();
        page.byTestId("item").selectOption("lamp");
        page.byTestId("place").dblclick(); // and a double click, for good measure

        Locator orders = page.byTestId("orders").locator("li[data-testid=order]");
        assertThat(orders.locator("[data-stage=shipped]")).hasCount(1);
        assertThat(orders).hasCount(1);
        assertThat(stepsOf(orders.nth(0))).containsExactly("placed", "paid", "reserved", "shipped");
        String order = orders.nth(0).getAttribute("data-order");
        assertThat(placed).as("the place frames the page sent").hasSize(2)
                .allMatch(f -> Json.parse(f).getString("orderId").equals(order));
        assertThat(DeployedShop.lines("payment", "charged.log", order)).isEqualTo(1);
    }

    // tag::sign-out-everywhere[]
    @Test
    @Order(9)
    void aSignInOrSignOutOnAEndsTheOldSessionsSocketOnBAndBRefusesItsToken() {
        URI channelOnB = URI.create("ws" + Customer.at(b, "orders").toString().substring(4));
        try (Customer laptop = Customer.signIn(a, WorkflowIT.unique("ivan")).connect(a, b, -1)) {
            // A new sign-in on A: the laptop's session, connected to B, ends there.
            Customer phone = Customer.signIn(a, laptop.name).connect(a, b, -1);
            assertThat(laptop.channel().awaitClose(Duration.ofSeconds(10))).isEqualTo(1008);
            assertThat(laptop.channel().closeReason()).isEqualTo("signed out");
            assertThat(RecordingWebSocket.refusedHandshakeStatus(channelOnB, laptop.headers(a))).isEqualTo(403);

            // Signing out on A: the phone's socket on B closes, and B refuses its token.
            assertThat(phone.signOut(a).statusCode()).isEqualTo(204);
            assertThat(phone.channel().awaitClose(Duration.ofSeconds(10))).isEqualTo(1008);
            assertThat(phone.channel().closeReason()).isEqualTo("signed out");
            assertThat(phone.get(b, "api/session").statusCode()).isEqualTo(204);
            assertThat(RecordingWebSocket.refusedHandshakeStatus(channelOnB, phone.headers(a))).isEqualTo(403);
            phone.close();
        }
    }
    // end::sign-out-everywhere[]

    @Test
    @Order(10)
    void aPageOnAShowsSignedOutWhenItsCustomerSignsInOnBAndItsOwnSignOutButtonWorks() {
        BrowserPage page = browser.open(a.toString());
        String name = WorkflowIT.unique("kim");
        page.byTestId("name").fill(name);
        page.byTestId("password").fill(TestCustomers.PASSWORD);
        page.byTestId("sign-in-button").click();
        assertThat(page.byTestId("connection")).hasAttribute("data-instance", a.getAuthority());

        Customer.signIn(b, name).close(); // the same customer, in another browser, on the other instance

        assertThat(page.byTestId("connection")).hasText("signed out");
        assertThat(page.byTestId("sign-in")).isVisible();
        page.byTestId("name").fill(name);
        page.byTestId("password").fill(TestCustomers.PASSWORD);
        page.byTestId("sign-in-button").click();
        // The page reloads once signed in; until then the signed-out page still says it was on A. Signing out
        // before the new page's socket is open would only refuse its handshake: the page would show reconnecting.
        assertThat(page.byTestId("connection")).hasAttribute("data-state", "connected");
        assertThat(page.byTestId("connection")).hasAttribute("data-instance", a.getAuthority());
        page.byTestId("sign-out").click();
        assertThat(page.byTestId("connection")).hasText("signed out");
    }

    @Test
    @Order(11)
    void everyFailureLineTheReadmeShowsIsInTheLogsOfTheTestsAbove() {
        // Run after the poison messages, the failing commands and the cut-off consumer: "…" stands for what varies.
        for (String line : ReadmeLog.block("one line per message, here as the tests' messages cause them:")) {
            String regex = java.util.Arrays.stream(line.split("…", -1)).map(Pattern::quote)
                    .collect(java.util.stream.Collectors.joining(".*")) + "$";
            assertThat(count(Pattern.compile(regex))).as("log lines like the README's " + line).isPositive();
        }
    }

    @Test
    @Order(12)
    void whenInstanceADiesThePageMovesToBAndShowsEveryStepOnce() {
        BrowserPage page = browser.open(a.toString());
        page.byTestId("name").fill(WorkflowIT.unique("erin"));
        page.byTestId("password").fill(TestCustomers.PASSWORD);
        page.byTestId("sign-in-button").click();
        assertThat(page.byTestId("connection")).hasAttribute("data-instance", a.getAuthority());

        page.byTestId("item").selectOption("poster");
        page.byTestId("place").click();
        assertThat(page.byTestId("question")).isVisible();
        page.byTestId("item").selectOption("mug");
        page.byTestId("place").click();
        assertThat(page.byTestId("orders").locator("li[data-testid=order]")).hasCount(2);

        // Mid-workflow: the mug is still on its way through payment, inventory and shipping, and a
        // command A had taken but not acknowledged goes back to its queue, where B's services take it.
        instanceA.kill();

        assertThat(page.byTestId("connection")).hasAttribute("data-instance", b.getAuthority());
        page.byTestId("accept").click();

        Locator orders = page.byTestId("orders").locator("li[data-testid=order]");
        assertThat(orders.locator("[data-stage=shipped]")).hasCount(2);
        assertThat(stepsOf(orders.nth(0))).containsExactly("placed", "paid", "reserved", "shipped");
        assertThat(stepsOf(orders.nth(1))).containsExactly("placed", "paid", "backordered", "delay_accepted", "shipped");
        // The poster was answered after A died: only B's shipping service was left to ship it.
        String poster = orders.nth(1).getAttribute("data-order");
        assertThat(instanceB.count(Pattern.compile(" \\[x] Done 'ship' order=" + poster))).isEqualTo(1);
        page.assertNoProblems(Pattern.compile("WebSocket connection to 'ws://" + a.getAuthority()));
    }

    private static List<String> bothLogs() {
        return Stream.concat(instanceA.lines().stream(), instanceB.lines().stream()).toList();
    }

    /** Lines matching in both instances' logs together: each message went to one instance or the other. */
    private static long count(Pattern pattern) {
        return instanceA.count(pattern) + instanceB.count(pattern);
    }

    private static List<String> reasons() {
        return List.of("no body", "not a JSON object: \"hello\"", "wrong shape: the field 'orderId' is missing or not a string",
                "JMS type MapMessage, but a command is JSON text", "too big: 5010 bytes, a command has at most 4096");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** GET /api/services on an instance: its body, with the HTTP status added as "status". */
    private static JsonObject services(URL instance) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                Customer.at(instance, "api/services")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return jakarta.json.Json.createObjectBuilder(Json.parse(response.body())).add("status", response.statusCode()).build();
    }

    private static int payment(URL instance, String field) throws Exception {
        return services(instance).getJsonArray("services").getValuesAs(JsonObject.class).stream()
                .filter(s -> s.getString("service").equals("payment")).mapToInt(s -> s.getInt(field)).sum();
    }

    private static int deadLetteredByPayment(URL instance) throws Exception {
        return payment(instance, "deadLettered");
    }

    private static int restartsOfPayment(URL instance) throws Exception {
        return payment(instance, "restarts");
    }

    private static List<String> stepsOf(Locator order) {
        return order.locator("[data-testid=step]").all().stream().map(s -> s.getAttribute("data-stage")).toList();
    }

    private static long lastOffset(Customer customer) {
        List<JsonObject> progress = customer.allProgress();
        return progress.get(progress.size() - 1).getJsonNumber("offset").longValue();
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> properties = new HashMap<>(common);
        properties.put(key, value);
        return properties;
    }

    static URL url(String spec) {
        try {
            return new URL(spec);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
