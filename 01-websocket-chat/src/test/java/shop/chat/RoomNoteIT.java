package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static shop.chat.PrivateMessageIT.errorAfter;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import course.testkit.Browser;
import course.testkit.BrowserPage;
import course.testkit.RecordingWebSocket;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exercise 2, the collaborative room note: concurrent edits are settled by version numbers, and nobody's work is silently lost. */
class RoomNoteIT extends DeployedChat {

    @BeforeEach
    void exerciseTwoIsSolved() {
        ExerciseCheck.assertSolved(new ChatApi(base), edit(0, "checked"),
                "Exercise 2 is not solved yet: the server answered unknown-type to a note-edit; "
                        + "see 01-websocket-chat/README.md, Exercises, 2. A collaborative room note");
    }

    @Test
    void twoEditorsRacingOnTheSameVersionExactlyOneWinsAndTheOtherMergesAndRetries() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket noor = chat.join("noor", "note-race");
             RecordingWebSocket nils = chat.join("nils", "note-race");
             RecordingWebSocket nina = chat.join("nina", "note-race")) {
            for (RecordingWebSocket member : List.of(noor, nils, nina)) {
                assertThat(member.awaitFrame(RoomNoteIT::isNote).getJsonNumber("version").longValue()).isZero();
            }
            noor.awaitFrame(f -> isPresence(f, "joined", "nina"));

            // both edit version 0 at the same time
            CompletableFuture.allOf(
                    CompletableFuture.runAsync(() -> noor.send(edit(0, "Order #42: refund approved"))),
                    CompletableFuture.runAsync(() -> nils.send(edit(0, "Order #42: waiting for the courier")))
            ).join();

            JsonObject version1 = nina.awaitFrame(f -> isNote(f, 1));
            boolean aliceWon = version1.getString("by").equals("noor");
            RecordingWebSocket winner = aliceWon ? noor : nils;
            RecordingWebSocket loser = aliceWon ? nils : noor;
            assertThat(version1.getString("text"))
                    .isEqualTo(aliceWon ? "Order #42: refund approved" : "Order #42: waiting for the courier");

            // the loser hears why, then gets the winning text so it can merge
            JsonObject conflict = loser.awaitFrame(f -> isError(f, "note-conflict"));
            List<JsonObject> atLoser = loser.awaitFrames(f -> isNote(f, 1), 2);
            assertThat(atLoser).allSatisfy(note -> assertThat(note).isEqualTo(version1));
            List<JsonObject> loserFrames = loser.json();
            assertThat(loserFrames.get(loserFrames.indexOf(conflict) + 1)).isEqualTo(version1);

            String merged = "Order #42: refund approved, waiting for the courier";
            loser.send(edit(1, merged));

            for (RecordingWebSocket member : List.of(noor, nils, nina)) {
                JsonObject version2 = member.awaitFrame(f -> isNote(f, 2));
                assertThat(version2.getString("text")).isEqualTo(merged);
                assertThat(version2.getString("by")).isEqualTo(aliceWon ? "nils" : "noor");
            }
            // Version 2 went out after any answer to the conflict, so by now everything is in:
            // the conflict answer went to the loser alone, and every version reached everyone once.
            assertThat(notes(nina)).containsExactly(0L, 1L, 2L);
            assertThat(notes(winner)).containsExactly(0L, 1L, 2L);
            assertThat(notes(loser)).containsExactly(0L, 1L, 1L, 2L);
            assertThat(winner.json()).noneMatch(f -> "error".equals(f.getString("type")));
            assertThat(nina.json()).noneMatch(f -> "error".equals(f.getString("type")));
        }
    }

    @Test
    void aLateJoinerGetsTheCurrentNoteAfterTheHistoryAndPresence() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket noor = chat.join("noor", "note-late")) {
            noor.send("{\"type\":\"say\",\"text\":\"hello\"}");
            noor.awaitFrame(DeployedChat::isMessage);
            noor.send(edit(0, "first draft"));
            noor.awaitFrame(f -> isNote(f, 1));
            noor.send(edit(1, "Customer prefers e-mail."));
            noor.awaitFrame(f -> isNote(f, 2));

            try (RecordingWebSocket ned = chat.join("ned", "note-late")) {
                JsonObject note = ned.awaitFrame(RoomNoteIT::isNote);
                assertThat(note.getJsonNumber("version").longValue()).isEqualTo(2);
                assertThat(note.getString("text")).isEqualTo("Customer prefers e-mail.");
                assertThat(note.getString("by")).isEqualTo("noor");
                assertThat(ned.json()).extracting(f -> f.getString("type"))
                        .containsExactly("message", "presence", "note");
            }
        }
    }

    @Test
    void anInvalidOrStaleEditGetsAClearErrorAndChangesNothing() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket nell = chat.join("nell", "note-invalid");
             RecordingWebSocket noah = chat.join("noah", "note-invalid")) {
            nell.awaitFrame(f -> isPresence(f, "joined", "noah"));
            noah.awaitFrame(RoomNoteIT::isNote);

            assertThat(errorAfter(nell, "{\"type\":\"note-edit\",\"version\":\"0\",\"text\":\"x\"}")).isEqualTo("invalid-version");
            assertThat(errorAfter(nell, "{\"type\":\"note-edit\",\"version\":0.5,\"text\":\"x\"}")).isEqualTo("invalid-version");
            assertThat(errorAfter(nell, "{\"type\":\"note-edit\",\"version\":-1,\"text\":\"x\"}")).isEqualTo("invalid-version");
            assertThat(errorAfter(nell, "{\"type\":\"note-edit\",\"text\":\"x\"}")).isEqualTo("invalid-version");
            assertThat(errorAfter(nell, "{\"type\":\"note-edit\",\"version\":0}")).isEqualTo("missing-field");
            assertThat(errorAfter(nell, "{\"type\":\"note-edit\",\"version\":0,\"text\":\"x\",\"title\":\"y\"}"))
                    .isEqualTo("unknown-field");
            assertThat(errorAfter(nell, edit(0, "z".repeat(10_001)))).isEqualTo("text-too-long");
            // a version from the future is as stale as one from the past
            assertThat(errorAfter(nell, edit(7, "x"))).isEqualTo("note-conflict");
            JsonObject current = nell.awaitFrames(RoomNoteIT::isNote, 2).get(1);
            assertThat(current.getJsonNumber("version").longValue()).isZero();

            // nothing changed: the longest allowed note still applies on version 0
            nell.send(edit(0, "z".repeat(10_000)));
            JsonObject atFrank = noah.awaitFrame(f -> isNote(f, 1));
            assertThat(atFrank.getString("text")).hasSize(10_000);
            assertThat(notes(noah)).containsExactly(0L, 1L);
            assertThat(noah.json()).noneMatch(f -> "error".equals(f.getString("type")));
        }
    }

    @Test
    void onThePageTheNoteTypedInOneTabAppearsInTheOtherAndBackAgain() {
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000); // bounded; other builds share the machine
        try (Browser browser = Browser.launch()) {
            BrowserPage noor = ChatPages.signIn(browser, base.toString(), "noor");
            ChatPages.join(noor, "note-page");
            BrowserPage nils = ChatPages.signIn(browser, base.toString(), "nils");
            ChatPages.join(nils, "note-page");
            expect(nils.byTestId("note-status")).hasText("nobody has written yet");

            noor.byTestId("note").fill("Order #42: refund approved");

            expect(nils.byTestId("note")).hasValue("Order #42: refund approved");
            expect(nils.byTestId("note-status")).hasText("version 1 by noor");

            nils.byTestId("note").fill("Order #42: refund approved, courier booked");

            expect(noor.byTestId("note")).hasValue("Order #42: refund approved, courier booked");
            expect(noor.byTestId("note-status")).hasText("version 2 by nils");
            expect(nils.byTestId("note-status")).hasText("version 2 by nils");
            expect(noor.byTestId("note-draft")).isHidden(); // nothing was in conflict
            ChatPages.assertNoProblems(noor);
            ChatPages.assertNoProblems(nils);
        }
    }

    private static LocatorAssertions expect(Locator locator) {
        return ChatPages.expect(locator);
    }

    private static String edit(long version, String text) {
        return "{\"type\":\"note-edit\",\"version\":" + version + ",\"text\":\"" + text + "\"}";
    }

    /** The versions of every note frame received so far, in order. */
    private static List<Long> notes(RecordingWebSocket socket) {
        return socket.json().stream().filter(RoomNoteIT::isNote).map(f -> f.getJsonNumber("version").longValue()).toList();
    }

    static boolean isNote(JsonObject frame) {
        return "note".equals(frame.getString("type"));
    }

    static boolean isNote(JsonObject frame, long version) {
        return isNote(frame) && frame.getJsonNumber("version").longValue() == version;
    }

    static boolean isError(JsonObject frame, String code) {
        return "error".equals(frame.getString("type")) && code.equals(frame.getString("code"));
    }
}
