package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import course.testkit.Browser;
import course.testkit.BrowserPage;
import course.testkit.RecordingWebSocket;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exercise 1, private messages: a whisper reaches its recipient and the sender's own tabs, and no one else. */
class PrivateMessageIT extends DeployedChat {

    @BeforeEach
    void exerciseOneIsSolved() {
        ExerciseCheck.assertSolved(new ChatApi(base), "{\"type\":\"whisper\",\"to\":\"nobody\",\"text\":\"hi\"}",
                "Exercise 1 is not solved yet: the server answered unknown-type to a whisper; "
                        + "see 01-websocket-chat/README.md, Exercises, 1. Private messages");
    }

    @Test
    void aWhisperReachesOnlyTheRecipientAndTheSendersOwnTabs() {
        ChatApi chat = new ChatApi(base);
        String aliceCookie = chat.signIn("alice");
        Map<String, String> asAlice = Map.of("Cookie", aliceCookie, "Origin", chat.origin());
        try (RecordingWebSocket alice = chat.join("whisper-only", asAlice);
             RecordingWebSocket aliceOtherTab = chat.join("whisper-only", asAlice);
             RecordingWebSocket bob = chat.join("bob", "whisper-only");
             RecordingWebSocket carol = chat.join("carol", "whisper-only");
             RecordingWebSocket bobElsewhere = chat.join("bob", "whisper-elsewhere")) {
            alice.awaitFrame(f -> isPresence(f, "joined", "carol"));

            alice.send("{\"type\":\"whisper\",\"to\":\"bob\",\"text\":\"your refund is approved\"}");

            JsonObject atBob = bob.awaitFrame(PrivateMessageIT::isWhisper);
            assertThat(atBob.getString("from")).isEqualTo("alice");
            assertThat(atBob.getString("to")).isEqualTo("bob");
            assertThat(atBob.getString("room")).isEqualTo("whisper-only");
            assertThat(atBob.getString("text")).isEqualTo("your refund is approved");
            assertThat(atBob.getJsonNumber("id").longValue()).isPositive();
            assertThat(Instant.parse(atBob.getString("at"))).isNotNull();
            assertThat(alice.awaitFrame(PrivateMessageIT::isWhisper)).isEqualTo(atBob);
            assertThat(aliceOtherTab.awaitFrame(PrivateMessageIT::isWhisper)).isEqualTo(atBob);

            // A negative needs a later positive: once carol (and the other bob) have alice's next public
            // message, the whisper, sent to them before it in the same order, would have arrived too.
            alice.send("{\"type\":\"say\",\"text\":\"thanks for waiting, everyone\"}");
            carol.awaitFrame(DeployedChat::isMessage);
            assertThat(carol.json()).noneMatch(PrivateMessageIT::isWhisper);
            bobElsewhere.send("{\"type\":\"say\",\"text\":\"still here\"}");
            bobElsewhere.awaitFrame(DeployedChat::isMessage);
            assertThat(bobElsewhere.json()).noneMatch(PrivateMessageIT::isWhisper);

            // Not in the room's history: a late joiner and the polling endpoint see only the public message.
            try (RecordingWebSocket dave = chat.join("dave", "whisper-only")) {
                dave.awaitFrame(f -> isPresence(f, "joined", "dave"));
                assertThat(dave.json()).filteredOn(f -> isWhisper(f) || isMessage(f))
                        .extracting(f -> f.getString("type") + ": " + f.getString("text"))
                        .containsExactly("message: thanks for waiting, everyone");
            }
            HttpResponse<String> polled = chat.get("/api/rooms/whisper-only/messages?after=0", aliceCookie);
            assertThat(polled.statusCode()).isEqualTo(200);
            try (JsonReader reader = Json.createReader(new StringReader(polled.body()))) {
                assertThat(reader.readArray().getValuesAs(JsonObject.class))
                        .extracting(f -> f.getString("text")).containsExactly("thanks for waiting, everyone");
            }
        }
    }

