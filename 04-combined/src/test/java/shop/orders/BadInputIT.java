package shop.orders;

import course.testkit.ContainerDefects;
import course.testkit.RawRequest;
import course.testkit.RawWebSocket;
import course.testkit.RecordingWebSocket;
import course.testkit.ServerRefusals;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failure lab 4: bad input over the WebSocket gets a clear error frame, nothing is started, the
 * connection stays usable, and other customers are not affected. Refused handshakes get a problem.
 */
class BadInputIT extends DeployedShop {

    private static final Duration WORKFLOW = Duration.ofSeconds(20);
    private Customer carol;

    @BeforeEach
    void connect() {
        carol = Customer.signIn(base, WorkflowIT.unique("carol")).connect(base);
    }

    @AfterEach
    void disconnect() {
        carol.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{not json                                                             | malformed-json",
        "[1,2,3]                                                               | malformed-json",
        "{\"type\":\"refund\"}                                                 | unknown-type",
        "{\"type\":\"ping\",\"admin\":\"true\"}                                | unknown-field",
        "{\"type\":\"place\",\"item\":\"mug\",\"payment\":\"tok_visa\"}         | invalid-correlationid",
        "{\"type\":\"place\",\"orderId\":\"5d0f7a3e-1c2b-4e5f-8a9b-0c1d2e3f4a5b\",\"item\":\"piano\",\"payment\":\"tok_visa\",\"correlationId\":\"c-12345678\"} | unknown-item",
        "{\"type\":\"place\",\"orderId\":\"5d0f7a3e-1c2b-4e5f-8a9b-0c1d2e3f4a5b\",\"item\":\"mug\",\"payment\":\"4242424242424242\",\"correlationId\":\"c-12345678\"} | invalid-payment",
        "{\"type\":\"place\",\"orderId\":\"5d0f7a3e-1c2b-4e5f-8a9b-0c1d2e3f4a5b\",\"item\":\"mug\",\"payment\":7,\"correlationId\":\"c-12345678\"} | invalid-field",
        "{\"type\":\"place\",\"item\":\"mug\",\"payment\":\"tok_visa\",\"correlationId\":\"c-12345678\"} | invalid-orderid",
        "{\"type\":\"place\",\"orderId\":\"../../payment/charge-x\",\"item\":\"mug\",\"payment\":\"tok_visa\",\"correlationId\":\"c-12345678\"} | invalid-orderid",
        "{\"type\":\"answer\",\"orderId\":\"42\",\"choice\":\"accept\",\"correlationId\":\"c-12345678\"} | invalid-orderid",
        "{\"type\":\"answer\",\"orderId\":\"5d0f7a3e-1c2b-4e5f-8a9b-0c1d2e3f4a5b\",\"choice\":\"maybe\",\"correlationId\":\"c-12345678\"} | invalid-choice",
    })
    void aBadFrameGetsAClearErrorAndStartsNothing(String frame, String code) {
        carol.channel().send(frame);

        JsonObject error = carol.awaitError(code);
        assertThat(error.getString("detail")).isNotBlank();
        assertStartedNothingAndStillWorks();
    }

    @Test
    void anAnswerToAQuestionNeverAskedIsRefused() {
        carol.answer(UUID.randomUUID().toString(), "accept");
        assertThat(carol.awaitError("no-such-question").getString("detail")).startsWith("You have no open question");

        // An order of an item in stock asks nothing either, even once it exists.
        String order = carol.place("mug", "tok_visa");
        carol.awaitLast(order, WORKFLOW);
        carol.answer(order, "cancel");
        carol.channel().awaitFrames(f -> f.getString("type").equals("error") && f.getString("code").equals("no-such-question"), 2);
        assertThat(effect("payment", "refund", order)).isFalse();
    }

