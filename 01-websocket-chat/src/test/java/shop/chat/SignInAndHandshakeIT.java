package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import course.testkit.RecordingWebSocket;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who may open the chat: the sign-in contract, and every way a WebSocket handshake is refused before it opens. */
class SignInAndHandshakeIT extends DeployedChat {

    @Test
    void signingInAnswers201WithAnHttpOnlySameSiteStrictSessionCookie() {
        HttpResponse<String> response = new ChatApi(base).post("/api/session", "{\"name\":\"alice\"}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(json(response.body()).getString("name")).isEqualTo("alice");
        assertThat(json(response.body()).getBoolean("member")).isFalse(); // a guest: a name only
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("chat_session=").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict").contains("Path=/");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"name\":\"\"}",
        "{\"name\":\"has space\"}",
        "{\"name\":\"<script>\"}",
        "{\"name\":\"abcdefghijabcdefghijabcdefghijabc\"}", // 33 characters
        "{\"name\":42}",
        "{}",
        "{\"name\":\"alice\",\"role\":\"admin\"}",
        "{\"name\":\"ada\",\"password\":42}",
        "{\"name\":\"ada\",\"password\":\"\"}",
        "[\"alice\"]",
        "not json at all",
    })
    void anInvalidSignInAnswers400WithAProblemDetail(String body) {
        HttpResponse<String> response = new ChatApi(base).post("/api/session", body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonObject problem = json(response.body());
        assertThat(problem.getInt("status")).isEqualTo(400);
        assertThat(problem.getString("type")).isEqualTo("/problems/invalid-sign-in");
        assertThat(problem.getString("detail")).isNotBlank();
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void theSessionEndpointSaysWhoIsSignedInAndRefusesStrangersWith401() {
        ChatApi chat = new ChatApi(base);
        String cookie = chat.signIn("bob");

        assertThat(json(chat.get("/api/session", cookie).body()).getString("name")).isEqualTo("bob");
        HttpResponse<String> stranger = chat.get("/api/session", null);
        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(json(stranger.body()).getString("type")).isEqualTo("/problems/not-signed-in");
    }

    @Test
    void aHandshakeWithoutASessionCookieIsRefusedWith403() {
        ChatApi chat = new ChatApi(base);
        assertThat(RecordingWebSocket.refusedHandshakeStatus(chat.ws("lobby"), Map.of("Origin", chat.origin())))
                .isEqualTo(403);
        assertThat(RecordingWebSocket.refusedHandshakeStatus(chat.ws("lobby"),
                Map.of("Origin", chat.origin(), "Cookie", "chat_session=forged-token"))).isEqualTo(403);
    }

    @Test
    void aHandshakeFromAForeignOrMissingOriginIsRefusedWith403() {
        ChatApi chat = new ChatApi(base);
        String cookie = chat.signIn("carol");

        assertThat(RecordingWebSocket.refusedHandshakeStatus(chat.ws("lobby"),
                Map.of("Cookie", cookie, "Origin", "http://evil.example"))).isEqualTo(403);
        assertThat(RecordingWebSocket.refusedHandshakeStatus(chat.ws("lobby"),
                Map.of("Cookie", cookie, "Origin", chat.origin().replace("localhost", "127.0.0.1")))).isEqualTo(403);
        assertThat(RecordingWebSocket.refusedHandshakeStatus(chat.ws("lobby"), Map.of("Cookie", cookie)))
                .isEqualTo(403);
        // the same cookie from the page's own origin is let in
        try (RecordingWebSocket accepted = chat.join("lobby", Map.of("Cookie", cookie, "Origin", chat.origin()))) {
            accepted.awaitFrame(f -> "presence".equals(f.getString("type")));
        }
    }

    @Test
    void anInvalidRoomNameIsRefusedWith404() {
        ChatApi chat = new ChatApi(base);
        Map<String, String> headers = Map.of("Cookie", chat.signIn("dave"), "Origin", chat.origin());

        assertThat(RecordingWebSocket.refusedHandshakeStatus(chat.ws("Upper"), headers)).isEqualTo(404);
        assertThat(RecordingWebSocket.refusedHandshakeStatus(chat.ws("a".repeat(33)), headers)).isEqualTo(404);
    }

    @Test
    void signingOutClosesThatSessionsOpenConnectionsAndItsCookieNoLongerOpensTheChat() {
        ChatApi chat = new ChatApi(base);
        String cookie = chat.signIn("erin");
        Map<String, String> headers = Map.of("Cookie", cookie, "Origin", chat.origin());
        try (RecordingWebSocket tab = chat.join("signed-out", headers);
             RecordingWebSocket other = chat.join("oscar", "signed-out")) {
            other.awaitFrame(f -> isPresence(f, "joined", "oscar"));

            HttpResponse<String> signOut = chat.send(java.net.http.HttpRequest.newBuilder(chat.uri("/api/session"))
                    .header("Cookie", cookie).DELETE().build());

            assertThat(signOut.statusCode()).isEqualTo(204);
            assertThat(tab.awaitClose(java.time.Duration.ofSeconds(10))).isEqualTo(1008);
            other.awaitFrame(f -> isPresence(f, "left", "erin"));
            assertThat(other.isClosed()).isFalse();
        }
        assertThat(RecordingWebSocket.refusedHandshakeStatus(chat.ws("lobby"), headers)).isEqualTo(403);
    }

    @Test
    void thePollingEndpointReturnsTheMessagesAfterAnIdToSignedInUsersOnly() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket frank = chat.join("frank", "polled")) {
            frank.send("{\"type\":\"say\",\"text\":\"first\"}");
            long first = frank.awaitFrame(DeployedChat::isMessage).getJsonNumber("id").longValue();
            frank.send("{\"type\":\"say\",\"text\":\"second\"}");
            frank.awaitFrames(DeployedChat::isMessage, 2);

            String cookie = chat.signIn("poller");
            HttpResponse<String> poll = chat.get("/api/rooms/polled/messages?after=" + first, cookie);
            assertThat(poll.statusCode()).isEqualTo(200);
            assertThat(Json.createReader(new StringReader(poll.body())).readArray())
                    .extracting(v -> v.asJsonObject().getString("text")).containsExactly("second");

            assertThat(chat.get("/api/rooms/polled/messages?after=0", null).statusCode()).isEqualTo(401);
            HttpResponse<String> badAfter = chat.get("/api/rooms/polled/messages?after=yesterday", cookie);
            assertThat(badAfter.statusCode()).isEqualTo(400);
            assertThat(json(badAfter.body()).getString("type")).isEqualTo("/problems/invalid-after");
        }
    }

