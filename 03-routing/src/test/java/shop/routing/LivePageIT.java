package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Locator;
import course.testkit.Browser;
import course.testkit.BrowserPage;
import course.testkit.LabScript;
import course.testkit.RabbitVhost;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The live page in a real Chromium: a published event appears as one row, with a ✓ under each service that got it,
 * and a ✗ under each service that set a message aside.
 */
class LivePageIT extends DeployedRouting {

    @Test
    void thePageShowsLiveWhichServiceGotWhichMessageAndExplainsABadKey() {
        try (Browser browser = Browser.launch()) {
            BrowserPage page = browser.open(base.toString());
            await().atMost(Duration.ofSeconds(10)).pollInSameThread()
                    .until(() -> page.page().locator("[data-testid=routing] thead th").count() > 2);
            List<String> columns = page.page().locator("[data-testid=routing] thead th").allTextContents();

            page.byTestId("key").fill("order.us.paid");
            page.byTestId("amount").fill("1500");
            page.byTestId("send").click();

            Locator row = page.page().locator("[data-testid=routing] tbody tr[data-key='order.us.paid']").first();
            await().atMost(Duration.ofSeconds(10)).pollInSameThread().until(() -> row.count() == 1
                    && cell(row, columns, "audit").equals("✓") && cell(row, columns, "warehouse").equals("✓"));
            assertThat(cell(row, columns, "billing")).isEqualTo("✓");
            assertThat(cell(row, columns, "shipping")).isEqualTo("✓");
            assertThat(cell(row, columns, "fraud-review")).isEqualTo("✓");
            assertThat(cell(row, columns, "eu-analytics")).isEmpty();

            page.byTestId("key").fill("order.*.paid");
            page.byTestId("send").click();
            await().atMost(Duration.ofSeconds(10)).pollInSameThread()
                    .until(() -> page.byTestId("error").textContent().contains("those are binding patterns for subscribers"));

            // A message the services cannot read (failure lab 3): ✗ where it was set aside, the reason on hover,
            // and the valid order behind it served as usual.
            String order = RoutingApi.newId("A");
            LabScript.of("labs/publish-unreadable-order.sh").fromCourseFolder()
                    .run(Map.of("RABBITMQ_VIRTUAL_HOST", RabbitVhost.name()), Duration.ofSeconds(30),
                            String.valueOf(base.getPort()), order)
                    .assertSucceeded();
            Locator setAside = page.page().locator("[data-testid=routing] tbody tr[data-id='?'][data-key='order.eu.paid']").first();
            Locator served = page.page().locator("[data-testid=routing] tbody tr[data-id='" + order + "']").first();
            await().atMost(Duration.ofSeconds(10)).pollInSameThread().until(() -> setAside.count() == 1 && served.count() == 1
                    && cell(setAside, columns, "audit").equals("✗") && cell(served, columns, "audit").equals("✓"));
            assertThat(setAside.locator("td").nth(columns.indexOf("audit")).getAttribute("title"))
                    .startsWith(" [!] audit dead-lettered 'order.eu.paid' from shop.orders.audit to shop.orders.dead-letters: ");

            // Chromium logs every 4xx answer to fetch() as a console error: this one is the refusal above.
            page.assertNoProblems(Pattern.compile(".*status of 400.*"));
        }
    }

    private static String cell(Locator row, List<String> columns, String service) {
        return row.locator("td").nth(columns.indexOf(service)).textContent();
    }
}
