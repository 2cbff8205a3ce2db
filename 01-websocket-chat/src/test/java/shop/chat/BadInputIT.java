package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import course.testkit.RawWebSocket;
import course.testkit.RecordingWebSocket;
import jakarta.json.JsonObject;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Every bad input over an open chat connection gets a clear answer, and the other members of the
 * room never notice: bad frames, oversized frames, floods, binary data, dead and half-open peers.
 */
class BadInputIT extends DeployedChat {

    @Test
    void eachInvalidFrameGetsAnErrorEventAndTheConnectionStaysUsable() {
        ChatApi chat = new ChatApi(base);
        Map<String, String> badFrameToCode = new java.util.LinkedHashMap<>();
        badFrameToCode.put("this is not json", "malformed-json");
        badFrameToCode.put("[\"say\",\"hi\"]", "malformed-json");
        badFrameToCode.put("{\"text\":\"no type\"}", "missing-field");
        badFrameToCode.put("{\"type\":\"shout\",\"text\":\"hi\"}", "unknown-type");
        badFrameToCode.put("{\"type\":\"say\"}", "missing-field");
        badFrameToCode.put("{\"type\":\"say\",\"text\":42}", "missing-field");
        badFrameToCode.put("{\"type\":\"say\",\"txt\":\"typo\"}", "unknown-field");
        badFrameToCode.put("{\"type\":\"say\",\"text\":\"   \"}", "empty-text");
        badFrameToCode.put("{\"type\":\"say\",\"text\":\"" + "x".repeat(2001) + "\"}", "text-too-long");

        try (RecordingWebSocket alice = chat.join("alice", "bad-frames");
             RecordingWebSocket bob = chat.join("bob", "bad-frames")) {
            badFrameToCode.forEach((frame, code) -> alice.send(frame));

            List<JsonObject> errors = alice.awaitFrames(f -> "error".equals(f.getString("type")), badFrameToCode.size());
            assertThat(errors).extracting(f -> f.getString("code")).containsExactlyElementsOf(badFrameToCode.values());
            assertThat(errors).allSatisfy(e -> assertThat(e.getString("message")).endsWith("."));

            alice.send("{\"type\":\"say\",\"text\":\"" + "y".repeat(2000) + "\"}"); // exactly at the limit: fine
            alice.send("{\"type\":\"say\",\"text\":\"still here\"}");
            bob.awaitFrame(f -> isMessage(f) && f.getString("text").equals("still here"));
            assertThat(bob.json()).filteredOn(DeployedChat::isMessage).hasSize(2);
            assertThat(bob.json()).noneMatch(f -> "error".equals(f.getString("type")));
            assertThat(alice.isClosed()).isFalse();
        }
    }

