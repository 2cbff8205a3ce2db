package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Locator;
import course.testkit.Browser;
import course.testkit.BrowserPage;
import course.testkit.LabScript;
import course.testkit.RabbitVhost;
import java.net.http.HttpResponse;
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

    // tag::cross-origin-browser-test[]
    /**
     * A page on another site (a server of the test's own on 127.0.0.1: another host, so another origin) tries what
     * such a page created subscriptions and order events with before: fetch in no-cors mode with a blob, sendBeacon,
     * and a text/plain form whose body is valid JSON. The server answers each with 403, and nothing changes.
     */
    @Test
    void aPageOnAnotherOriginCanNeitherSubscribeNorPublishThroughAVisitorsBrowser() throws Exception {
        RoutingApi api = api();
        String fetched = RoutingApi.newId("CSRF");
        String beaconed = RoutingApi.newId("CSRF");
        String target = base.toString().endsWith("/") ? base.toString() : base + "/";
        assertThat(target).as("the test server's URL names localhost").contains("://localhost:");
        try (Browser browser = Browser.launch()) {
            // Another site's page: this module's own would stop these requests by its Content-Security-Policy.
            BrowserPage page = browser.openOnAnotherSite();
            List<String> answers = page.recordWritesTo(target);
            page.page().evaluate("""
                    async ([target, fetched, beaconed]) => {
                      const order = id => new Blob([JSON.stringify({key: 'order.eu.paid', orderId: id, amount: 1})]);
                      await fetch(target + 'api/subscriptions', {method: 'POST', mode: 'no-cors',
                          body: new Blob([JSON.stringify({name: 'csrf-fetch', pattern: '#'})])});
                      await fetch(target + 'api/orders/events', {method: 'POST', mode: 'no-cors', body: order(fetched)});
                      navigator.sendBeacon(target + 'api/subscriptions', new Blob([JSON.stringify({name: 'csrf-beacon', pattern: '#'})]));
                      navigator.sendBeacon(target + 'api/orders/events', order(beaconed));
                      // A text/plain form sends "name=value": split so that the body is valid JSON.
                      const sink = document.createElement('iframe');
                      sink.name = 'sink';
                      document.body.append(sink);
                      const form = document.createElement('form');
                      Object.assign(form, {method: 'POST', action: target + 'api/subscriptions', enctype: 'text/plain', target: 'sink'});
                      const field = document.createElement('input');
                      Object.assign(field, {name: '{"name":"csrf-form","pattern":"#","selector":"amount ', value: ' 1"}'});
                      form.append(field);
                      document.body.append(form);
                      form.submit();
                    }""", List.of(target, fetched, beaconed));
            await().atMost(Duration.ofSeconds(10)).pollInSameThread().untilAsserted(() -> {
                page.page().evaluate("0"); // Playwright hands its events to this thread only while it makes a call
                assertThat(answers).containsExactlyInAnyOrder("POST api/subscriptions 403", "POST api/orders/events 403",
                        "POST api/subscriptions 403", "POST api/orders/events 403", "POST api/subscriptions 403");
            });
        }
        assertThat(api.services()).extracting(s -> s.getString("subscription")).noneMatch(s -> s.startsWith("csrf"));
        Barrier.awaitEverySubscriptionPassed(api);
        assertThat(api.deliveries()).noneMatch(d -> d.getString("id").equals(fetched) || d.getString("id").equals(beaconed));
    }
    // end::cross-origin-browser-test[]

    /** The page and the API answer with the browser security headers (SecurityHeaders, the same file as 01's). */
    @Test
    void everyAnswerCarriesAStrictContentSecurityPolicyAndTheOtherSecurityHeaders() {
        for (HttpResponse<String> answer : List.of(api().get(""), api().get("api/services"), api().get("api/no-such-thing"))) {
            assertThat(answer.headers().firstValue("Content-Security-Policy")).as(answer.uri().toString())
                    .hasValueSatisfying(csp -> assertThat(csp)
                            .contains("default-src 'self'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                            .doesNotContain("unsafe-inline", "unsafe-eval"));
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(answer.uri().toString()).hasValue("nosniff");
            assertThat(answer.headers().firstValue("Referrer-Policy")).as(answer.uri().toString()).hasValue("no-referrer");
        }
    }

    private static String cell(Locator row, List<String> columns, String service) {
        return row.locator("td").nth(columns.indexOf(service)).textContent();
    }
}
