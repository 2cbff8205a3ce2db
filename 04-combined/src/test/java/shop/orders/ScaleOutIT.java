package shop.orders;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import course.testkit.Browser;
import course.testkit.BrowserPage;
import course.testkit.PayaraProcess;
import course.testkit.RabbitVhost;
import jakarta.json.JsonObject;
import java.net.MalformedURLException;
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
import org.junit.jupiter.api.extension.ExtendWith;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Run it", as a learner runs it from two terminals: instance A and instance B, each
 * the web tier and all three step services (the pom's default {@code shop.services}), so the two
 * are competing consumers on the same quorum queues. RabbitMQ is the only thing they share. In
 * order, because the last test kills A (failure lab 2).
 */
@ExtendWith(RabbitVhost.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {

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
        common = Map.of(
                "rabbitmq.virtual-host", RabbitVhost.name(),
                "board.provision", "false", // the board has its own test (BoardIT)
                "shop.data-dir", DeployedShop.DATA.toString(),
                "shop.session-secret", System.getProperty("shop.test-secret"),
                // Long enough that a workflow is still running when an instance dies.
                "shop.work-ms", "300",
                "shop.instances", "http://localhost:" + portA + ",http://localhost:" + portB);
        instanceA = PayaraProcess.start("instance-a", "orders", portA, with("shop.services", RUN_IT_SERVICES));
        instanceB = PayaraProcess.start("instance-b", "orders", portB, with("shop.services", RUN_IT_SERVICES));
        for (PayaraProcess process : List.of(instanceA, instanceB)) {
            process.awaitReady();
        }
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
        browser = Browser.launch();
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (browser != null) {
            browser.close();
        }
        Stream.of(instanceA, instanceB).filter(java.util.Objects::nonNull).forEach(PayaraProcess::close);
        try (ShopBroker broker = ShopBroker.connect()) {
            broker.deleteTopology();
        }
        DeployedShop.deleteData();
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
             Customer secondTab = Customer.signIn(b, name).connect(b)) {
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
    void whenInstanceADiesThePageMovesToBAndShowsEveryStepOnce() {
        BrowserPage page = browser.open(a.toString());
        page.byTestId("name").fill(WorkflowIT.unique("erin"));
        page.byTestId("sign-in-button").click();
        assertThat(page.byTestId("connection")).hasAttribute("data-instance", a.getAuthority());

        page.byTestId("item").selectOption("poster");
        page.byTestId("place").click();
        assertThat(page.byTestId("question")).isVisible();
        page.byTestId("item").selectOption("mug");
        page.byTestId("place").click();
        assertThat(page.byTestId("orders").locator("li[data-testid=order]")).hasCount(2);

        // Mid-workflow: the mug is still on its way through payment, inventory and shipping, and a
        // command A had taken but not committed goes back to its queue, where B's services take it.
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
