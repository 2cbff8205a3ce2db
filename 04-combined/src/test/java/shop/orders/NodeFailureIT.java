package shop.orders;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import course.testkit.Browser;
import course.testkit.BrowserPage;
import course.testkit.EffectGaps;
import course.testkit.Pacer;
import course.testkit.PayaraProcess;
import course.testkit.PrivateBroker;
import course.testkit.PrivateCluster;
import jakarta.json.JsonObject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Failure lab 5: a broker node dies under the live workflow. The two instances of Run it, on a three-node RabbitMQ
 * cluster private to the test (testkit's PrivateCluster, so the shared broker stays up), each given every node's
 * address (rabbitmq.addresses). Customers place 50 orders a second over their order channels, half of them on each
 * instance, and a browser page is open, when the node that leads the progress stream dies (SIGKILL). The operator
 * declared the topology on the first node, so that node leads every step queue too.
 *
 * <p>It found the step services' first design, one transaction for the acknowledgement and the publishes, losing a
 * command on RabbitMQ 3.10 (measured/NodeFailureIT.md); they now acknowledge once the broker confirms (StepService).
 */
// Beside the module's other classes: its cluster, instances and data are its own, and it mostly waits for nodes and
// instances to start and a node to fail over. The experiments wait for it (the lock): they measure a quiet machine.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(NodeFailureIT.BUSY_MACHINE)
class NodeFailureIT {

    /** Held while the lab's three nodes and two instances run; an experiment takes it to measure without them. */
    static final String BUSY_MACHINE = "NodeFailureIT: three broker nodes and two instances";

    /** Orders offered a second; {@code -Dnode-failure.rate} for a machine too busy to hold 50. */
    private static final int RATE = Integer.getInteger("node-failure.rate", 50);
    /** Customers placing them: an order channel takes at most 10 frames a second, and each gets 2.5 orders a second. */
    private static final int CUSTOMERS = 20;
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration BEFORE_KILL = Duration.ofSeconds(4);
    private static final Duration AFTER_KILL = Duration.ofSeconds(8);
    private static final Duration WORKFLOW = Duration.ofSeconds(60);
    private static final String STREAM = OrderTopology.PROGRESS_STREAM;
    private static final Path DATA = Path.of(System.getProperty("shop.test-data") + "-node-failure");

    private static PrivateCluster cluster;
    private static PayaraProcess instanceA;
    private static PayaraProcess instanceB;
    private static URL a;
    private static URL b;
    private static Browser browser;
    private static final List<Customer> customers = new ArrayList<>();

    @BeforeAll
    static void startClusterAndBothInstances() throws Exception {
        PrivateBroker.requireScripts(PrivateBroker.scripts()); // without them, skipped before any boot
        DeployedShop.deleteDataIn(DATA);
        // The instances boot (12 s and more) while the nodes start: they are built to start with the broker down, and
        // connect once it is up.
        List<Integer> ports = PrivateCluster.freePorts();
        int portA = PayaraProcess.freePort();
        int portB = PayaraProcess.freePort();
        a = ScaleOutIT.url("http://localhost:" + portA + "/");
        b = ScaleOutIT.url("http://localhost:" + portB + "/");
        Map<String, String> settings = settings(PrivateCluster.addresses(ports), portA, portB);
        instanceA = PayaraProcess.start("node-failure-a", "orders", portA, settings);
        instanceB = PayaraProcess.start("node-failure-b", "orders", portB, settings);
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
        browser = Browser.launch();
        cluster = PrivateCluster.start("course-orders-" + ProcessHandle.current().pid(), ports);
        // What an operator does once, as for TlsIT's node: the roles' users, then the topology, on the first node.
        // Users are the cluster's, and each queue and the stream get a replica on every node.
        TlsIT.operatorSetsUp(cluster.nodes().get(0), ports.get(0));
        for (PayaraProcess instance : List.of(instanceA, instanceB)) {
            DeployedShop.connected(instance.awaitReady().awaitLog(Pattern.compile("shipping service waiting for commands"))
                    .awaitLog(Pattern.compile("Progress feed reading")));
        }
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            customers.forEach(Customer::close);
            if (browser != null) {
                browser.close();
            }
            Stream.of(instanceA, instanceB).filter(java.util.Objects::nonNull).forEach(PayaraProcess::close);
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            DeployedShop.deleteDataIn(DATA);
        }
    }

    // tag::node-dies[]
    @Test
    void aNodeDiesUnderTheLiveWorkflowAndEveryOrderIsShippedAndPushedOnceInOrderWithoutAReload() throws Exception {
        for (int i = 0; i < CUSTOMERS; i++) {
            URL instance = i % 2 == 0 ? a : b;
            customers.add(Customer.signIn(instance, WorkflowIT.unique("node-failure")).connect(instance));
        }
        BrowserPage page = browser.open(a.toString());
        page.byTestId("name").fill(WorkflowIT.unique("watcher"));
        page.byTestId("password").fill(TestCustomers.PASSWORD);
        page.byTestId("sign-in-button").click();
        assertThat(page.byTestId("connection")).hasAttribute("data-state", "connected");
        page.page().evaluate("window.labMark = 'this page was never reloaded'"); // a reload would forget it
        PrivateBroker leader = cluster.leaderOf("/", STREAM);

        Offered warmUp = offerAndRetry(RATE, WARM_UP, Duration.ZERO, () -> { });
        // The page's order goes in just before the kill: its commands are on their way when the node dies.
        Offered offered = offerAndRetry(RATE, BEFORE_KILL.plus(AFTER_KILL), BEFORE_KILL, () -> {
            page.byTestId("item").selectOption("mug");
            page.byTestId("place").click();
            cluster.kill(leader);
        });

        // Every accepted order shipped, each customer got each of its stages once and in order, each order charged once.
        Map<String, Customer> orders = new LinkedHashMap<>(warmUp.accepted());
        orders.putAll(offered.accepted());
        List<String> path = List.of("placed", "paid", "reserved", "shipped");
        orders.forEach((order, customer) ->
                assertThat(customer.awaitLast(order, WORKFLOW)).as("the stages of " + order).containsExactlyElementsOf(path));
        for (Customer customer : customers) {
            assertThat(customer.allProgress()).extracting(f -> f.getJsonNumber("offset").longValue())
                    .as(customer.name + "'s updates, in stream order, none twice").isSorted().doesNotHaveDuplicates();
            assertThat(customer.channel().isClosed()).as(customer.name + "'s channel closed").isFalse();
        }
        for (String order : orders.keySet()) {
            assertThat(DeployedShop.linesIn(DATA, "payment", "charged.log", order)).as("charges of " + order).isEqualTo(1);
        }

        // The page: its order shipped, each step shown once and in order, on the socket it opened, and never reloaded.
        Locator shown = page.byTestId("orders").locator("li[data-testid=order]");
        assertThat(shown.locator("[data-stage=shipped]")).hasCount(1);
        assertThat(shown.nth(0).locator("[data-testid=step]").all()).extracting(s -> s.getAttribute("data-stage"))
                .containsExactlyElementsOf(path);
        assertThat(page.byTestId("connection")).hasAttribute("data-instance", a.getAuthority());
        assertThat(page.page().evaluate("window.labMark")).isEqualTo("this page was never reloaded");

        // No consumer silenced: every service and progress feed on both instances is consuming again.
        await("both instances' consumers back").atMost(30, SECONDS).until(() -> servicesStatus(a) == 200 && servicesStatus(b) == 200);

        long longestGapMs = EffectGaps.longestGapMs(DATA.resolve("shipping"),
                f -> orders.containsKey(f.getFileName().toString().replaceFirst("^shipment-", "")));
        System.out.printf("| node failure: %d orders at %d/s from %d customers on 2 instances (%d s of them a warm-up), "
                + "%s (leader of %s and of every step queue) killed %d s into the lab: %d answered broker-unavailable "
                + "and were sent again until accepted, %d orders shipped and charged once, each stage pushed once and in "
                + "order; the page's order shipped without a reload; longest gap between two shipments %d ms (the "
                + "failover time)%n", warmUp.sent() + offered.sent(), RATE, CUSTOMERS, WARM_UP.toSeconds(),
                leader.nodeName(), STREAM, BEFORE_KILL.toSeconds(), warmUp.refused() + offered.refused(), orders.size(),
                longestGapMs);
        assertThat(longestGapMs).as("the cluster fails over within seconds").isLessThan(30_000);
    }
    // end::node-dies[]

    /** What {@link #offerAndRetry} offered: orders sent, how many were refused at first, and who placed each accepted one. */
    private record Offered(int sent, int refused, Map<String, Customer> accepted) {
    }

    /**
     * Places {@code rate} orders a second for {@code duration}, round the customers, runs {@code event} once
     * {@code eventAfter} has passed, and checks that every place frame is answered accepted or broker-unavailable
     * (never anything else); each refused order is sent again, with its id, until it is accepted, as a customer
     * clicks again. An order refused may still have reached the broker: its second placement is then the same order.
     */
    private static Offered offerAndRetry(int rate, Duration duration, Duration eventAfter, Runnable event) {
        Map<String, Placement> placements = new LinkedHashMap<>(); // order id -> its latest place frame
        Pacer pacer = Pacer.fixedRate(rate);
        long start = System.nanoTime();
        boolean happened = false;
        while (System.nanoTime() - start < duration.toNanos()) {
            pacer.awaitNext();
            if (!happened && System.nanoTime() - start >= eventAfter.toNanos()) {
                event.run();
                happened = true;
            }
            Placement placement = Placement.send(customers.get(placements.size() % customers.size()), UUID.randomUUID().toString());
            placements.put(placement.orderId(), placement);
        }
        int refused = 0;
        for (Map.Entry<String, Placement> entry : placements.entrySet()) {
            Placement placement = entry.getValue();
            for (int attempt = 1; !placement.awaitAnswer().equals("accepted"); attempt++) {
                refused += attempt == 1 ? 1 : 0;
                assertThat(attempt).as("attempts to place " + placement.orderId()).isLessThan(30);
                placement = Placement.send(placement.customer(), placement.orderId());
                entry.setValue(placement);
            }
        }
        Map<String, Customer> accepted = new LinkedHashMap<>();
        placements.forEach((order, placement) -> accepted.put(order, placement.customer()));
        return new Offered(placements.size(), refused, accepted);
    }

    /** One place frame a customer sent: a mug paid with the test card, under a correlation id of its own. */
    private record Placement(Customer customer, String orderId, String correlationId) {

        static Placement send(Customer customer, String orderId) {
            String correlationId = UUID.randomUUID().toString();
            customer.channel().send(Customer.placeFrame(orderId, "mug", "tok_visa", correlationId));
            return new Placement(customer, orderId, correlationId);
        }

        /** accepted, or the error's code; fails the test for any other error than broker-unavailable. */
        String awaitAnswer() {
            JsonObject answer = customer.channel().awaitFrame(f -> correlationId.equals(f.getString("correlationId", null))
                    && Stream.of("accepted", "error").anyMatch(f.getString("type")::equals));
            if (answer.getString("type").equals("accepted")) {
                return "accepted";
            }
            assertThat(answer.getString("code")).as("the error for " + orderId + ": " + answer).isEqualTo("broker-unavailable");
            return answer.getString("code");
        }
    }

    /** GET /api/services: 200 while every consumer of the instance consumes, 503 while one does not. */
    private static int servicesStatus(URL instance) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(Customer.at(instance, "api/services")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * Run it's settings, on the cluster: every node's address, the vhost "/", no provisioning (the operator did it, and
     * the private nodes have no management API), no board (no Web-STOMP here), and this lab's own stores and customers.
     * One second between attempts to reach the cluster at most, not up to 10 s: the instances boot while the nodes
     * start, and the failover it measures is the same (after the kill each attempt tries every node's address).
     */
    private static Map<String, String> settings(String addresses, int portA, int portB) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "rabbitmq.addresses", addresses,
                "rabbitmq.virtual-host", "/",
                "rabbitmq.provision", "false",
                "board.provision", "false",
                "shop.data-dir", DATA.toString(),
                "shop.work-ms", "50",
                "shop.reconnect-max-ms", "1000",
                "shop.session-secret", System.getProperty("shop.test-secret"),
                "shop.instances", "http://localhost:" + portA + ",http://localhost:" + portB));
        settings.putAll(TestCustomers.serverProperties());
        return settings;
    }
}
