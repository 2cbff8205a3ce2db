package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import course.testkit.BrowserPage;
import course.testkit.ClassBrowser;
import course.testkit.PayaraProcess;
import course.testkit.TcpProxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The chat as people use it: the real page in a real Chromium, signing in, chatting, and surviving a dropped connection. */
class ChatBrowserIT extends DeployedChat {

    private static final String IMG_PAYLOAD = "<img src=x onerror=\"window.__pwned=1\">";
    private static final String SCRIPT_PAYLOAD = "<script>window.__pwned=2</script>";
    /**
     * On load the page asks GET /api/session "who am I?"; before sign-in the answer is a 401, as designed,
     * but Chromium logs every 4xx response as a console error. That one, and only that one, is expected.
     */
    private static final Pattern SIGNED_OUT_PROBE = Pattern.compile(
            "Failed to load resource: the server responded with a status of 401 \\(Unauthorized\\) \\(http://[^/]+/api/session:.*\\)");

    /** Generous but bounded assertion timeouts: other builds share this machine's two cores. */
    @RegisterExtension
    static final ClassBrowser browser = new ClassBrowser(15_000);

    @Test
    void twoPeopleSignInOnThePageAndSeeEachOthersMessagesAndWhoIsOnline() {
        BrowserPage alice = signIn(base.toString(), "alice");
        expect(alice.byTestId("current-room")).hasText("support"); // the default room
        join(alice, "browser-chat");
        BrowserPage bob = signIn(base.toString(), "bob");
        join(bob, "browser-chat");
        expect(alice.byTestId("online").locator("li")).hasText(new String[] {"alice", "bob"});
        expect(bob.byTestId("online").locator("li")).hasText(new String[] {"alice", "bob"});
        expect(alice.byTestId("online-count")).hasText("2");

        say(alice, "hello, bob");
        expect(bob.byTestId("message-text")).hasText(new String[] {"hello, bob"});
        say(bob, "hi, alice");

        for (BrowserPage page : List.of(alice, bob)) {
            expect(page.byTestId("message-text")).hasText(new String[] {"hello, bob", "hi, alice"});
            assertThat(senders(page)).containsExactly("alice", "bob");
            assertThat(ids(page)).doesNotHaveDuplicates().isSorted();
        }
        assertThat(ids(alice)).isEqualTo(ids(bob));
        assertNoProblems(alice);
        assertNoProblems(bob);
    }

    @Test
    void signingOutShowsTheFormAgainAndTellsTheRoomYouLeft() {
        BrowserPage carol = signIn(base.toString(), "carol");
        join(carol, "sign-out");
        BrowserPage dave = signIn(base.toString(), "dave");
        join(dave, "sign-out");
        expect(dave.byTestId("online").locator("li")).hasText(new String[] {"carol", "dave"});

        carol.byTestId("sign-out").click();

        expect(carol.byTestId("sign-in")).isVisible();
        expect(carol.byTestId("chat")).isHidden();
        expect(dave.byTestId("online").locator("li")).hasText(new String[] {"dave"});
        expect(dave.byTestId("online-count")).hasText("1");
        assertThat(carol.page().context().request().get(base + "api/session").status()).isEqualTo(401);

        carol.page().reload(); // the session is gone on the server too, not just on the page
        expect(carol.byTestId("sign-in")).isVisible();
        assertNoProblems(carol);
        assertNoProblems(dave);
    }

