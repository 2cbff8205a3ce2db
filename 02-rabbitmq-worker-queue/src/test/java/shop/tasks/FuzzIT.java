package shop.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import course.testkit.FuzzFrames;
import course.testkit.FuzzRequests;
import course.testkit.FuzzRun;
import course.testkit.RabbitVhost;
import course.testkit.RawWebSocket;
import course.testkit.RecordingWebSocket;
import course.testkit.SharedServer;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13, item 6: every endpoint fuzzed. Jazzer generates inputs for as long as {@code -Dfuzz.duration} says (CI:
 * 15 s, this module's pom.xml; the full size: {@code -Dfuzz.duration=10m}); each is an HTTP request to one of the producer's endpoints (the
 * task API, the dashboard's snapshot, health, bookkeeping, the static pages, and WebSocket handshakes to the
 * dashboard and near it: {@link FuzzRequests}) or frames on an open dashboard WebSocket ({@link FuzzFrames}). Each
 * answer must be a 4xx problem+json, or a refusal's close code: never a 5xx, a stack trace or a hang (testkit's
 * verdicts). Meanwhile a well-behaved client submits a task, reads its status and watches the dashboard, and must be
 * served within its bound.
 *
 * <p>The server is another process: Jazzer's coverage guidance sees only this client's code, so the inputs are
 * mutation-driven generation from the fuzzer's bytes, not coverage-guided search of the server.
 */
@ExtendWith(RabbitVhost.class)
class FuzzIT {

    private static final List<String> PATHS = List.of("/api/tasks", "/api/tasks/8e03978e-40d5-43e8-bc93-6894a57f9324",
            "/api/tasks/not-an-id", "/api/dashboard", "/api/health", "/api/producer", "/dashboard", "/", "/index.html",
            "/app.js", "/style.css", "/favicon.svg", "/no-such-page");
    private static final List<String> FIELDS = List.of("type", "orderId", "to", "simulate", "workMs", "failAttempts");
    private static final List<String> HANDSHAKE_HEADERS = List.of("Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
    /** The accepted tasks of the fuzzer wait in the queue (no worker runs): emptied this often, so it never fills. */
    private static final int PURGE_EVERY = 500;

    /**
     * The producer the black-box classes share, the same WAR with the same settings. The fuzz test runs in a failsafe
     * execution of its own (a JVM with Jazzer's agent), so there it is booted once for this class.
     */
    @RegisterExtension
    static final SharedServer server = DeployedProducer.PRODUCER;
    private static URL base;
    private static TaskApi api;
    private static FuzzRequests requests;
    private static FuzzFrames frames;
    private static FuzzRun run;
    private static RecordingWebSocket bystanderSocket;
    private static String knownTask;
    private static long inputs;

    @BeforeAll
    static void start() throws Exception {
        base = server.url();
        api = new TaskApi(base);
        org.awaitility.Awaitility.await("the producer is connected to the broker").atMost(java.time.Duration.ofSeconds(30))
                .until(() -> TaskApi.json(api.get("/api/dashboard")).getString("broker").equals("up"));
        knownTask = api.accepted("{\"type\":\"report\",\"orderId\":\"F-known\"}");
        List<String> paths = new ArrayList<>(PATHS);
        paths.add("/api/tasks/" + knownTask);
        requests = new FuzzRequests(base, paths, FIELDS, () -> {
            List<String> lines = new ArrayList<>(HANDSHAKE_HEADERS);
            lines.add("Idempotency-Key: \"fuzz-" + UUID.randomUUID() + "\"");
            lines.add("Idempotency-Key: \"fuzz-reused\"");
            return lines;
        });
        frames = new FuzzFrames(FIELDS, List.of("email", "report", "snapshot"), 1024); // DashboardEndpoint's limit
        // tag::bystander[]
        bystanderSocket = RecordingWebSocket.open(dashboard(), Map.of());
        run = FuzzRun.start("02-rabbitmq-worker-queue", () -> {
            String id = api.accepted("{\"type\":\"email\",\"orderId\":\"B-1\",\"to\":\"ada@example.com\"}");
            assertThat(api.status(id).getString("status")).isEqualTo("QUEUED");
            int accepted = TaskApi.json(api.get("/api/dashboard")).getInt("accepted");
            bystanderSocket.awaitFrame(f -> f.getInt("accepted", -1) >= accepted); // the push shows the task
        });
        // end::bystander[]
    }

    // tag::fuzz[]
    @FuzzTest(maxDuration = "15s")
    void everyEndpointAndTheDashboardWebSocket(FuzzedDataProvider data) throws Exception {
        run.checkBystander();
        if (++inputs % PURGE_EVERY == 0) {
            try (TestBroker broker = TestBroker.connect()) {
                broker.purge(TaskTopology.QUEUE);
            }
        }
        if (data.consumeInt(0, 2) > 0) {
            run.http(requests.next(data), base);
        } else {
            try (RawWebSocket socket = RawWebSocket.open(dashboard(), Map.of())) {
                run.frames(socket, frames.next(data)); // FrameVerdict: one deadline for the exchange, as the dashboard pushes
            }
        }
    }
    // end::fuzz[]

    @AfterAll
    static void finish() throws Exception {
        try {
            FuzzRun.finish(run, bystanderSocket);
        } finally {
            DeployedProducer.resetBroker(); // the next class finds the topology as the producer declared it, empty
        }
    }

    private static URI dashboard() {
        return URI.create("ws://localhost:" + server.process().port() + "/dashboard");
    }
}