    @Test
    void anAnswerGivenTwiceKeepsTheFirstAndSaysSo() throws Exception {
        String order = carol.place("poster", "tok_visa");
        carol.channel().awaitFrame(f -> f.getString("type").equals("progress")
                && f.getString("orderId").equals(order) && f.getString("stage").equals("backordered"));

        carol.answer(order, "accept");
        carol.answer(order, "cancel");

        assertThat(carol.awaitError("already-answered").getString("detail")).contains("the first answer stands");
        assertThat(carol.awaitLast(order, WORKFLOW)).endsWith("delay_accepted", "shipped");
        assertThat(effect("payment", "refund", order)).isFalse();
        try (ShopBroker broker = ShopBroker.connect(); ShopBroker.StreamReader stream = broker.readStream()) {
            org.awaitility.Awaitility.await().atMost(WORKFLOW).untilAsserted(() ->
                    assertThat(stream.stages(order)).containsExactly("placed", "paid", "backordered", "delay_accepted", "shipped"));
        }
    }

    @Test
    void anOversizedFrameClosesTheChannelWith1009AndOthersCarryOn() {
        try (Customer dave = Customer.signIn(base, WorkflowIT.unique("dave")).connect(base)) {
            carol.channel().send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(OrderEndpoint.MAX_FRAME) + "\"}");

            assertThat(carol.channel().awaitClose(Duration.ofSeconds(10))).isEqualTo(1009);
            String order = dave.place("mug", "tok_visa");
            assertThat(dave.awaitLast(order, WORKFLOW)).endsWith("shipped");
        }
    }

    @Test
    void aBinaryFrameIsRefusedWith1003() {
        carol.channel().sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));

        assertThat(carol.channel().awaitClose(Duration.ofSeconds(10))).isEqualTo(1003);
    }

    @Test
    void aFloodIsCutToTenFramesASecondAndOtherCustomersAreNotSlowed() {
        try (Customer dave = Customer.signIn(base, WorkflowIT.unique("dave")).connect(base)) {
            for (int i = 0; i < 50; i++) {
                carol.channel().send("{\"type\":\"ping\"}");
            }
            carol.awaitError("too-many-frames");
            long pongs = carol.channel().json().stream().filter(f -> f.getString("type").equals("pong")).count();
            assertThat(pongs).isLessThanOrEqualTo(2L * OrderEndpoint.FRAMES_PER_SECOND);

            String order = dave.place("mug", "tok_visa");
            assertThat(dave.awaitLast(order, WORKFLOW)).endsWith("shipped");
        }
    }

    @Test
    void aHandshakeWithoutASessionIsRefusedWith403() {
        URI channel = URI.create("ws" + Customer.at(base, "orders").toString().substring(4));
        assertThat(RecordingWebSocket.refusedHandshakeStatus(channel, Map.of("Origin", Customer.origin(base)))).isEqualTo(403);
    }

    @Test
    void aHandshakeFromAForeignPageIsRefusedWith403EvenWithAValidSession() {
        URI channel = URI.create("ws" + Customer.at(base, "orders").toString().substring(4));
        Map<String, String> headers = new java.util.HashMap<>(carol.headers(base));
        headers.put("Origin", "https://evil.example");
        assertThat(RecordingWebSocket.refusedHandshakeStatus(channel, headers)).isEqualTo(403);
    }

    @Test
    void aForgedSessionCookieIsRefused() {
        URI channel = URI.create("ws" + Customer.at(base, "orders").toString().substring(4));
        String forged = SignIns.COOKIE + "=admin." + (System.currentTimeMillis() / 1000 + 3600) + ".AAAA";
        assertThat(RecordingWebSocket.refusedHandshakeStatus(channel,
                Map.of("Origin", Customer.origin(base), "Cookie", forged))).isEqualTo(403);
    }

    @Test
    void aMalformedSignInGetsAProblem() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(Customer.at(base, "api/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
        assertThat(response.body()).contains("malformed-json");
    }

    /**
     * Found by fuzzing: a charset the server does not know was a 500; an unknown path, an unparseable Content-Type
     * and a request to upgrade to HTTP/2 got the server's HTML page. Each is a 4xx problem+json now, whose end a
     * client on a kept-alive connection can see.
     */
    @Test
    void whatTheServerRefusesBeforeTheApplicationIsAProblemThatEndsAndAnUnknownCharsetIs415() {
        String body = "{\"name\":\"ada\",\"password\":\"x\"}";
        ServerRefusals.assertRefusedAsProblems(base, body, "/api/session", "/api/sync/orders", "/api/sync/payment",
                "/api/sync/inventory", "/api/sync/shipping");
    }

    /**
     * Found by fuzzing: a handshake the container refuses (no Host, a declared body, a version it does not speak)
     * got the server's HTML page or a 500; each is a 4xx problem+json now.
     */
    @Test
    void aBrokenHandshakeIsRefusedAsAProblem() {
        ServerRefusals.assertBrokenHandshakesRefusedAsProblems(base, "/orders");
    }

    /**
     * Found by fuzzing: a page that left while its replay ran made the replay's consumer throw; the client closed that
     * channel under the replay, the broker then closed the progress feed's whole connection ("second 'channel.open'
     * seen"), and every customer's live updates stopped until it reconnected, {@code GET /api/services} saying 503.
     */
    @Test
    void pagesThatLeaveDuringTheirReplayDoNotStopAnyonesLiveUpdates() throws Exception {
        String order = carol.place("mug", "tok_visa");
        carol.awaitLast(order, WORKFLOW);
        Map<String, Integer> restartsBefore = restarts(); // the shop is shared with other classes: count from here
        URI replaying = URI.create("ws" + Customer.at(base, "orders?after=-1").toString().substring(4));
        for (int i = 0; i < 30; i++) {
            RawWebSocket.open(replaying, carol.headers(base)).close(); // leaves at once: its replay has just started
        }

        try (Customer dave = Customer.signIn(base, WorkflowIT.unique("dave")).connect(base)) {
            String daves = dave.place("mug", "tok_visa");
            assertThat(dave.awaitLast(daves, WORKFLOW)).containsExactly("placed", "paid", "reserved", "shipped");
        }
        assertThat(restarts()).as("consumer restarts by service").isEqualTo(restartsBefore);
    }

    /** What {@code GET /api/services} says, healthy (200), as each consumer's restarts so far. */
    private Map<String, Integer> restarts() throws Exception {
        HttpResponse<String> services = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                Customer.at(base, "api/services")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(services.statusCode()).as(services.body()).isEqualTo(200);
        return Json.parse(services.body()).getJsonArray("services").getValuesAs(JsonObject.class).stream()
                .collect(java.util.stream.Collectors.toMap(s -> s.getString("service"), s -> s.getInt("restarts")));
    }

    /**
     * Found by fuzzing: an {@code Upgrade: websocket} header on a path that has no WebSocket got the server's HTML page.
     * It gets the problem now; its Content-Type header, though, the container drops on a request that asked for an
     * upgrade (the fuzz test tolerates that as a container defect, see testkit's ContainerDefects).
     */
    @Test
    void anUpgradeHeaderWhereNoWebSocketIsGetsAProblem() {
        RawRequest.Answer answer = RawRequest.send(base, "GET", "/index.html+", "", SECONDS_10, "Upgrade: websocket",
                "Connection: Upgrade");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
        assertThat(answer.body()).as(answer.toString()).contains("\"type\":\"/problems/http-404\"", "\"status\":404");
    }

    /**
     * Found by fuzzing: a handshake that says "Upgrade: websocket" without "Connection: Upgrade" got a 500 and the
     * server's HTML page from the WebSocket container. It is the client's error: a 400 problem.
     */
    @Test
    void aHandshakeWithoutConnectionUpgradeIs400() {
        String[] handshake = carol.headers(base).entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .toArray(String[]::new);
        String[] withoutConnection = java.util.stream.Stream.concat(java.util.Arrays.stream(handshake), java.util.stream.Stream.of(
                "Upgrade: websocket", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")).toArray(String[]::new);
        RawRequest.Answer answer = RawRequest.send(base, "GET", "/orders?after=0", "", SECONDS_10, withoutConnection);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.body()).as(answer.toString()).contains("\"type\":\"/problems/not-a-handshake\"");
    }

    /** Found by fuzzing: a method no HTTP server knows (none at all, FOO) was a 501, the server's error; it is the client's. */
    @ParameterizedTest(name = "method \"{0}\" on {1}")
    @CsvSource(delimiter = '|', value = {"'' | /index.html", "FOO | /index.html", "'' | /", "FOO | /no-such-page"})
    void aMethodNoServerKnowsIs405(String method, String path) {
        assertRawProblem(RawRequest.send(base, method, path, "", SECONDS_10), 405);
    }

    /**
     * A text frame that is not UTF-8 is refused with 1007 (invalid payload data), by the container, before the shop's
     * code sees it, and nothing is started. The fuzz test sometimes sees a close 1000 with the container's idle-timeout
     * reason instead, after this and other frames; it tolerates that as a container defect (testkit's ContainerDefects),
     * and so does this test, once, loudly, with a second attempt (a clean-clone CI run met it here, 0.2 s into the socket).
     */
    @ParameterizedTest(name = "{0} then 0xC3 0x{1}")
    @CsvSource(delimiter = '|', value = {"{\"type\":\"ping\"} | 28", "{\"type\":\"ping\"} | FF", "{} | 28", "{} | 00"})
    void aTextFrameThatIsNotUtf8IsClosedWith1007(String json, String secondByte) {
        byte[] text = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bad = java.util.Arrays.copyOf(text, text.length + 2);
        bad[text.length] = (byte) 0xC3;
        bad[text.length + 1] = (byte) Integer.parseInt(secondByte, 16);
        List<RawWebSocket.Frame> frames = framesAfter(bad);
        // One container defect is met once, loudly, with a second attempt: its sign is exact (ContainerDefects).
        if (!frames.isEmpty() && ContainerDefects.EARLY_IDLE_TIMEOUT_CLOSE.matcher().test(frames.get(frames.size() - 1))) {
            System.out.println("[container defect] " + ContainerDefects.EARLY_IDLE_TIMEOUT_CLOSE.name() + ": " + frames
                    + "; sending the frame once more");
            frames = framesAfter(bad);
        }
        List<RawWebSocket.Frame> answer = frames;
        assertThat(answer).as(answer.toString()).last().satisfies(f -> assertThat(f.closeCode()).isEqualTo(1007));
        assertStartedNothingAndStillWorks();
    }

    /** The frames the server sends after a text frame of these bytes and a ping, up to its close frame. */
    private List<RawWebSocket.Frame> framesAfter(byte[] bad) {
        URI channel = URI.create("ws" + Customer.at(base, "orders").toString().substring(4));
        try (RawWebSocket socket = RawWebSocket.open(channel, carol.headers(base))) {
            socket.write(RawWebSocket.clientFrame(0x81, bad));
            socket.write(RawWebSocket.clientFrame(0x89, new byte[] {1, 2, 3})); // a ping right behind it
            List<RawWebSocket.Frame> frames = new java.util.ArrayList<>();
            java.util.Optional<RawWebSocket.Frame> frame;
            do {
                frame = socket.nextFrame(SECONDS_10);
                frame.ifPresent(frames::add);
            } while (frame.isPresent() && frame.get().opcode() != RawWebSocket.Frame.CLOSE);
            return frames;
        }
    }

    private static final Duration SECONDS_10 = Duration.ofSeconds(10);

    private static void assertRawProblem(RawRequest.Answer answer, int status) {
        ServerRefusals.assertProblem(answer, status);
    }

    // tag::sign-in-tests[]
    @Test
    void aWrongPasswordAndAnUnknownNameGetTheSame401() {
        String known = WorkflowIT.unique("erin");
        HttpResponse<String> wrongPassword = Customer.postSession(base, known, "not-" + TestCustomers.PASSWORD, "203.0.113.1");
        HttpResponse<String> unknownName = Customer.postSession(base, "nobody-" + UUID.randomUUID().toString().substring(0, 8),
                TestCustomers.PASSWORD, "203.0.113.1");

        for (HttpResponse<String> refused : java.util.List.of(wrongPassword, unknownName)) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
            assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
        }
        assertThat(unknownName.body()).isEqualTo(wrongPassword.body()).contains("Wrong name or password.");
    }

    @Test
    void signInAttemptsAreLimitedPerNameWhateverTheAddressWith429AndRetryAfter() {
        String name = WorkflowIT.unique("frank");
        for (int i = 1; i <= 5; i++) { // shop.sign-ins-per-name-per-minute, each from another address
            assertThat(Customer.postSession(base, name, "guess-" + i, "198.51.100." + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> limited = Customer.postSession(base, name, TestCustomers.PASSWORD, "198.51.100.6");

        assertThat(limited.statusCode()).as("even the right password, once the name's tries are used up").isEqualTo(429);
        assertThat(limited.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
        assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
                seconds -> assertThat(seconds).isBetween(1L, 60L));
        assertThat(limited.body()).contains("too-many-sign-ins");
    }

    @Test
    void signInAttemptsAreLimitedPerAddressWhateverTheName() {
        String address = "192.0.2." + (1 + new java.util.Random().nextInt(250));
        for (int i = 1; i <= 20; i++) { // shop.sign-ins-per-address-per-minute, each for another name
            assertThat(Customer.postSession(base, WorkflowIT.unique("guess"), "wrong", address).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> limited = Customer.postSession(base, WorkflowIT.unique("grace"), TestCustomers.PASSWORD, address);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        // Another address is not held up by it.
        assertThat(Customer.postSession(base, WorkflowIT.unique("grace"), TestCustomers.PASSWORD, "192.0.2.254").statusCode())
                .isEqualTo(200);
    }

    @Test
    void aBurstOfSignInsFromManyAddressesIsTurnedAwayWith429InsteadOfQueued() throws Exception {
        int burst = 40; // each from its own address, for a name nobody has: no per-name or per-address limit applies,
        // and each costs a full check (an unknown name is checked against a dummy hash of 600,000 iterations)
        List<HttpResponse<String>> answers = new java.util.ArrayList<>();
        try (var clients = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<HttpResponse<String>>> sent = new java.util.ArrayList<>();
            for (int i = 1; i <= burst; i++) {
                String address = "203.0.113." + (100 + i);
                String nobody = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
                sent.add(clients.submit(() -> Customer.postSession(base, nobody, "wrong", address)));
            }
            for (var answer : sent) {
                answers.add(answer.get());
            }
        }

        // 2 checks at once (shop.password-checks-at-once), about 0.5 s each, and 2 s of waiting for a turn:
        // some are checked (401), the rest turned away with 429, not queued for 10 s and more.
        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(401, 429).contains(401, 429);
        assertThat(answers).filteredOn(a -> a.statusCode() == 429).allSatisfy(busy -> {
            assertThat(busy.body()).contains("sign-ins-busy");
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
        });
    }

    @Test
    void aNewSignInRevokesTheOldTokenAndClosesItsSocketWith1008() {
        Customer firstBrowser = Customer.signIn(base, WorkflowIT.unique("heidi")).connect(base);
        Customer secondBrowser = Customer.signIn(base, firstBrowser.name).connect(base);

        assertThat(firstBrowser.channel().awaitClose(Duration.ofSeconds(10))).isEqualTo(1008);
        assertThat(firstBrowser.channel().closeReason()).isEqualTo("signed out");
        assertThat(firstBrowser.get(base, "api/session").statusCode()).as("the old token").isEqualTo(204);
        URI channel = URI.create("ws" + Customer.at(base, "orders").toString().substring(4));
        assertThat(RecordingWebSocket.refusedHandshakeStatus(channel, firstBrowser.headers(base))).isEqualTo(403);
        assertThat(secondBrowser.get(base, "api/session").body()).contains(firstBrowser.name);
        secondBrowser.close();
    }
    // end::sign-in-tests[]

    /** Frames are handled in order: once the ping after the bad frame is answered, the bad one was handled. */
    private void assertStartedNothingAndStillWorks() {
        carol.channel().send("{\"type\":\"ping\"}");
        carol.channel().awaitFrame(f -> f.getString("type").equals("pong"));
        assertThat(carol.channel().json()).noneMatch(f -> f.getString("type").equals("accepted"));
        assertThat(carol.get(base, "api/orders").body()).isEqualTo("[]");
    }
}