    @Test
    void thePageKeepsWhoIsOnlineSortedAndCountedFromEachJoinAndLeave() {
        // in this order, so dave's name goes between the two already shown
        List<BrowserPage> pages = Stream.of("carol", "erin", "dave").map(name -> {
            BrowserPage page = signIn(base.toString(), name);
            join(page, "comings");
            return page;
        }).toList();
        BrowserPage carol = pages.get(0);
        BrowserPage erin = pages.get(1);
        BrowserPage dave = pages.get(2);

        // carol's page got the whole list once, on joining; erin and dave came as one name each
        expect(carol.byTestId("online").locator("li")).hasText(new String[] {"carol", "dave", "erin"});
        expect(carol.byTestId("online-count")).hasText("3");
        expect(dave.byTestId("online").locator("li")).hasText(new String[] {"carol", "dave", "erin"});

        dave.byTestId("sign-out").click();

        expect(carol.byTestId("online").locator("li")).hasText(new String[] {"carol", "erin"});
        expect(carol.byTestId("online-count")).hasText("2");
        assertNoProblems(carol);
        assertNoProblems(erin);
    }

    @Test
    void markupInAMessageIsShownAsTextAndNeverRuns() {
        BrowserPage alice = signIn(base.toString(), "alice");
        join(alice, "xss");
        BrowserPage bob = signIn(base.toString(), "bob");
        join(bob, "xss");
        expect(alice.byTestId("online").locator("li")).hasText(new String[] {"alice", "bob"});

        say(alice, IMG_PAYLOAD);
        say(alice, SCRIPT_PAYLOAD);

        for (BrowserPage page : List.of(alice, bob)) {
            expect(page.byTestId("message-text")).hasText(new String[] {IMG_PAYLOAD, SCRIPT_PAYLOAD});
            assertThat(page.byTestId("messages").locator("img, script").count()).isZero();
            assertThat(page.page().evaluate("() => typeof window.__pwned")).isEqualTo("undefined");
            assertNoProblems(page); // a blocked inline script would be a CSP console error
        }
    }

    @Test
    void whenTheServerRefusesAMessageThePageSaysWhy() {
        BrowserPage erin = signIn(base.toString(), "erin");
        join(erin, "flood");

        // The flood limit is 20 messages per 10 s per session; the 21st is dropped with an error event.
        IntStream.rangeClosed(1, 21).forEach(i -> say(erin, "message #" + i));

        expect(erin.byTestId("error")).isVisible();
        expect(erin.byTestId("error")).hasAttribute("data-code", "rate-limited");
        expect(erin.byTestId("error")).hasText(Pattern.compile("^rate-limited: Slow down: .+"));
        expect(erin.byTestId("message")).hasCount(20);
        expect(erin.byTestId("connection")).hasAttribute("data-state", "connected"); // refused, not disconnected
        assertNoProblems(erin);
    }

    @Test
    void afterTheConnectionDropsThePageReconnectsByItselfAndShowsEveryMessageExactlyOnce() {
        try (TcpProxy network = TcpProxy.to(base.getHost(), base.getPort())) {
            // Alice's page comes through the proxy: cutting it is her network failing, not the server.
            BrowserPage alice = signIn("http://" + base.getHost() + ":" + network.port() + "/", "alice");
            join(alice, "reconnect");
            BrowserPage bob = signIn(base.toString(), "bob");
            join(bob, "reconnect");
            expect(alice.byTestId("online").locator("li")).hasText(new String[] {"alice", "bob"});
            say(bob, "before the drop");
            expect(alice.byTestId("message-text")).hasText(new String[] {"before the drop"});
            long lastIdBeforeTheDrop = ids(alice).getLast();

            network.refuseNewConnections(true);
            network.severAll();

            expect(alice.byTestId("connection")).hasText(Pattern.compile("reconnecting in \\d+ s…"));
            expect(bob.byTestId("online").locator("li")).hasText(new String[] {"bob"});
            List<String> missed = IntStream.rangeClosed(1, 5).mapToObj(i -> "while alice is away #" + i).toList();
            for (String text : missed) {
                say(bob, text);
                expect(bob.byTestId("message-text").last()).hasText(text); // one at a time keeps the order
            }
            expect(alice.byTestId("connection")).not().hasAttribute("data-state", "connected");

            network.refuseNewConnections(false);

            expect(alice.byTestId("connection")).hasAttribute("data-state", "connected",
                    new LocatorAssertions.HasAttributeOptions().setTimeout(20_000));
            assertThat(alice.webSocketUrls().getLast()).endsWith("/chat/reconnect?after=" + lastIdBeforeTheDrop);
            expect(bob.byTestId("online").locator("li")).hasText(new String[] {"alice", "bob"});
            // Her own message comes back after any replay on the same socket, so a late duplicate would show here.
            say(alice, "back again");

            List<String> everything = Stream.of(List.of("before the drop"), missed, List.of("back again"))
                    .flatMap(List::stream).toList();
            expect(alice.byTestId("message-text")).hasText(everything.toArray(String[]::new));
            expect(bob.byTestId("message-text")).hasText(everything.toArray(String[]::new));
            assertThat(ids(alice)).hasSize(everything.size()).doesNotHaveDuplicates().isSorted().isEqualTo(ids(bob));
            assertNoProblems(bob);
        }
    }

