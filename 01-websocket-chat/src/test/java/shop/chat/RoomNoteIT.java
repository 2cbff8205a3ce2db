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
        try (RecordingWebSocket alice = chat.join("alice", "note-race");
             RecordingWebSocket bob = chat.join("bob", "note-race");
             RecordingWebSocket carol = chat.join("carol", "note-race")) {
            for (RecordingWebSocket member : List.of(alice, bob, carol)) {
                assertThat(member.awaitFrame(RoomNoteIT::isNote).getJsonNumber("version").longValue()).isZero();
            }
            alice.awaitFrame(f -> isPresence(f, "joined", "carol"));

            // both edit version 0 at the same time
            CompletableFuture.allOf(
                    CompletableFuture.runAsync(() -> alice.send(edit(0, "Order #42: refund approved"))),
                    CompletableFuture.runAsync(() -> bob.send(edit(0, "Order #42: waiting for the courier")))
            ).join();

            JsonObject version1 = carol.awaitFrame(f -> isNote(f, 1));
            boolean aliceWon = version1.getString("by").equals("alice");
            RecordingWebSocket winner = aliceWon ? alice : bob;
            RecordingWebSocket loser = aliceWon ? bob : alice;
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

            for (RecordingWebSocket member : List.of(alice, bob, carol)) {
                JsonObject version2 = member.awaitFrame(f -> isNote(f, 2));
                assertThat(version2.getString("text")).isEqualTo(merged);
                assertThat(version2.getString("by")).isEqualTo(aliceWon ? "bob" : "alice");
            }
            // Version 2 went out after any answer to the conflict, so by now everything is in:
            // the conflict answer went to the loser alone, and every version reached everyone once.
            assertThat(notes(carol)).containsExactly(0L, 1L, 2L);
            assertThat(notes(winner)).containsExactly(0L, 1L, 2L);
            assertThat(notes(loser)).containsExactly(0L, 1L, 1L, 2L);
            assertThat(winner.json()).noneMatch(f -> "error".equals(f.getString("type")));
            assertThat(carol.json()).noneMatch(f -> "error".equals(f.getString("type")));
        }
    }

    @Test
    void aLateJoinerGetsTheCurrentNoteAfterTheHistoryAndPresence() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket alice = chat.join("alice", "note-late")) {
            alice.send("{\"type\":\"say\",\"text\":\"hello\"}");
            alice.awaitFrame(DeployedChat::isMessage);
            alice.send(edit(0, "first draft"));
            alice.awaitFrame(f -> isNote(f, 1));
            alice.send(edit(1, "Customer prefers e-mail."));
            alice.awaitFrame(f -> isNote(f, 2));

            try (RecordingWebSocket dave = chat.join("dave", "note-late")) {
                JsonObject note = dave.awaitFrame(RoomNoteIT::isNote);
                assertThat(note.getJsonNumber("version").longValue()).isEqualTo(2);
                assertThat(note.getString("text")).isEqualTo("Customer prefers e-mail.");
                assertThat(note.getString("by")).isEqualTo("alice");
                assertThat(dave.json()).extracting(f -> f.getString("type"))
                        .containsExactly("message", "presence", "note");
            }
        }
    }

    @Test
    void anInvalidOrStaleEditGetsAClearErrorAndChangesNothing() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket erin = chat.join("erin", "note-invalid");
             RecordingWebSocket frank = chat.join("frank", "note-invalid")) {
            erin.awaitFrame(f -> isPresence(f, "joined", "frank"));
            frank.awaitFrame(RoomNoteIT::isNote);

            assertThat(errorAfter(erin, "{\"type\":\"note-edit\",\"version\":\"0\",\"text\":\"x\"}")).isEqualTo("invalid-version");
            assertThat(errorAfter(erin, "{\"type\":\"note-edit\",\"version\":0.5,\"text\":\"x\"}")).isEqualTo("invalid-version");
            assertThat(errorAfter(erin, "{\"type\":\"note-edit\",\"version\":-1,\"text\":\"x\"}")).isEqualTo("invalid-version");
            assertThat(errorAfter(erin, "{\"type\":\"note-edit\",\"text\":\"x\"}")).isEqualTo("invalid-version");
            assertThat(errorAfter(erin, "{\"type\":\"note-edit\",\"version\":0}")).isEqualTo("missing-field");
            assertThat(errorAfter(erin, "{\"type\":\"note-edit\",\"version\":0,\"text\":\"x\",\"title\":\"y\"}"))
                    .isEqualTo("unknown-field");
            assertThat(errorAfter(erin, edit(0, "z".repeat(10_001)))).isEqualTo("text-too-long");
            // a version from the future is as stale as one from the past
            assertThat(errorAfter(erin, edit(7, "x"))).isEqualTo("note-conflict");
            JsonObject current = erin.awaitFrames(RoomNoteIT::isNote, 2).get(1);
            assertThat(current.getJsonNumber("version").longValue()).isZero();

            // nothing changed: the longest allowed note still applies on version 0
            erin.send(edit(0, "z".repeat(10_000)));
            JsonObject atFrank = frank.awaitFrame(f -> isNote(f, 1));
            assertThat(atFrank.getString("text")).hasSize(10_000);
            assertThat(notes(frank)).containsExactly(0L, 1L);
            assertThat(frank.json()).noneMatch(f -> "error".equals(f.getString("type")));
        }
    }

    @Test
    void onThePageTheNoteTypedInOneTabAppearsInTheOtherAndBackAgain() {
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000); // bounded; other builds share the machine
        try (Browser browser = Browser.launch()) {
            BrowserPage alice = ChatPages.signIn(browser, base.toString(), "alice");
            ChatPages.join(alice, "note-page");
            BrowserPage bob = ChatPages.signIn(browser, base.toString(), "bob");
            ChatPages.join(bob, "note-page");
            expect(bob.byTestId("note-status")).hasText("nobody has written yet");

            alice.byTestId("note").fill("Order #42: refund approved");

            expect(bob.byTestId("note")).hasValue("Order #42: refund approved");
            expect(bob.byTestId("note-status")).hasText("version 1 by alice");

            bob.byTestId("note").fill("Order #42: refund approved, courier booked");

            expect(alice.byTestId("note")).hasValue("Order #42: refund approved, courier booked");
            expect(alice.byTestId("note-status")).hasText("version 2 by bob");
            expect(bob.byTestId("note-status")).hasText("version 2 by bob");
            expect(alice.byTestId("note-draft")).isHidden(); // nothing was in conflict
            ChatPages.assertNoProblems(alice);
            ChatPages.assertNoProblems(bob);
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
