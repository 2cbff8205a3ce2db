package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static shop.chat.ChatPages.assertNoProblems;
import static shop.chat.ChatPages.expect;
import static shop.chat.ChatPages.join;
import static shop.chat.ChatPages.signIn;

import com.microsoft.playwright.ConsoleMessage;
import com.microsoft.playwright.Page;
import course.testkit.BrowserPage;
import course.testkit.ClassBrowser;
import course.testkit.DocSnippets;
import course.testkit.LabProcess;
import course.testkit.PayaraProcess;
import course.testkit.TcpProxy;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's deep-dive failure labs 2-4, done the way the README tells a learner to do them by hand: the same
 * console line, the same page on another port, the same text typed into the chat, in a real Chromium.
 * The lines come from the files the README quotes ({@code labs/}), so what is printed is what runs here.
 */
class FailureLabsIT extends DeployedChat {

    /** Generous but bounded assertion timeouts: other builds share this machine's two cores. */
    @RegisterExtension
    static final ClassBrowser browser = new ClassBrowser(15_000);

    /** Lab 2: the console line floods the room from the page itself; the server keeps twenty and refuses ten. */
    @Test
    void floodingFromTheConsoleShowsRateLimitedTenTimesAndTheOtherTabSeesTwentyMessages() {
        String floodLine = DocSnippets.tagged(Path.of("labs/flood.js"), "lab");
        BrowserPage alice = signIn(browser.get(), chat(), "alice");
        List<JsonObject> framesToAlice = new CopyOnWriteArrayList<>();
        // The page shows one error at a time; the socket's frames (the developer tools' Messages) show every one.
        alice.page().onWebSocket(socket -> socket.onFrameReceived(frame -> framesToAlice.add(json(frame.text()))));
        join(alice, "flood-lab");
        BrowserPage bob = signIn(browser.get(), chat(), "bob");
        join(bob, "flood-lab");
        expect(alice.byTestId("online").locator("li")).hasText(new String[] {"alice", "bob"});

        alice.page().evaluate(floodLine);

        List<String> twenty = IntStream.range(0, 20).mapToObj(i -> "spam " + i).toList();
        expect(bob.byTestId("message-text")).hasText(twenty.toArray(String[]::new));
        alice.page().waitForCondition(() -> errors(framesToAlice).size() >= 10,
                new Page.WaitForConditionOptions().setTimeout(15_000));
        assertThat(errors(framesToAlice)).hasSize(10).extracting(e -> e.getString("code")).containsOnly("rate-limited");
        expect(alice.byTestId("error")).isVisible();
        expect(alice.byTestId("error")).hasText("rate-limited: Slow down: at most 20 messages per 10 s; this one was dropped.");
        expect(alice.byTestId("message-text")).hasText(twenty.toArray(String[]::new));
        expect(alice.byTestId("connection")).hasAttribute("data-state", "connected"); // refused, not disconnected
        assertThat(bob.byTestId("error").isHidden()).isTrue();
        assertNoProblems(alice);
        assertNoProblems(bob);
    }