    /**
     * Failure lab 1 as the README tells it: one server, a page open, the server stopped (Ctrl+C) and started
     * again with the same WAR on the same port. Only the sign-ins survive, in chat.data-dir; the rooms do not.
     */
    @Test
    void afterTheServerRestartsThePageReconnectsByItselfStillSignedInAndCanChat(@TempDir Path dataDir) {
        int port = PayaraProcess.freePort();
        Map<String, String> config = Map.of("chat.data-dir", dataDir.toString());
        String url = "http://localhost:" + port + "/";
        BrowserPage alice;
        try (PayaraProcess server = PayaraProcess.start("chat-before-restart", "chat", port, config).awaitReady()) {
            alice = signIn(url, "alice");
            say(alice, "before the restart");
            expect(alice.byTestId("message-text")).hasText(new String[] {"before the restart"});

            server.stop(); // SIGTERM, as Ctrl+C's SIGINT: the JVM shuts down cleanly and closes every socket

            expect(alice.byTestId("connection")).hasText(Pattern.compile("reconnecting in \\d+ s…"));
        }
        try (PayaraProcess server = PayaraProcess.start("chat-after-restart", "chat", port, config).awaitReady()) {
            // The backoff waits at most 10 s between tries, so the page is back within about that.
            expect(alice.byTestId("connection")).hasAttribute("data-state", "connected",
                    new LocatorAssertions.HasAttributeOptions().setTimeout(30_000));
            expect(alice.byTestId("me")).hasText("alice");
            expect(alice.byTestId("sign-in")).isHidden();
            expect(alice.byTestId("error")).isHidden(); // no "Your session has ended"
            expect(alice.byTestId("online").locator("li")).hasText(new String[] {"alice"});

            say(alice, "after the restart");

            // The page keeps what it showed; the new server's room starts empty, so nothing is shown twice.
            expect(alice.byTestId("message-text")).hasText(new String[] {"before the restart", "after the restart"});
            assertThat(ids(alice)).doesNotHaveDuplicates().isSorted();
            assertThat(server.count(Pattern.compile(" \\[x] alice joined #support \\(1 connected\\)"))).isEqualTo(1);
        }
    }

    @Test
    void joiningARoomLogsNoWarningOrErrorInTheConsole() {
        BrowserPage heidi = browser.open(base.toString());
        List<String> warnings = new CopyOnWriteArrayList<>();
        heidi.page().onConsoleMessage(m -> {
            if ("warning".equals(m.type())) {
                warnings.add(m.text());
            }
        });
        heidi.byTestId("name").fill("heidi");
        heidi.byTestId("sign-in-button").click();
        expect(heidi.byTestId("connection")).hasAttribute("data-state", "connected");
        join(heidi, "quiet");
        // Every join ends with the room's shared note (a "note" frame): the last frame of a join has arrived.
        say(heidi, "all quiet");
        expect(heidi.byTestId("message-text")).hasText(new String[] {"all quiet"});

        assertThat(warnings).isEmpty();
        assertNoProblems(heidi);
    }