    @Test
    void thePageIsServedWithAStrictContentSecurityPolicy() {
        HttpResponse<String> page = new ChatApi(base).get("/", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void aWrongContentTypeAnswers415AsAProblemDetailToo() {
        ChatApi chat = new ChatApi(base);
        HttpResponse<String> response = chat.send(java.net.http.HttpRequest.newBuilder(chat.uri("/api/session"))
                .header("Content-Type", "text/plain").POST(java.net.http.HttpRequest.BodyPublishers.ofString("alice"))
                .build());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void aSignInBodyOverTheLimitAnswers413AndOthersStillSignIn() {
        ChatApi chat = new ChatApi(base);
        HttpResponse<String> large = chat.post("/api/session", "{\"name\":\"" + "a".repeat(512 * 1024) + "\"}");
        assertProblem(large, 413, "/problems/body-too-large");

        // 50 MB, announced with Expect: 100-continue: refused on its length, before any of it is sent
        HttpResponse<String> huge = chat.send(java.net.http.HttpRequest.newBuilder(chat.uri("/api/session"))
                .header("Content-Type", "application/json").expectContinue(true)
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[50 * 1024 * 1024])).build());
        assertProblem(huge, 413, "/problems/body-too-large");

        // a body without a length (chunked) is cut at the limit too
        HttpResponse<String> chunked = chat.send(java.net.http.HttpRequest.newBuilder(chat.uri("/api/session"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(new byte[64 * 1024]))).build());
        assertProblem(chunked, 413, "/problems/body-too-large");

        assertThat(chat.signIn("after-large")).startsWith("chat_session=");
    }

    @Test
    void jsonNestedDeeperThanTheLimitAnswers400AsAProblemDetailNeverA500() {
        HttpResponse<String> deep = new ChatApi(base).post("/api/session", "[".repeat(2000) + "]".repeat(2000));

        assertProblem(deep, 400, "/problems/invalid-sign-in");
        assertThat(json(deep.body()).getString("detail")).contains("levels of JSON");
    }

    @Test
    void theChatAddressWithoutAWebSocketUpgradeAnswersAClear4xx() {
        ChatApi chat = new ChatApi(base);
        String cookie = chat.signIn("curious");

        assertProblem(chat.get("/chat", cookie), 404, "/problems/invalid-room");
        HttpResponse<String> plain = chat.get("/chat/support", cookie);
        assertProblem(plain, 426, "/problems/upgrade-required");
    }

    @Test
    void pastThirtySignInsAMinuteFromOneAddressASignInAnswers429AndOtherAddressesStillSignIn() {
        ChatApi chat = new ChatApi(base);
        for (int i = 0; i < 30; i++) {
            assertThat(chat.post("/api/session", "{\"name\":\"many" + i + "\"}", "198.51.100.30").statusCode())
                    .isEqualTo(201);
        }

        assertProblem(chat.post("/api/session", "{\"name\":\"one-more\"}", "198.51.100.30"), 429,
                "/problems/too-many-sign-ins");
        assertThat(chat.signIn("elsewhere", "198.51.100.31")).startsWith("chat_session=");
    }

    @Test
    void pastFiftyConnectionsFromOneAddressAHandshakeAnswers429AndOtherAddressesStillConnect() {
        ChatApi chat = new ChatApi(base);
        Map<String, String> crowd = chat.from("192.0.2.50", chat.signIn("crowd", "192.0.2.50"));
        List<RecordingWebSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                open.add(chat.join("crowd-" + (i % 5), crowd));
            }
            open.forEach(socket -> {
                await().atMost(Duration.ofSeconds(10)).until(() -> socket.isClosed() || !socket.frames().isEmpty());
                assertThat(socket.isClosed()).as("closed: %s", socket.closeReason()).isFalse();
                socket.awaitFrame(f -> isPresence(f, "joined", "crowd"));
            });

            assertThat(RecordingWebSocket.refusedHandshakeStatus(chat.ws("crowd-0"), crowd)).isEqualTo(429);
            try (RecordingWebSocket other = chat.join("crowd-0", chat.from("192.0.2.51", chat.signIn("other", "192.0.2.51")))) {
                other.awaitFrame(f -> isPresence(f, "joined", "other"));
            }
        } finally {
            open.forEach(RecordingWebSocket::close);
        }
        // closed connections count no more: the address may connect again
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            try (RecordingWebSocket again = chat.join("crowd-0", crowd)) {
                again.awaitFrame(f -> isPresence(f, "joined", "crowd"));
            }
        });
    }

    @Test
    void aHandshakeRacingASignOutNeverLeavesAnOpenConnection() throws Exception {
        ChatApi chat = new ChatApi(base);
        for (int i = 0; i < 20; i++) {
            String cookie = chat.signIn("racer");
            Map<String, String> headers = Map.of("Cookie", cookie, "Origin", chat.origin());
            CompletableFuture<RecordingWebSocket> handshake = CompletableFuture.supplyAsync(() -> {
                try {
                    return chat.join("race", headers);
                } catch (CompletionException refused) {
                    return null; // refused with 403: the sign-out came first
                }
            });
            chat.send(java.net.http.HttpRequest.newBuilder(chat.uri("/api/session")).header("Cookie", cookie)
                    .DELETE().build());

            try (RecordingWebSocket raced = handshake.get(20, TimeUnit.SECONDS)) {
                if (raced != null) {
                    assertThat(raced.awaitClose(Duration.ofSeconds(10))).isEqualTo(1008);
                }
            }
        }
    }

    @Test
    void aGuestCannotSignInUnderAMembersNameInAnyCase() {
        ChatApi chat = new ChatApi(base);
        for (String name : List.of("ada", "Ada", "BARBARA")) {
            HttpResponse<String> response = chat.post("/api/session", "{\"name\":\"" + name + "\"}");
            assertProblem(response, 403, "/problems/name-reserved");
            assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
        }
        // with the password, the member signs in, under the member's own spelling
        HttpResponse<String> member = chat.post("/api/session", ChatApi.signInBody("Ada", ChatApi.demoPassword("ada")));
        assertThat(member.statusCode()).isEqualTo(201);
        assertThat(json(member.body()).getString("name")).isEqualTo("ada");
        assertThat(json(member.body()).getBoolean("member")).isTrue();
    }

    @Test
    void aWrongPasswordAndANameThatIsNoMembersGetTheSame401() {
        ChatApi chat = new ChatApi(base);
        HttpResponse<String> wrongPassword = chat.post("/api/session", ChatApi.signInBody("ada", "lovelace-1816"));
        HttpResponse<String> noMember = chat.post("/api/session", ChatApi.signInBody("adah", "lovelace-1815"));

        assertProblem(wrongPassword, 401, "/problems/wrong-name-or-password");
        assertProblem(noMember, 401, "/problems/wrong-name-or-password");
        assertThat(noMember.body()).isEqualTo(wrongPassword.body()); // nothing tells a member's name from another
        assertThat(wrongPassword.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(noMember.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void aMembersNewSignInEndsItsEarlierSessionAndClosesItsSockets() {
        ChatApi chat = new ChatApi(base);
        String first = chat.signInMember("barbara");
        try (RecordingWebSocket firstTab = chat.join("rotated", chat.as(first));
             RecordingWebSocket other = chat.join("olga", "rotated")) {
            // both joined, in whichever order: olga's own list names barbara, or she hears barbara join after her
            other.awaitFrame(f -> isPresence(f, "joined", "barbara")
                    || isPresence(f, "joined", "olga") && online(f).contains("barbara"));

            String second = chat.signInMember("barbara");

            assertThat(second).isNotEqualTo(first);
            assertThat(firstTab.awaitClose(Duration.ofSeconds(10))).isEqualTo(1008);
            assertThat(firstTab.closeReason()).contains("Signed in elsewhere");
            other.awaitFrame(f -> isPresence(f, "left", "barbara"));
            assertThat(chat.get("/api/session", first).statusCode()).isEqualTo(401);
            assertThat(RecordingWebSocket.refusedHandshakeStatus(chat.ws("rotated"), chat.as(first))).isEqualTo(403);
            assertThat(json(chat.get("/api/session", second).body()).getBoolean("member")).isTrue();
        }
        // a guest's sign-in rotates too: the token the browser sent along ends
        String guest = chat.signIn("rotating-guest");
        HttpResponse<String> again = chat.send(java.net.http.HttpRequest.newBuilder(chat.uri("/api/session"))
                .header("Content-Type", "application/json").header("Cookie", guest)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"rotating-guest\"}")).build());
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(chat.get("/api/session", guest).statusCode()).isEqualTo(401);
    }

    static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(json(response.body()).getString("type")).isEqualTo(type);
        assertThat(response.body()).doesNotContain("Exception", "at shop.", "<html");
    }

    static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

}
