package shop.tasks;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.assertions.PlaywrightAssertions;
import course.testkit.BrowserPage;
import course.testkit.ClassBrowser;
import course.testkit.PayaraProcess;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live dashboard in a real Chromium: tasks submitted on the page, a worker's progress pushed back
 * over the WebSocket. In order: the queue is empty at first (another site's page could not fill it), and the worker
 * started for the live test stays for the poison task. The page shows the producer's totals since it started, and the
 * producer is the one the black-box classes share: each test reads the totals as it finds them and expects them to grow
 * by exactly what it adds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT extends DeployedProducer {

    @RegisterExtension
    static final ClassBrowser browser = new ClassBrowser(20_000);
    private static PayaraProcess worker;

    @AfterAll
    static void closeWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    @Order(2)
    void theDashboardShowsTasksWaitingThenAWorkerDoingThemLive() {
        JsonObject before = dashboard();
        BrowserPage page = browser.open(base.toString());
        assertThat(page.byTestId("connection")).hasAttribute("data-state", "connected");
        assertThat(page.byTestId("broker")).hasText("up");
        assertThat(page.byTestId("no-workers")).isVisible();

        // No worker yet: three tasks wait in the queue, and the page says so.
        page.byTestId("type").selectOption("report");
        for (int i = 0; i < 3; i++) {
            page.byTestId("submit").click();
        }
        assertThat(page.byTestId("my-tasks").locator("li")).hasCount(3);
        assertThat(page.byTestId("queued")).hasText("3");
        assertThat(page.byTestId("my-tasks").locator("li[data-status=QUEUED]")).hasCount(3);

        // A worker starts: it appears on the dashboard, holds one report at a time (prefetch 1), and drains the queue.
        // One consumer (the default is 4), so that it visibly holds one report at a time.
        worker = startWorker("dashboard-worker", Map.of("tasks.work-ms.report", "1500", "tasks.worker.concurrency", "1"));
        // Booting takes 12-20 s on a quiet machine and over a minute on a busy one: wait for it here,
        // so that the page's 20 s timeouts below measure the dashboard, not the boot.
        worker.awaitLog(Pattern.compile(" \\[\\*] dashboard-worker waiting for tasks"));
        assertThat(page.byTestId("workers").locator("tr[data-worker=dashboard-worker]")).isVisible();
        assertThat(page.byTestId("no-workers")).isHidden();
        assertThat(page.byTestId("workers").locator("tr[data-worker=dashboard-worker] td").nth(4))
                .hasText(Pattern.compile("^report #[0-9a-f]{8}$"));
        assertThat(page.byTestId("consumers")).hasText("1");
        assertThat(page.byTestId("my-tasks").locator("li[data-status=DONE]")).hasCount(3);
        assertThat(page.byTestId("queued")).hasText("0");
        assertThat(page.byTestId("done")).hasText(plus(before, "done", 3));
        // The rate counts done tasks over the last whole seconds: it moves off 0.0 once they are counted.
        assertThat(page.byTestId("throughput")).hasText(Pattern.compile("^(?!0\\.0$)\\d+\\.\\d$"));
        assertThat(page.byTestId("failed")).hasText(plus(before, "failedAttempts", 0));
        // The worker's consumer, as its heartbeat reports it (see README, Poison messages).
        assertThat(page.byTestId("workers").locator("tr[data-worker=dashboard-worker]"))
                .hasAttribute("data-consumer", "live");

        page.assertNoProblems();
        assertThat(page.webSocketUrls()).singleElement().asString().endsWith("/dashboard");
    }

    @Test
    @Order(3)
    void aPoisonTaskShowsUpAsDeadLetteredAndInTasksDead() {
        JsonObject before = dashboard();
        BrowserPage page = browser.open(base.toString());
        page.byTestId("type").selectOption("email");
        page.byTestId("fail-attempts").fill("99");
        page.byTestId("submit").click();

        assertThat(page.byTestId("my-tasks").locator("li").first()).hasAttribute("data-status", "DEAD_LETTERED",
                new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions().setTimeout(90_000));
        assertThat(page.byTestId("dead-lettered")).hasText(plus(before, "deadLettered", 1));
        // Each of its four attempts failed, and the dashboard counted each one.
        assertThat(page.byTestId("failed")).hasText(plus(before, "failedAttempts", 4));
        assertThat(page.byTestId("dead-letter-queue")).hasText("1");

        page.assertNoProblems();
    }

    /** The dashboard's snapshot, as the page gets it pushed: the producer's totals since it started. */
    private JsonObject dashboard() {
        return TaskApi.json(api().get("/api/dashboard"));
    }

    /** A total as the page shows it once {@code added} more were counted. */
    private static String plus(JsonObject before, String total, long added) {
        return String.valueOf(before.getJsonNumber(total).longValue() + added);
    }

    // tag::cross-origin-browser-test[]
    /**
     * A page on another site (a server of the test's own on 127.0.0.1: another host, so another origin) tries what
     * such a page queued tasks with before: fetch in no-cors mode with a blob, sendBeacon, and a text/plain form whose
     * body is valid JSON. The producer answers each with 403, and nothing is queued.
     */
    @Test
    @Order(0)
    void aPageOnAnotherOriginCannotQueueATaskThroughAVisitorsBrowser() throws Exception {
        String target = base.toString().endsWith("/") ? base.toString() : base + "/";
        assertThat(target).as("the test server's URL names localhost").contains("://localhost:");
        long accepted = dashboard().getJsonNumber("accepted").longValue();
        // Another site's page: the producer's own would stop these requests by its Content-Security-Policy.
        BrowserPage page = browser.openOnAnotherSite();
        List<String> answers = page.recordWritesTo(target);
        page.page().evaluate("""
                async target => {
                  const task = id => new Blob([JSON.stringify({type: 'report', orderId: id})]);
                  await fetch(target + 'api/tasks', {method: 'POST', mode: 'no-cors', body: task('CSRF-fetch')});
                  navigator.sendBeacon(target + 'api/tasks', task('CSRF-beacon'));
                  // A text/plain form sends "name=value": split so that the body is a valid task.
                  const sink = document.createElement('iframe');
                  sink.name = 'sink';
                  document.body.append(sink);
                  const form = document.createElement('form');
                  Object.assign(form, {method: 'POST', action: target + 'api/tasks', enctype: 'text/plain', target: 'sink'});
                  const field = document.createElement('input');
                  Object.assign(field, {name: '{"type":"email","orderId":"CSRF-form","to":"ada@example.', value: 'com"}'});
                  form.append(field);
                  document.body.append(form);
                  form.submit();
                }""", target);
        await().atMost(Duration.ofSeconds(10)).pollInSameThread().untilAsserted(() -> {
            page.page().evaluate("0"); // Playwright hands its events to this thread only while it makes a call
            assertThat(answers).containsExactly("POST api/tasks 403", "POST api/tasks 403", "POST api/tasks 403");
        });
        try (TestBroker broker = TestBroker.connect()) {
            assertThat(broker.ready(TaskTopology.QUEUE)).isZero();
        }
        assertThat(dashboard().getJsonNumber("accepted").longValue()).as("tasks accepted meanwhile").isEqualTo(accepted);
    }
    // end::cross-origin-browser-test[]

    @Test
    @Order(1)
    void aRefusedTaskIsExplainedOnThePage() {
        BrowserPage page = browser.open(base.toString());
        page.byTestId("type").selectOption("email");
        page.byTestId("to").fill("not-an-address");
        page.byTestId("submit").click();

        assertThat(page.byTestId("error")).containsText("\"to\" must be an e-mail address");
        assertThat(page.byTestId("error")).containsText("Nothing was queued");
        // Chromium logs every 4xx response as a console error; this 400 is the expected answer.
        page.assertNoProblems(Pattern.compile("Failed to load resource: the server responded with a status of 400.*"));
    }
}