    @Test
    void aFrameOver64KiBIsClosedWith1009AndTheRoomCarriesOn() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket carol = chat.join("carol", "too-big");
             RecordingWebSocket dave = chat.join("dave", "too-big")) {
            carol.awaitFrame(f -> isPresence(f, "joined", "dave"));

            dave.send("{\"type\":\"say\",\"text\":\"" + "z".repeat(100 * 1024) + "\"}");

            assertThat(dave.awaitClose(Duration.ofSeconds(10))).isEqualTo(1009);
            carol.awaitFrame(f -> isPresence(f, "left", "dave"));
            carol.send("{\"type\":\"say\",\"text\":\"anyone else?\"}");
            carol.awaitFrame(f -> isMessage(f) && f.getString("text").equals("anyone else?"));
            assertThat(carol.json()).filteredOn(DeployedChat::isMessage).hasSize(1);
        }
    }

    @Test
    void aBinaryFrameIsClosedWith1003UnsupportedData() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket erin = chat.join("erin", "binary")) {
            erin.awaitFrame(f -> "presence".equals(f.getString("type")));
            erin.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));

            assertThat(erin.awaitClose(Duration.ofSeconds(10))).isEqualTo(1003);
        }
    }

    // tag::flood-test[]
    @Test
    void aFloodIsCutAtTwentyMessagesPerTenSecondsAndOtherMembersAreUnaffected() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket mallory = chat.join("mallory", "flood");
             RecordingWebSocket grace = chat.join("grace", "flood")) {
            mallory.awaitFrame(f -> isPresence(f, "joined", "grace"));

            IntStream.rangeClosed(1, 30).forEach(i -> mallory.send("{\"type\":\"say\",\"text\":\"spam " + i + "\"}"));

            List<JsonObject> refused = mallory.awaitFrames(f -> "error".equals(f.getString("type")), 10);
            assertThat(refused).extracting(f -> f.getString("code")).containsOnly("rate-limited");
            grace.send("{\"type\":\"say\",\"text\":\"I can still talk\"}");
            grace.awaitFrame(f -> isMessage(f) && f.getString("text").equals("I can still talk"));
            // grace's own message was sent after the flood, so every accepted spam arrived before it
            assertThat(grace.json()).filteredOn(DeployedChat::isMessage)
                    .extracting(f -> f.getString("text"))
                    .containsExactlyElementsOf(concat(IntStream.rangeClosed(1, 20).mapToObj(i -> "spam " + i).toList(),
                            "I can still talk"));
        }
    }
    // end::flood-test[]

    @Test
    void aPeerThatStopsAnsweringPingsIsClosedAndLeavesTheRoom() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket heidi = chat.join("heidi", "dead-peer");
             RawWebSocket silent = RawWebSocket.open(chat.ws("dead-peer"),
                     Map.of("Cookie", chat.signIn("ghost"), "Origin", chat.origin()))) {
            heidi.awaitFrame(f -> isPresence(f, "joined", "ghost"));

            // the raw client reads but never answers a ping: to the server it looks like a vanished peer
            Duration hangUp = silent.awaitServerHangUp(Duration.ofSeconds(20));

            assertThat(hangUp).isGreaterThanOrEqualTo(Duration.ofSeconds(2)); // not before a missed heartbeat
            heidi.awaitFrame(f -> isPresence(f, "left", "ghost"));
        }
    }

    @Test
    void aForgedFrameHeaderClaimingATerabyteDoesNotHoldTheConnectionOpen() {
        ChatApi chat = new ChatApi(base);
        try (RawWebSocket forger = RawWebSocket.open(chat.ws("forged"),
                Map.of("Cookie", chat.signIn("ivan"), "Origin", chat.origin()))) {
            // FIN + text, masked, 64-bit length of 2^40 bytes, a mask key, and then no payload at all
            forger.write(new byte[] {(byte) 0x81, (byte) 0xFF, 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4});

            forger.awaitServerHangUp(Duration.ofSeconds(20));
        }
    }

    @Test
    void aLiveConnectionThatAnswersPingsStaysOpenAcrossManyHeartbeats() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket judy = chat.join("judy", "alive")) {
            judy.awaitFrame(f -> "presence".equals(f.getString("type")));

            // the test server beats every 2 s and closes after two missed beats: 7 s spans three beats
            await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(9)).until(() -> !judy.isClosed());
            judy.send("{\"type\":\"say\",\"text\":\"still connected\"}");
            judy.awaitFrame(f -> isMessage(f) && f.getString("text").equals("still connected"));
        }
    }

    @Test
    void aMalformedAfterIdGetsAnErrorEventAndTheUsualHistory() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket kim = chat.join("history-after", Map.of("Cookie", chat.signIn("kim"), "Origin", chat.origin()))) {
            kim.send("{\"type\":\"say\",\"text\":\"before\"}");
            kim.awaitFrame(f -> isMessage(f) && f.getString("text").equals("before"));
        }
        try (RecordingWebSocket lee = chat.join("history-after?after=yesterday",
                Map.of("Cookie", chat.signIn("lee"), "Origin", chat.origin()))) {
            lee.awaitFrame(f -> isPresence(f, "joined", "lee"));

            assertThat(lee.json()).extracting(f -> f.getString("type")).startsWith("error", "message", "presence");
            assertThat(lee.json().get(0).getString("code")).isEqualTo("invalid-after");
            assertThat(lee.json().get(1).getString("text")).isEqualTo("before");
        }
    }

    private static List<String> concat(List<String> head, String last) {
        return java.util.stream.Stream.concat(head.stream(), java.util.stream.Stream.of(last)).toList();
    }
}
