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

/**
 * Exercise 1, private messages: a whisper reaches its recipient and the sender's own tabs, and no one else; whispers go
 * only between members signed in with a password (the README's demo members ada, alan and barbara).
 */
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
        String adaCookie = chat.signInMember("ada");
        Map<String, String> asAda = chat.as(adaCookie);
        Map<String, String> asAlan = chat.as(chat.signInMember("alan"));
        try (RecordingWebSocket ada = chat.join("whisper-only", asAda);
             RecordingWebSocket adaOtherTab = chat.join("whisper-only", asAda);
             RecordingWebSocket alan = chat.join("whisper-only", asAlan);
             RecordingWebSocket carol = chat.join("carol", "whisper-only");
             RecordingWebSocket alanElsewhere = chat.join("whisper-elsewhere", asAlan)) {
            ada.awaitFrame(f -> isPresence(f, "joined", "carol"));
            alanElsewhere.awaitFrame(f -> isPresence(f, "joined", "alan"));

            ada.send("{\"type\":\"whisper\",\"to\":\"alan\",\"text\":\"your refund is approved\"}");

            JsonObject atAlan = alan.awaitFrame(PrivateMessageIT::isWhisper);
            assertThat(atAlan.getString("from")).isEqualTo("ada");
            assertThat(atAlan.getString("to")).isEqualTo("alan");
            assertThat(atAlan.getString("room")).isEqualTo("whisper-only");
            assertThat(atAlan.getString("text")).isEqualTo("your refund is approved");
            assertThat(atAlan.getJsonNumber("id").longValue()).isPositive();
            assertThat(Instant.parse(atAlan.getString("at"))).isNotNull();
            assertThat(ada.awaitFrame(PrivateMessageIT::isWhisper)).isEqualTo(atAlan);
            assertThat(adaOtherTab.awaitFrame(PrivateMessageIT::isWhisper)).isEqualTo(atAlan);

            // A negative needs a later positive: once carol (and alan in the other room) have ada's next public
            // message, the whisper, sent to them before it in the same order, would have arrived too.
            ada.send("{\"type\":\"say\",\"text\":\"thanks for waiting, everyone\"}");
            carol.awaitFrame(DeployedChat::isMessage);
            assertThat(carol.json()).noneMatch(PrivateMessageIT::isWhisper);
            alanElsewhere.send("{\"type\":\"say\",\"text\":\"still here\"}");
            alanElsewhere.awaitFrame(DeployedChat::isMessage);
            assertThat(alanElsewhere.json()).noneMatch(PrivateMessageIT::isWhisper);

            // Not in the room's history: a late joiner and the polling endpoint see only the public message.
            try (RecordingWebSocket dave = chat.join("dave", "whisper-only")) {
                dave.awaitFrame(f -> isPresence(f, "joined", "dave"));
                assertThat(dave.json()).filteredOn(f -> isWhisper(f) || isMessage(f))
                        .extracting(f -> f.getString("type") + ": " + f.getString("text"))
                        .containsExactly("message: thanks for waiting, everyone");
            }
            HttpResponse<String> polled = chat.get("/api/rooms/whisper-only/messages?after=0", adaCookie);
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
        try (RecordingWebSocket erin = chat.join("whisper-refused", chat.as(chat.signInMember("barbara")));
             RecordingWebSocket frank = chat.join("whisper-refused-other", chat.as(chat.signInMember("alan")))) {
            erin.awaitFrame(f -> isPresence(f, "joined", "barbara"));
            frank.awaitFrame(f -> isPresence(f, "joined", "alan"));

            assertThat(errorAfter(erin, "{\"type\":\"whisper\",\"to\":\"nobody\",\"text\":\"hi\"}"))
                    .isEqualTo("unknown-recipient");
            // alan is online, but in another room: a whisper stays inside its room
            assertThat(errorAfter(erin, "{\"type\":\"whisper\",\"to\":\"alan\",\"text\":\"hi\"}"))
                    .isEqualTo("unknown-recipient");
            // barbara is in the room, but a whisper to yourself is refused (see PrivateMessage)
            assertThat(errorAfter(erin, "{\"type\":\"whisper\",\"to\":\"barbara\",\"text\":\"note to self\"}"))
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
        try (RecordingWebSocket gina = chat.join("whisper-invalid", chat.as(chat.signInMember("ada")));
             RecordingWebSocket hank = chat.join("whisper-invalid", chat.as(chat.signInMember("alan")))) {
            gina.awaitFrame(f -> isPresence(f, "joined", "alan"));

            assertThat(errorAfter(gina, "{\"type\":\"whisper\",\"to\":\"alan\",\"text\":\"hi\",\"urgent\":true}"))
                    .isEqualTo("unknown-field");
            assertThat(errorAfter(gina, "{\"type\":\"whisper\",\"text\":\"hi\"}")).isEqualTo("missing-field");
            assertThat(errorAfter(gina, "{\"type\":\"whisper\",\"to\":\"alan\"}")).isEqualTo("missing-field");
            assertThat(errorAfter(gina, "{\"type\":\"whisper\",\"to\":\"alan\",\"text\":\"  \"}")).isEqualTo("empty-text");
            assertThat(errorAfter(gina, "{\"type\":\"whisper\",\"to\":\"alan\",\"text\":\"" + "x".repeat(2001) + "\"}"))
                    .isEqualTo("text-too-long");
            assertThat(errorAfter(gina, "{\"type\":\"whisper\",\"to\":\"<script>\",\"text\":\"hi\"}"))
                    .isEqualTo("unknown-recipient");

            // the longest allowed text goes through, and it is the only whisper alan ever gets
            gina.send("{\"type\":\"whisper\",\"to\":\"alan\",\"text\":\"" + "y".repeat(2000) + "\"}");
            assertThat(hank.awaitFrame(PrivateMessageIT::isWhisper).getString("text")).hasSize(2000);
            assertThat(hank.json()).filteredOn(PrivateMessageIT::isWhisper).hasSize(1);
            assertThat(hank.json()).noneMatch(f -> "error".equals(f.getString("type")));
        }
    }

    @Test
    void whispersAreBetweenMembersOnlyAndNoImpostorCanSignInAsTheRecipient() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket ada = chat.join("whisper-members", chat.as(chat.signInMember("ada")));
             RecordingWebSocket alan = chat.join("whisper-members", chat.as(chat.signInMember("alan")));
             RecordingWebSocket carol = chat.join("carol", "whisper-members")) {
            ada.awaitFrame(f -> isPresence(f, "joined", "carol"));

            // a guest can neither whisper nor be whispered to: a guest's name is anyone's to type
            assertThat(errorAfter(carol, "{\"type\":\"whisper\",\"to\":\"ada\",\"text\":\"it is me\"}"))
                    .isEqualTo("whisper-needs-sign-in");
            assertThat(errorAfter(ada, "{\"type\":\"whisper\",\"to\":\"carol\",\"text\":\"my order number\"}"))
                    .isEqualTo("whisper-needs-sign-in");

            // nobody gets a session as ada without ada's password: not as a guest, nor with a guessed password
            assertThat(chat.post("/api/session", "{\"name\":\"ada\"}").statusCode()).isEqualTo(403);
            assertThat(chat.post("/api/session", ChatApi.signInBody("ada", "password1")).statusCode()).isEqualTo(401);

            alan.send("{\"type\":\"whisper\",\"to\":\"ada\",\"text\":\"only for ada\"}");
            assertThat(ada.awaitFrame(PrivateMessageIT::isWhisper).getString("text")).isEqualTo("only for ada");
            alan.send("{\"type\":\"say\",\"text\":\"after the whisper\"}");
            carol.awaitFrame(f -> isMessage(f) && "after the whisper".equals(f.getString("text")));
            assertThat(carol.json()).noneMatch(PrivateMessageIT::isWhisper);
        }
    }

    @Test
    void onThePageAWhisperToSomeoneOnlineIsShownMarkedAsPrivateToTheTwoOfThemOnly() {
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000); // bounded; other builds share the machine
        ChatApi chat = new ChatApi(base);
        try (Browser browser = Browser.launch();
             RecordingWebSocket carol = chat.join("carol", "whisper-page")) {
            BrowserPage ada = ChatPages.signIn(browser, base.toString(), "ada", ChatApi.demoPassword("ada"));
            ChatPages.join(ada, "whisper-page");
            BrowserPage alan = ChatPages.signIn(browser, base.toString(), "alan", ChatApi.demoPassword("alan"));
            ChatPages.join(alan, "whisper-page");
            expect(ada.byTestId("online").locator("li")).hasText(new String[] {"ada", "alan", "carol"});
            // the recipients to pick from are the others online
            expect(ada.byTestId("whisper-to").locator("option")).hasText(new String[] {"alan", "carol"});

            ada.byTestId("whisper-to").selectOption("alan");
            ada.byTestId("whisper-text").fill("your refund is approved");
            ada.byTestId("whisper-send").click();

            expect(alan.byTestId("whisper-text-shown")).hasText(new String[] {"your refund is approved"});
            expect(alan.byTestId("whisper-mark")).hasText(new String[] {"privately"});
            expect(ada.byTestId("whisper-text-shown")).hasText(new String[] {"your refund is approved"});
            expect(ada.byTestId("whisper-mark")).hasText(new String[] {"privately to alan"});
            expect(ada.byTestId("whisper-text")).hasValue("");

            // carol has ada's next public message, so she would already have had the whisper
            ChatPages.say(ada, "thanks for waiting, everyone");
            carol.awaitFrame(DeployedChat::isMessage);
            assertThat(carol.json()).noneMatch(PrivateMessageIT::isWhisper);
            expect(alan.byTestId("message-text")).hasText(new String[] {"thanks for waiting, everyone"});
            expect(alan.byTestId("whisper")).hasCount(1);

            // a whisper to a guest is refused, and the page says why
            ada.byTestId("whisper-to").selectOption("carol");
            ada.byTestId("whisper-text").fill("my order number");
            ada.byTestId("whisper-send").click();
            expect(ada.byTestId("error")).hasAttribute("data-code", "whisper-needs-sign-in");
            ChatPages.assertNoProblems(ada);
            ChatPages.assertNoProblems(alan);
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