    @Test
    void whenTheSessionIsGoneThePageAsksToSignInAgainInsteadOfRetrying() {
        try (TcpProxy network = TcpProxy.to(base.getHost(), base.getPort())) {
            String viaProxy = "http://" + base.getHost() + ":" + network.port() + "/";
            BrowserPage frank = signIn(viaProxy, "frank");
            join(frank, "expired");
            int sockets = frank.webSocketUrls().size();
            String cookie = frank.page().context().cookies().stream()
                    .filter(c -> c.name.equals("chat_session")).map(c -> c.name + "=" + c.value).findFirst().orElseThrow();

            // The line drops, and while it is down the session ends (it expired, or another device signed out).
            network.refuseNewConnections(true);
            network.severAll();
            expect(frank.byTestId("connection")).hasAttribute("data-state", "reconnecting");
            assertThat(new ChatApi(base).send(java.net.http.HttpRequest.newBuilder(new ChatApi(base).uri("/api/session"))
                    .header("Cookie", cookie).DELETE().build()).statusCode()).isEqualTo(204);
            network.refuseNewConnections(false);

            // the next handshake is refused (403): the page checks its session instead of retrying for ever
            expect(frank.byTestId("sign-in")).isVisible();
            expect(frank.byTestId("error")).hasAttribute("data-code", "not-signed-in");
            expect(frank.byTestId("connection")).hasAttribute("data-state", "idle");
            assertThat(frank.webSocketUrls()).hasSizeGreaterThan(sockets);
        }
    }

    @Test
    void signingOutInAnotherTabEndsThisTabsConnectionWithoutARetry() {
        BrowserPage grace = signIn(base.toString(), "grace");
        join(grace, "other-tab");
        int sockets = grace.webSocketUrls().size();

        // another tab of the same browser session signs out: the server closes this tab's socket with 1008
        assertThat(grace.page().context().request().delete(base + "api/session").status()).isEqualTo(204);

        expect(grace.byTestId("sign-in")).isVisible();
        expect(grace.byTestId("connection")).hasAttribute("data-state", "idle");
        assertThat(grace.webSocketUrls()).hasSize(sockets); // a policy close is not retried
    }

    private BrowserPage signIn(String url, String name) {
        BrowserPage page = browser.open(url);
        page.byTestId("name").fill(name);
        page.byTestId("sign-in-button").click();
        expect(page.byTestId("me")).hasText(name);
        expect(page.byTestId("connection")).hasAttribute("data-state", "connected");
        return page;
    }

    private static void join(BrowserPage page, String room) {
        page.byTestId("room").fill(room);
        page.byTestId("join").click();
        expect(page.byTestId("current-room")).hasText(room);
        expect(page.byTestId("connection")).hasAttribute("data-state", "connected");
        expect(page.byTestId("online")).containsText(page.byTestId("me").textContent());
    }

    private static void say(BrowserPage page, String text) {
        page.byTestId("text").fill(text);
        page.byTestId("send").click();
        expect(page.byTestId("text")).hasValue(""); // the page clears the input once the frame is sent
    }

    /** Message ids in the order the page shows them, read from the DOM's data attributes. */
    @SuppressWarnings("unchecked")
    private static List<Long> ids(BrowserPage page) {
        return ((List<String>) page.byTestId("message").evaluateAll("items => items.map(i => i.dataset.id)"))
                .stream().map(Long::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> senders(BrowserPage page) {
        return (List<String>) page.byTestId("message").evaluateAll("items => items.map(i => i.dataset.from)");
    }

    private static void assertNoProblems(BrowserPage page) {
        page.assertNoProblems(SIGNED_OUT_PROBE);
    }

    private static LocatorAssertions expect(Locator locator) {
        return PlaywrightAssertions.assertThat(locator);
    }
}