    /**
     * Lab 3: signed in to the chat, the learner opens a page that {@code labs/other-origin.sh} serves on another
     * port, and runs the README's line in its console. The browser shows only the 403; a recorder between the page
     * and the chat shows what went on the wire: the session cookie was sent, and the Origin check refused it.
     */
    @Test
    void aWebSocketFromAPageOnAnotherPortCarriesTheCookieAndIsRefusedWith403ForItsOrigin() {
        assumeTrue(onPath("python3"), "Failure lab 3 serves its page with python3, which is not on this machine's PATH.");
        BrowserPage alice = signIn(browser.get(), chat(), "alice");
        String cookie = alice.page().context().cookies().stream().filter(c -> c.name.equals("chat_session"))
                .map(c -> c.name + "=" + c.value).findFirst().orElseThrow();
        int otherPort = PayaraProcess.freePort();
        try (LabProcess otherOrigin = LabProcess.startFromCourseFolder("labs/other-origin.sh", String.valueOf(otherPort))
                     .awaitAnswering(URI.create("http://127.0.0.1:" + otherPort + "/"), Duration.ofSeconds(30));
             TcpProxy wire = TcpProxy.recording("localhost", base.getPort())) {
            // The README's line names the run command's port, 8081; here the chat is reached through the recorder.
            String readmeLine = DocSnippets.tagged(Path.of("labs/hijack.js"), "lab");
            assertThat(readmeLine).contains("'ws://localhost:8081/chat/support'");
            String line = readmeLine.replace("ws://localhost:8081/", "ws://localhost:" + wire.port() + "/");

            Page otherPage = alice.page().context().newPage(); // a second tab of the same browser: same cookies
            otherPage.navigate("http://localhost:" + otherPort + "/");
            ConsoleMessage refused = otherPage.waitForConsoleMessage(new Page.WaitForConsoleMessageOptions()
                    .setPredicate(m -> m.text().startsWith("WebSocket connection to")).setTimeout(15_000),
                    () -> otherPage.evaluateHandle(line));

            assertThat(refused.type()).isEqualTo("error");
            assertThat(refused.text()).isEqualTo("WebSocket connection to 'ws://localhost:" + wire.port()
                    + "/chat/support' failed: Error during WebSocket handshake: Unexpected response code: 403");
            TcpProxy.Exchange handshake = wire.exchanges().getFirst();
            assertThat(handshake.request()).startsWith("GET /chat/support HTTP/1.1\r\n")
                    .containsPattern("(?m)^Origin: http://localhost:" + otherPort + "$")
                    .containsPattern("(?m)^Cookie: (.*; )?" + Pattern.quote(cookie) + "(;.*)?$");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(handshake.response())
                    .startsWith("HTTP/1.1 403 ").contains("\"type\":\"/problems/forbidden-origin\""));
            assertThat(wire.exchanges()).hasSize(1); // one handshake, not retried
        }
    }

    /** Lab 4: the README's text, typed into the chat, is shown as text to everyone; no dialog opens, nothing runs. */
    @Test
    void markupTypedIntoTheChatIsShownAsTextAndOpensNoDialog() {
        String text = DocSnippets.tagged(Path.of("labs/send-a-script.txt"), "lab").strip();
        assertThat(text).isEqualTo("<img src=x onerror=\"alert(1)\">");
        // not alice: the flood lab spent her allowance, which is per name, in the last 10 s
        BrowserPage alice = signIn(browser.get(), chat(), "carol");
        join(alice, "script-lab");
        BrowserPage bob = signIn(browser.get(), chat(), "dave");
        join(bob, "script-lab");
        expect(alice.byTestId("online").locator("li")).hasText(new String[] {"carol", "dave"});
        List<String> dialogs = new CopyOnWriteArrayList<>();
        for (BrowserPage page : List.of(alice, bob)) {
            page.page().onDialog(dialog -> {
                dialogs.add(dialog.type() + ": " + dialog.message());
                dialog.dismiss();
            });
        }

        alice.byTestId("text").pressSequentially(text);
        alice.byTestId("send").click();

        for (BrowserPage page : List.of(alice, bob)) {
            expect(page.byTestId("message-text")).hasText(new String[] {text});
            assertThat(page.byTestId("messages").locator("img").count()).isZero();
            assertNoProblems(page); // an inline handler the CSP blocked would be a console error
        }
        assertThat(dialogs).isEmpty();
    }

    /** The chat's page as the README opens it: on localhost, at the server's port. */
    private String chat() {
        return "http://localhost:" + base.getPort() + "/";
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank()).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static List<JsonObject> errors(List<JsonObject> frames) {
        return frames.stream().filter(f -> "error".equals(f.getString("type"))).toList();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
