package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import course.testkit.FuzzFrames;
import course.testkit.FuzzRequests;
import course.testkit.FuzzRun;
import course.testkit.PayaraProcess;
import course.testkit.RawWebSocket;
import course.testkit.RecordingWebSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Issue 13, item 6: every endpoint fuzzed. Jazzer generates inputs for as long as {@code -Dfuzz.duration} says (CI:
 * 30 s; the full size: {@code -Dfuzz.duration=10m}); each is an HTTP request to one of the chat's endpoints
 * ({@link FuzzRequests}) or frames on a signed-in chat WebSocket ({@link FuzzFrames}), and each answer must be a
 * 4xx problem+json, an error frame or a refusal's close code: never a 5xx, a stack trace or a hang (testkit's
 * verdicts). Meanwhile a well-behaved member of another room chats, and must be served within its bound.
 *
 * <p>The server is another process: Jazzer's coverage guidance sees only this client's code, so the inputs are
 * mutation-driven generation from the fuzzer's bytes, not coverage-guided search of the server.
 */
class FuzzIT {

    private static final List<String> PATHS = List.of("/api/session", "/api/rooms/support/messages?after=0",
            "/api/rooms/lobby/messages", "/api/page-extensions", "/chat/support", "/", "/index.html", "/app.js",
            "/no-such-page");
    private static final List<String> FIELDS = List.of("name", "password", "type", "text");
    private static final List<String> HANDSHAKE_HEADERS = List.of("Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");

    private static PayaraProcess server;
    private static URL base;
    private static ChatApi chat;
    private static FuzzRequests requests;
    private static FuzzFrames frames;
    private static FuzzRun run;
    private static RecordingWebSocket bystanderSocket;
    /** The fuzzer's own session: its requests may sign it out; it signs in again every {@value #RESIGN_EVERY} inputs. */
    private static volatile String fuzzerCookie;
    /** The session of the fuzzed WebSockets: no generated request carries it, so none signs it out. */
    private static String socketCookie;
    private static long inputs;
    private static final int RESIGN_EVERY = 50;

    @BeforeAll
    static void start() throws Exception {
        // the tests' own address is a trusted proxy, left out of the per-address limits, as in DeployedChat.settings
        server = PayaraProcess.start("chat-fuzz", "chat", Map.of(
                "chat.data-dir", Path.of("target", "fuzz-data-" + UUID.randomUUID()).toAbsolutePath().toString(),
                "chat.trusted-proxies", "127.0.0.1,0:0:0:0:0:0:0:1",
                "chat.unlimited-addresses", "127.0.0.1,0:0:0:0:0:0:0:1")).awaitReady();
        base = URI.create("http://localhost:" + server.port() + "/").toURL();
        chat = new ChatApi(base);
        fuzzerCookie = chat.signIn("fuzzer");
        socketCookie = chat.signIn("fuzzer-socket");
        requests = new FuzzRequests(base, PATHS, FIELDS, () -> {
            List<String> lines = new java.util.ArrayList<>(HANDSHAKE_HEADERS);
            lines.add("Cookie: " + fuzzerCookie);
            return lines;
        });
        frames = new FuzzFrames(List.of("type", "text", "to", "room"), List.of("say", "whisper", "note", "error"),
                ChatEndpoint.MAX_FRAME_BYTES);
        // tag::bystander[]
        String bystander = chat.signIn("bystander", "203.0.113.7"); // a client of its own address
        bystanderSocket = RecordingWebSocket.open(chat.ws("quiet"), chat.from("203.0.113.7", bystander));
        run = FuzzRun.start("01-websocket-chat", () -> {
            HttpResponse<String> whoAmI = chat.get("/api/session", bystander);
            assertThat(whoAmI.statusCode()).as(whoAmI.body()).isEqualTo(200);
            String text = "hello " + UUID.randomUUID();
            bystanderSocket.send("{\"type\":\"say\",\"text\":\"" + text + "\"}");
            bystanderSocket.awaitFrame(f -> isMessage(f) && text.equals(f.getString("text")));
        });
        // end::bystander[]
    }

    // tag::fuzz[]
    @FuzzTest(maxDuration = "30s")
    void everyEndpointAndTheWebSocket(FuzzedDataProvider data) {
        run.checkBystander();
        if (++inputs % RESIGN_EVERY == 0) {
            fuzzerCookie = chat.signIn("fuzzer");
        }
        if (data.consumeInt(0, 2) > 0) {
            run.http(requests.next(data), base);
        } else {
            try (RawWebSocket socket = RawWebSocket.open(chat.ws("support"), chat.as(socketCookie))) {
                run.frames(socket, frames.next(data));
            }
        }
    }
    // end::fuzz[]

    @AfterAll
    static void finish() throws Exception {
        FuzzRun.finish(run, bystanderSocket, server);
    }

    private static boolean isMessage(jakarta.json.JsonObject frame) {
        return "message".equals(frame.getString("type"));
    }
}
