package shop.chat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import course.testkit.Browser;
import course.testkit.BrowserPage;
import java.util.regex.Pattern;

/** The chat page as the exercises' browser tests use it: sign in, join a room, and check the page had no problems. */
final class ChatPages {

    /**
     * On load the page asks GET /api/session "who am I?"; before sign-in the answer is a 401, as designed,
     * but Chromium logs every 4xx response as a console error. That one, and only that one, is expected.
     */
    private static final Pattern SIGNED_OUT_PROBE = Pattern.compile(
            "Failed to load resource: the server responded with a status of 401 \\(Unauthorized\\) \\(http://[^/]+/api/session:.*\\)");

    private ChatPages() {
    }

    static BrowserPage signIn(Browser browser, String url, String name) {
        return signIn(browser, url, name, "");
    }

    /** Signs in through the page's form: a member with a password, a guest with an empty one. */
    static BrowserPage signIn(Browser browser, String url, String name, String password) {
        BrowserPage page = browser.open(url);
        page.byTestId("name").fill(name);
        page.byTestId("password").fill(password);
        page.byTestId("sign-in-button").click();
        expect(page.byTestId("me")).hasText(name);
        expect(page.byTestId("connection")).hasAttribute("data-state", "connected");
        return page;
    }

    static void join(BrowserPage page, String room) {
        page.byTestId("room").fill(room);
        page.byTestId("join").click();
        expect(page.byTestId("current-room")).hasText(room);
        expect(page.byTestId("connection")).hasAttribute("data-state", "connected");
        expect(page.byTestId("online")).containsText(page.byTestId("me").textContent());
    }

    static void say(BrowserPage page, String text) {
        page.byTestId("text").fill(text);
        page.byTestId("send").click();
        expect(page.byTestId("text")).hasValue("");
    }

    static void assertNoProblems(BrowserPage page) {
        page.assertNoProblems(SIGNED_OUT_PROBE);
    }

    static LocatorAssertions expect(Locator locator) {
        return PlaywrightAssertions.assertThat(locator);
    }
}