    @Test
    void aWhisperToSomeoneNotInTheRoomIsRefusedAndTheConnectionStaysUsable() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket erin = chat.join("erin", "whisper-refused");
             RecordingWebSocket frank = chat.join("frank", "whisper-refused-other")) {
            erin.awaitFrame(f -> isPresence(f, "joined", "erin"));
            frank.awaitFrame(f -> isPresence(f, "joined", "frank"));

            assertThat(errorAfter(erin, "{\"type\":\"whisper\",\"to\":\"nobody\",\"text\":\"hi\"}"))
                    .isEqualTo("unknown-recipient");
            // frank is online, but in another room: a whisper stays inside its room
            assertThat(errorAfter(erin, "{\"type\":\"whisper\",\"to\":\"frank\",\"text\":\"hi\"}"))
                    .isEqualTo("unknown-recipient");
            // erin is in the room, but a whisper to yourself is refused (see PrivateMessage)
            assertThat(errorAfter(erin, "{\"type\":\"whisper\",\"to\":\"erin\",\"text\":\"note to self\"}"))
                    .isEqualTo("whisper-to-self");

            erin.send("{\"type\":\"say\",\"text\":\"still connected\"}");
            assertThat(erin.awaitFrame(DeployedChat::isMessage).getString("text")).isEqualTo("still connected");
            assertThat(erin.isClosed()).isFalse();
            assertThat(erin.json()).noneMatch(PrivateMessageIT::isWhisper);
            assertThat(frank.json()).noneMatch(PrivateMessageIT::isWhisper);
        }
    }

    @Test
    void anInvalidWhisperGetsAClearErrorAndIsNotDelivered() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket gina = chat.join("gina", "whisper-invalid");
             RecordingWebSocket hank = chat.join("hank", "whisper-invalid")) {
            gina.awaitFrame(f -> isPresence(f, "joined", "hank"));

            assertThat(errorAfter(gina, "{\"type\":\"whisper\",\"to\":\"hank\",\"text\":\"hi\",\"urgent\":true}"))
                    .isEqualTo("unknown-field");
            assertThat(errorAfter(gina, "{\"type\":\"whisper\",\"text\":\"hi\"}")).isEqualTo("missing-field");
            assertThat(errorAfter(gina, "{\"type\":\"whisper\",\"to\":\"hank\"}")).isEqualTo("missing-field");
            assertThat(errorAfter(gina, "{\"type\":\"whisper\",\"to\":\"hank\",\"text\":\"  \"}")).isEqualTo("empty-text");
            assertThat(errorAfter(gina, "{\"type\":\"whisper\",\"to\":\"hank\",\"text\":\"" + "x".repeat(2001) + "\"}"))
                    .isEqualTo("text-too-long");
            assertThat(errorAfter(gina, "{\"type\":\"whisper\",\"to\":\"<script>\",\"text\":\"hi\"}"))
                    .isEqualTo("unknown-recipient");

            // the longest allowed text goes through, and it is the only whisper hank ever gets
            gina.send("{\"type\":\"whisper\",\"to\":\"hank\",\"text\":\"" + "y".repeat(2000) + "\"}");
            assertThat(hank.awaitFrame(PrivateMessageIT::isWhisper).getString("text")).hasSize(2000);
            assertThat(hank.json()).filteredOn(PrivateMessageIT::isWhisper).hasSize(1);
            assertThat(hank.json()).noneMatch(f -> "error".equals(f.getString("type")));
        }
    }

    @Test
    void onThePageAWhisperToSomeoneOnlineIsShownMarkedAsPrivateToTheTwoOfThemOnly() {
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000); // bounded; other builds share the machine
        ChatApi chat = new ChatApi(base);
        try (Browser browser = Browser.launch();
             RecordingWebSocket carol = chat.join("carol", "whisper-page")) {
            BrowserPage alice = ChatPages.signIn(browser, base.toString(), "alice");
            ChatPages.join(alice, "whisper-page");
            BrowserPage bob = ChatPages.signIn(browser, base.toString(), "bob");
            ChatPages.join(bob, "whisper-page");
            expect(alice.byTestId("online").locator("li")).hasText(new String[] {"alice", "bob", "carol"});
            // the recipients to pick from are the others online
            expect(alice.byTestId("whisper-to").locator("option")).hasText(new String[] {"bob", "carol"});

            alice.byTestId("whisper-to").selectOption("bob");
            alice.byTestId("whisper-text").fill("your refund is approved");
            alice.byTestId("whisper-send").click();

            expect(bob.byTestId("whisper-text-shown")).hasText(new String[] {"your refund is approved"});
            expect(bob.byTestId("whisper-mark")).hasText(new String[] {"privately"});
            expect(alice.byTestId("whisper-text-shown")).hasText(new String[] {"your refund is approved"});
            expect(alice.byTestId("whisper-mark")).hasText(new String[] {"privately to bob"});
            expect(alice.byTestId("whisper-text")).hasValue("");

            // carol has alice's next public message, so she would already have had the whisper
            ChatPages.say(alice, "thanks for waiting, everyone");
            carol.awaitFrame(DeployedChat::isMessage);
            assertThat(carol.json()).noneMatch(PrivateMessageIT::isWhisper);
            expect(bob.byTestId("message-text")).hasText(new String[] {"thanks for waiting, everyone"});
            expect(bob.byTestId("whisper")).hasCount(1);
            ChatPages.assertNoProblems(alice);
            ChatPages.assertNoProblems(bob);
        }
    }

    private static LocatorAssertions expect(Locator locator) {
        return ChatPages.expect(locator);
    }

    /** Sends a frame that must be refused, and returns the code of the error event it got. */
    static String errorAfter(RecordingWebSocket socket, String frame) {
        int before = errors(socket);
        socket.send(frame);
        return socket.awaitFrames(f -> "error".equals(f.getString("type")), before + 1).get(before).getString("code");
    }

    private static int errors(RecordingWebSocket socket) {
        return (int) socket.json().stream().filter(f -> "error".equals(f.getString("type"))).count();
    }

    static boolean isWhisper(JsonObject frame) {
        return "whisper".equals(frame.getString("type"));
    }
}
