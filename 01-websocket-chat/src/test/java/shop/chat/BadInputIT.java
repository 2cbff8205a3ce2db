package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import course.testkit.RawRequest;
import course.testkit.RawWebSocket;
import course.testkit.RecordingWebSocket;
import course.testkit.ServerRefusals;
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

    @Test
    void aMessageWithALoneSurrogateIsRefusedWithAnErrorAndTheRoomKeepsReceiving() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket uma = chat.join("uma", "surrogate");
             RecordingWebSocket vera = chat.join("vera", "surrogate")) {
            uma.awaitFrame(f -> isPresence(f, "joined", "vera"));

            // a JSON escape of half a surrogate pair: valid JSON, but no UTF-8 text can carry it
            uma.send("{\"type\":\"say\",\"text\":\"broken \\ud800 half\"}");
            uma.send("{\"type\":\"say\",\"text\":\"lone low \\udc00\"}");
            uma.send("{\"type\":\"say\",\"text\":\"a whole pair \\ud83d\\ude00\"}");

            assertThat(uma.awaitFrames(f -> "error".equals(f.getString("type")), 2))
                    .extracting(f -> f.getString("code")).containsOnly("invalid-unicode");
            vera.awaitFrame(f -> isMessage(f) && f.getString("text").equals("a whole pair \uD83D\uDE00"));
            assertThat(vera.json()).filteredOn(DeployedChat::isMessage).hasSize(1);
            assertThat(vera.isClosed()).isFalse();
        }
        try (RecordingWebSocket wes = chat.join("wes", "surrogate")) { // the history holds only the whole message
            wes.awaitFrame(f -> isPresence(f, "joined", "wes"));
            assertThat(wes.json()).filteredOn(DeployedChat::isMessage).extracting(f -> f.getString("text"))
                    .containsExactly("a whole pair \uD83D\uDE00");
        }
    }

    @Test
    void jsonNestedDeeperThanTheLimitGetsAnErrorFrameAndTheConnectionStaysUsable() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket xena = chat.join("xena", "deep-json")) {
            xena.awaitFrame(f -> isPresence(f, "joined", "xena"));

            xena.send("[".repeat(5000) + "]".repeat(5000));
            xena.send("{\"type\":\"say\",\"text\":\"hi\",\"x\":" + "[".repeat(16) + "]".repeat(16) + "}");

            assertThat(xena.awaitFrames(f -> "error".equals(f.getString("type")), 2))
                    .extracting(f -> f.getString("code")).containsOnly("too-deep");
            xena.send("{\"type\":\"say\",\"text\":\"[[[ brackets in text are fine ]]]\"}");
            xena.awaitFrame(f -> isMessage(f) && f.getString("text").startsWith("[[["));
        }
    }

    @Test
    void severalSignInsUnderOneNameShareOneFloodAllowance() {
        ChatApi chat = new ChatApi(base);
        List<RecordingWebSocket> tabs = IntStream.range(0, 3)
                .mapToObj(i -> chat.join("flood-by-name", Map.of("Cookie", chat.signIn("yuri"), "Origin", chat.origin())))
                .toList();
        try (RecordingWebSocket zoe = chat.join("zoe", "flood-by-name")) {
            tabs.forEach(tab -> tab.awaitFrame(f -> isPresence(f, "joined", "zoe")));

            // three sessions, ten messages each: one name, so one allowance of 20
            for (int i = 0; i < 10; i++) {
                for (RecordingWebSocket tab : tabs) {
                    tab.send("{\"type\":\"say\",\"text\":\"spam\"}");
                }
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> tabs.stream()
                    .mapToLong(t -> t.json().stream().filter(f -> "error".equals(f.getString("type"))).count()).sum() == 10);
            zoe.send("{\"type\":\"say\",\"text\":\"I can still talk\"}");
            zoe.awaitFrame(f -> isMessage(f) && f.getString("text").equals("I can still talk"));
            assertThat(zoe.json()).filteredOn(DeployedChat::isMessage).hasSize(21);
        } finally {
            tabs.forEach(RecordingWebSocket::close);
        }
    }

    @Test
    void manyNamesFromOneAddressShareOneFloodAllowanceAndOtherAddressesAreUnaffected() {
        ChatApi chat = new ChatApi(base);
        String address = "203.0.113.21";
        List<RecordingWebSocket> names = IntStream.range(0, 4)
                .mapToObj(i -> chat.join("flood-by-address", chat.from(address, chat.signIn("addr" + i, address))))
                .toList();
        try (RecordingWebSocket neighbour = chat.join("flood-by-address",
                chat.from("203.0.113.22", chat.signIn("neighbour", "203.0.113.22")))) {
            names.forEach(n -> n.awaitFrame(f -> isPresence(f, "joined", "neighbour")));

            // four names, twenty messages each: each name is within its own 20, the address past its 60
            for (int i = 0; i < 20; i++) {
                for (RecordingWebSocket name : names) {
                    name.send("{\"type\":\"say\",\"text\":\"spam\"}");
                }
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> errors(names).size() == 20);
            assertThat(errors(names)).allSatisfy(e -> assertThat(e.getString("message")).contains("from one address"));
            neighbour.send("{\"type\":\"say\",\"text\":\"next door, still talking\"}");
            neighbour.awaitFrame(f -> isMessage(f) && f.getString("text").equals("next door, still talking"));
            assertThat(neighbour.json()).filteredOn(DeployedChat::isMessage).hasSize(61);
        } finally {
            names.forEach(RecordingWebSocket::close);
        }
    }

    /**
     * Found by fuzzing: a refused chat handshake was sent with no length on a connection left open, so a keep-alive
     * client waited forever; an unknown path, an unparseable Content-Type and a request to upgrade to HTTP/2 got the
     * server's HTML page; a charset it does not know was taken as UTF-8. Each is a 4xx problem+json now, whose end a
     * client on a kept-alive connection can see.
     */
    @Test
    void whatTheServerRefusesIsAProblemThatEndsOnAKeptAliveConnection() {
        assertRawProblem(RawRequest.send(base, "GET", "/chat/support", "", SECONDS_10), 426); // a page, not a socket
        assertRawProblem(RawRequest.send(base, "GET", "/chat/support", "", SECONDS_10, "Upgrade: websocket",
                "Connection: Upgrade", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                "Origin: http://127.0.0.1:1"), 403);
        ServerRefusals.assertRefusedAsProblems(base, "{\"name\":\"ada\",\"password\":\"x\"}", "/api/session");
    }

    /**
     * Found by fuzzing: a handshake the container refuses (no Host, a declared body, a version it does not speak)
     * got the server's HTML page or a 500; each is a 4xx problem+json now.
     */
    @Test
    void aBrokenHandshakeIsRefusedAsAProblem() {
        ServerRefusals.assertBrokenHandshakesRefusedAsProblems(base, "/chat/support");
    }

    /**
     * Found by FuzzIT: a request that says "Upgrade: websocket" but is no handshake got the server's HTML page (a POST,
     * 501, "Method PoST is not defined"), or, with a query that does not decode in its Content-Type's charset, a 500
     * naming the exception, as did a form request whose query does not decode (or ends in '%', found in 04) and a handshake to the path "//", which
     * the WebSocket filter fails to parse as a URI; a sign-in that asks for any upgrade never got an answer, as the
     * container keeps its body from the application; a method no servlet knows got a 501. Each is a 4xx problem
     * now (an OPTIONS that asks for an upgrade, with a body, too), Content-Type included: an early flush of the
     * answer lost it, and every header a filter set, on any request with an Upgrade header.
     */
    @Test
    void requestsThatOnlyLookLikeHandshakesAndUnknownMethodsAnswerA4xxProblem() {
        String[] handshake = {"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="};
        RawRequest.Answer utf16 = RawRequest.send(base, "GET", "/no-such-page?a=%", "", SECONDS_10,
                concat(List.of(handshake), "Content-Type: application/json; charset=utf-16").toArray(String[]::new));
        ServerRefusals.assertProblem(utf16, 400);
        assertThat(utf16.body()).as(utf16.toString()).contains("/problems/undecodable-query");
        RawRequest.Answer post = RawRequest.send(base, "PoST", "/", "", SECONDS_10, handshake);
        ServerRefusals.assertProblem(post, 405);
        assertThat(post.body()).as(post.toString()).contains("/problems/http-405");
        RawRequest.Answer upgradeWithBody = RawRequest.send(base, "POST", "/api/session", "{\"name\":\"ada\"}",
                SECONDS_10, "Content-Type: application/json", "Upgrade: foo");
        assertThat(upgradeWithBody.status()).as(upgradeWithBody.toString()).isEqualTo(400);
        assertThat(upgradeWithBody.body()).as(upgradeWithBody.toString()).contains("/problems/upgrade-with-body");
        RawRequest.Answer formQuery = RawRequest.sendBytes(base, ("FOO /api/rooms/support/messages?after=0%zz HTTP/1.0\r\nHost: x\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n3\r\na=b\r\n0\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), false, SECONDS_10);
        assertRawProblem(formQuery, 400);
        assertThat(formQuery.body()).contains("/problems/undecodable-query");
        RawRequest.Answer formQueryCut = RawRequest.sendBytes(base, ("FOO /api/rooms/support/messages?after=0% HTTP/1.0\r\nHost: x\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), false, SECONDS_10);
        assertRawProblem(formQueryCut, 400);
        assertThat(formQueryCut.body()).contains("/problems/undecodable-query");
        RawRequest.Answer doubleSlash = RawRequest.send(base, "GET", "//", "", SECONDS_10, handshake);
        assertThat(doubleSlash.status()).as(doubleSlash.toString()).isEqualTo(400);
        assertThat(doubleSlash.body()).as(doubleSlash.toString()).contains("/problems/unparsable-path");
        RawRequest.Answer doubleSlash10 = RawRequest.sendBytes(base, ("GET // HTTP/1.0\r\n"
                + String.join("\r\n", handshake) + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), false, SECONDS_10);
        assertThat(doubleSlash10.status()).as(doubleSlash10.toString()).isEqualTo(400);
        assertThat(doubleSlash10.body()).as(doubleSlash10.toString()).contains("/problems/unparsable-path");
        RawRequest.Answer optionsWithBody = RawRequest.send(base, "OPTIONS", "/api/session", "{}", SECONDS_10,
                concat(List.of(handshake), "Content-Type: application/json").toArray(String[]::new));
        assertThat(optionsWithBody.status()).as(optionsWithBody.toString()).isEqualTo(400);
        assertThat(optionsWithBody.body()).as(optionsWithBody.toString()).contains("/problems/upgrade-with-body");
        RawRequest.Answer unknown = RawRequest.send(base, "FOO", "/app.js", "", SECONDS_10);
        assertRawProblem(unknown, 405);
        assertThat(unknown.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
    }

    private static final Duration SECONDS_10 = Duration.ofSeconds(10);

    private static void assertRawProblem(RawRequest.Answer answer, int status) {
        ServerRefusals.assertProblem(answer, status);
    }

    private static List<JsonObject> errors(List<RecordingWebSocket> sockets) {
        return sockets.stream().flatMap(s -> s.json().stream()).filter(f -> "error".equals(f.getString("type"))).toList();
    }

    private static List<String> concat(List<String> head, String last) {
        return java.util.stream.Stream.concat(head.stream(), java.util.stream.Stream.of(last)).toList();
    }
}
