package shop.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import course.testkit.RawRequest;
import course.testkit.ServerRefusals;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The producer's contract, with no worker running: 202 means the broker has it, a full queue gets 503,
 * a repeated Idempotency-Key makes no second task, and bad input queues nothing.
 */
class TaskApiIT extends DeployedProducer {

    @Test
    void anAcceptedTaskIsInTheQueueBeforeThe202Arrives() throws Exception {
        try (TestBroker broker = TestBroker.connect()) {
            long before = broker.ready(TaskTopology.QUEUE);

            HttpResponse<String> response = api().submit("{\"type\":\"report\",\"orderId\":\"A-1001\"}");

            assertThat(response.statusCode()).isEqualTo(202);
            JsonObject task = TaskApi.json(response);
            assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
                    location -> assertThat(location).endsWith("/api/tasks/" + task.getString("id")));
            // No waiting: the 202 was sent after the broker's confirm, so the task is already there.
            assertThat(broker.ready(TaskTopology.QUEUE)).isEqualTo(before + 1);
            assertThat(api().status(task.getString("id")).getString("status")).isEqualTo("QUEUED");
        }
    }

    @Test
    void tasksWaitInTheQueueWhileNoWorkerRuns() throws Exception {
        try (TestBroker broker = TestBroker.connect()) {
            long before = broker.ready(TaskTopology.QUEUE);
            for (int i = 0; i < 50; i++) {
                api().email("B-" + i);
            }
            assertThat(broker.ready(TaskTopology.QUEUE)).isEqualTo(before + 50);
        }
    }

    static Stream<Arguments> badTasks() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"type\":\"email\",", 400, "not valid JSON"),
                Arguments.of("not an object", "[1,2,3]", 400, "must be a JSON object"),
                Arguments.of("empty body", "", 400, "body is empty"),
                Arguments.of("unknown type", "{\"type\":\"sms\",\"orderId\":\"A-1\"}", 400, "\"type\" must be"),
                Arguments.of("unknown field", "{\"type\":\"report\",\"orderId\":\"A-1\",\"priority\":9}", 400, "Unknown field(s) [priority]"),
                Arguments.of("missing order", "{\"type\":\"report\"}", 400, "\"orderId\" is required"),
                Arguments.of("bad order id", "{\"type\":\"report\",\"orderId\":\"A 1; DROP\"}", 400, "\"orderId\" must be"),
                Arguments.of("email without recipient", "{\"type\":\"email\",\"orderId\":\"A-1\"}", 400, "\"to\" is required"),
                Arguments.of("bad recipient", "{\"type\":\"email\",\"orderId\":\"A-1\",\"to\":\"nobody\"}", 400, "e-mail address"),
                Arguments.of("simulate out of range", "{\"type\":\"report\",\"orderId\":\"A-1\",\"simulate\":{\"workMs\":1e30}}", 400, "\"workMs\" must be"),
                Arguments.of("unknown simulate field", "{\"type\":\"report\",\"orderId\":\"A-1\",\"simulate\":{\"crash\":true}}", 400, "in \"simulate\""),
                Arguments.of("oversized body", "{\"type\":\"report\",\"orderId\":\"A-1\",\"pad\":\"" + "x".repeat(20_000) + "\"}", 413, "at most 16384 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTasks")
    void badInputGetsAProblemAndQueuesNothing(String what, String body, int status, String detail) throws Exception {
        try (TestBroker broker = TestBroker.connect()) {
            long before = broker.ready(TaskTopology.QUEUE);

            HttpResponse<String> response = api().submit(body);

            assertThat(response.statusCode()).isEqualTo(status);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonObject problem = TaskApi.json(response);
            assertThat(problem.getInt("status")).isEqualTo(status);
            assertThat(problem.getString("detail")).contains(detail).contains("Nothing was queued");
            assertThat(broker.ready(TaskTopology.QUEUE)).isEqualTo(before);
        }
    }

    // tag::idempotent-retry[]
    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheSameTaskAndQueuesItOnce() throws Exception {
        try (TestBroker broker = TestBroker.connect()) {
            long before = broker.ready(TaskTopology.QUEUE);
            String key = "\"" + UUID.randomUUID() + "\"";
            String body = "{\"type\":\"email\",\"orderId\":\"K-1\",\"to\":\"ada@example.com\"}";

            HttpResponse<String> first = api().submit(body, key);
            HttpResponse<String> retry = api().submit(body, key);
            HttpResponse<String> reordered = api().submit("{\"to\":\"ada@example.com\", \"orderId\":\"K-1\",\"type\":\"email\"}", key);

            assertThat(List.of(first, retry, reordered)).allSatisfy(response -> {
                assertThat(response.statusCode()).isEqualTo(202);
                assertThat(response.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
                assertThat(TaskApi.json(response).getString("id")).isEqualTo(TaskApi.json(first).getString("id"));
            });
            assertThat(broker.ready(TaskTopology.QUEUE)).as("one task, however often it was sent").isEqualTo(before + 1);
        }
    }
    // end::idempotent-retry[]

    @Test
    void tenRacingRequestsWithOneKeyMakeOneTask() throws Exception {
        try (TestBroker broker = TestBroker.connect()) {
            long before = broker.ready(TaskTopology.QUEUE);
            String key = "\"" + UUID.randomUUID() + "\"";
            String body = "{\"type\":\"email\",\"orderId\":\"K-2\",\"to\":\"ada@example.com\"}";

            List<CompletableFuture<HttpResponse<String>>> racing = IntStream.range(0, 10)
                    .mapToObj(i -> api().submitAsync(body, key)).toList();

            List<HttpResponse<String>> responses = racing.stream().map(CompletableFuture::join).toList();
            assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(202);
            assertThat(responses).extracting(response -> TaskApi.json(response).getString("id")).hasSize(10).containsOnly(
                    TaskApi.json(responses.get(0)).getString("id"));
            assertThat(broker.ready(TaskTopology.QUEUE)).as("one message in the queue, so one e-mail").isEqualTo(before + 1);
        }
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndQueuesNothing() throws Exception {
        try (TestBroker broker = TestBroker.connect()) {
            String key = "\"" + UUID.randomUUID() + "\"";
            api().submit("{\"type\":\"report\",\"orderId\":\"K-3\"}", key);
            long before = broker.ready(TaskTopology.QUEUE);

            HttpResponse<String> reused = api().submit("{\"type\":\"report\",\"orderId\":\"K-4\"}", key);

            assertThat(reused.statusCode()).isEqualTo(422);
            assertThat(reused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(TaskApi.json(reused).getString("type")).isEqualTo("/problems/idempotency-key-reused");
            assertThat(TaskApi.json(reused).getString("detail")).contains("Nothing was queued");
            assertThat(broker.ready(TaskTopology.QUEUE)).isEqualTo(before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"8e03978e-40d5-43e8-bc93-6894a57f9324", "\"\"", "\"a\", \"b\"", "\"unterminated"})
    void aMalformedIdempotencyKeyIs400AndQueuesNothing(String field) throws Exception {
        try (TestBroker broker = TestBroker.connect()) {
            long before = broker.ready(TaskTopology.QUEUE);

            HttpResponse<String> response = api().submit("{\"type\":\"report\",\"orderId\":\"K-5\"}", field);

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(TaskApi.json(response).getString("type")).isEqualTo("/problems/invalid-idempotency-key");
            assertThat(TaskApi.json(response).getString("detail")).contains("one quoted string").contains("Nothing was queued");
            assertThat(broker.ready(TaskTopology.QUEUE)).isEqualTo(before);
        }
    }

    // tag::queue-full[]
    @Test
    void aFullQueueAnswers503AndQueuesNothing() throws Exception {
        try (TestBroker broker = TestBroker.connect()) {
            // Fill the queue to its x-max-length (tasks.max-length, 10,000 by default) as a batch job would.
            broker.fillUntilRefused(10_000);
            long full = broker.ready(TaskTopology.QUEUE);
            try {
                HttpResponse<String> refused = api().submit("{\"type\":\"report\",\"orderId\":\"F-full\"}", "\"" + UUID.randomUUID() + "\"");

                // An optimistic 202 (before the broker's answer) would pass every other test here, not this one.
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(TaskApi.json(refused).getString("detail")).contains("refused the task").contains("The task was not accepted");
                assertThat(broker.ready(TaskTopology.QUEUE)).isEqualTo(full).isBetween(10_000L, 10_001L);
                assertThat(api().producer().getInt("unconfirmed")).as("no confirm left waiting").isZero();
            } finally {
                broker.purge(TaskTopology.QUEUE);
            }
            assertThat(api().submit("{\"type\":\"report\",\"orderId\":\"F-room\"}").statusCode()).isEqualTo(202);
        }
    }
    // end::queue-full[]

    @Test
    void aWorkQueueDeclaredBeforeWithOtherArgumentsSaysWhatToDelete() {
        try (TestBroker broker = TestBroker.connect()) {
            // The producer declared tasks with x-max-length 10,000: a declare with another length is refused.
            assertThatThrownBy(() -> TaskTopology.declare(broker.connection(), 4, 5))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("The queue 'tasks' exists with other arguments than ")
                    .hasMessageContaining(": delete it (rabbitmqctl delete_queue tasks, or the management UI; its tasks go with it) and start again.")
                    .hasMessageContaining("PRECONDITION_FAILED");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // tag::cross-site-test[]
    /**
     * What a page on another origin can make a visitor's browser send: fetch(..., {mode: 'no-cors', body: blob}) with no
     * Content-Type, sendBeacon with text/plain, a form url-encoded. Refused: 403 with a foreign Origin, 415 if not JSON.
     */
    @Test
    void writesFromAnotherOriginOrNotInJsonAreRefusedAndQueueNothing() throws Exception {
        TaskApi api = api();
        String task = "{\"type\":\"report\",\"orderId\":\"X-1\"}";
        String evil = "http://127.0.0.1:1"; // another origin: another host name and port
        try (TestBroker broker = TestBroker.connect()) {
            long before = broker.ready(TaskTopology.QUEUE);
            var body = HttpRequest.BodyPublishers.ofString(task);
            assertProblem(api.post(body, "Origin", evil), 403, "foreign-origin"); // fetch no-cors with a blob
            assertProblem(api.post(body, "Origin", evil, "Content-Type", "text/plain;charset=UTF-8"), 403, "foreign-origin"); // sendBeacon
            assertProblem(api.post(body, "Origin", evil, "Content-Type", "application/x-www-form-urlencoded"), 403, "foreign-origin");
            assertProblem(api.post(body, "Origin", "null"), 403, "foreign-origin"); // a sandboxed page
            // JSON from another origin needs a CORS preflight, which this server never grants; refused all the same.
            assertProblem(api.post(body, "Origin", evil, "Content-Type", "application/json"), 403, "foreign-origin");
            assertProblem(api.post(body), 415, "json-only"); // no Origin, no Content-Type
            assertProblem(api.post(body, "Content-Type", "text/plain"), 415, "json-only");
            assertProblem(api.post(body, "Content-Type", "*/*"), 415, "json-only");
            assertThat(broker.ready(TaskTopology.QUEUE)).isEqualTo(before);

            // The dashboard's own requests carry this server's origin and JSON; curl and tests send no Origin: both served.
            assertThat(api.post(body, "Origin", api.origin(), "Content-Type", "application/json").statusCode()).isEqualTo(202);
            assertThat(api.post(body, "Content-Type", "application/json").statusCode()).isEqualTo(202);
            assertThat(broker.ready(TaskTopology.QUEUE)).isEqualTo(before + 2);
        }
    }
    // end::cross-site-test[]

    // tag::abuse-body-test[]
    /** A body of 3000 '[' was a 500 with an HTML stack trace; a body of any size was read. Both are a 4xx problem now. */
    @Test
    void jsonNestedTooDeepIs400AndABodyOverTheLimitIs413WhetherItsLengthIsSaidOrNot() throws Exception {
        TaskApi api = api();
        try (TestBroker broker = TestBroker.connect()) {
            long before = broker.ready(TaskTopology.QUEUE);
            assertProblem(api.submit("[".repeat(3000) + "]".repeat(3000)), 400, "too-deeply-nested");
            assertProblem(api.submit("{\"type\":\"report\",\"orderId\":\"A-1\",\"simulate\":" + "{\"x\":".repeat(2000)
                    + "1" + "}".repeat(2001)), 400, "too-deeply-nested");
            // A client that says 50 MB is coming is refused before one byte of the body is read.
            String head = "POST /api/tasks HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 52428800\r\nConnection: close\r\n\r\n";
            try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                // The server may keep the connection open to drain the body it never asked for: read up to the problem's end.
                java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
                byte[] buffer = new byte[4096];
                try {
                    for (int n; !read.toString(java.nio.charset.StandardCharsets.UTF_8).contains("Nothing was queued.")
                            && (n = socket.getInputStream().read(buffer)) > 0; ) {
                        read.write(buffer, 0, n);
                    }
                } catch (java.net.SocketTimeoutException e) {
                    throw new AssertionError("no whole answer within 10 s, only: " + read, e);
                }
                assertThat(read.toString(java.nio.charset.StandardCharsets.UTF_8)).startsWith("HTTP/1.1 413")
                        .contains("application/problem+json", "/problems/body-too-large", "at most 16384 bytes (tasks.max-body-bytes)");
            }
            // Chunked: no Content-Length to refuse up front, so the limit counts the bytes as they come.
            byte[] big = ("{\"type\":\"report\",\"orderId\":\"A-1\"" + " ".repeat(20_000) + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertProblem(api.post(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)),
                    "Content-Type", "application/json"), 413, "body-too-large");
            assertThat(broker.ready(TaskTopology.QUEUE)).isEqualTo(before);
            api.accepted("{\"type\":\"report\",\"orderId\":\"A-2\"}"); // and the producer serves the next client
        }
    }
    // end::abuse-body-test[]

    /**
     * Found by fuzzing: an unknown path, an unparseable Content-Type and a request to upgrade to HTTP/2 got the
     * server's HTML page; a charset it does not know was taken as UTF-8. Each is a 4xx problem+json now, whose end a
     * client on a kept-alive connection can see, and nothing is queued.
     */
    @Test
    void whatTheServerRefusesBeforeTheApplicationIsAProblemThatEndsAndQueuesNothing() throws Exception {
        String task = "{\"type\":\"report\",\"orderId\":\"C-1\"}";
        try (TestBroker broker = TestBroker.connect()) {
            long before = broker.ready(TaskTopology.QUEUE);
            ServerRefusals.assertRefusedAsProblems(base, task, "/api/tasks");
            assertThat(broker.ready(TaskTopology.QUEUE)).isEqualTo(before);
        }
    }

    /**
     * Found by fuzzing: a handshake the container refuses (no Host, a declared body, a version it does not speak)
     * got the server's HTML page or a 500; each is a 4xx problem+json now.
     */
    @Test
    void aBrokenHandshakeIsRefusedAsAProblem() {
        ServerRefusals.assertBrokenHandshakesRefusedAsProblems(base, DashboardEndpoint.PATH);
    }

    /**
     * Found by FuzzIT: a method the server does not know answered 501 (a server error, for the client's mistake), and
     * a WebSocket handshake to a path next to the dashboard's got the server's HTML 404 page. A 405 problem+json and
     * a 404 problem now; the dashboard's own handshake still opens.
     */
    @Test
    void anUnknownMethodIs405AndAHandshakeToAnotherPathIs404BothProblems() throws Exception {
        String[] handshake = {"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="};
        for (String method : List.of("G\u00c9T", "FOO")) {
            RawRequest.Answer unknown = RawRequest.send(base, method, "/", "", SECONDS_10);
            assertRawProblem(unknown, 405);
            assertThat(unknown.header("Allow")).as(unknown.toString()).isEqualTo("GET, HEAD, OPTIONS");
        }
        for (String path : List.of("/dashboard/", "/dashboard/x", "/dashboards")) {
            RawRequest.Answer nearMiss = RawRequest.send(base, "GET", path, "", SECONDS_10, handshake);
            // The problem, not the server's page, Content-Type included (an early flush of the answer lost it)
            ServerRefusals.assertProblem(nearMiss, 404);
            assertThat(nearMiss.body()).as(nearMiss.toString()).contains("/problems/http-404", "\"status\":404");
        }
        try (course.testkit.RawWebSocket dashboard = course.testkit.RawWebSocket.open(
                URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/dashboard"), java.util.Map.of())) {
            assertThat(dashboard.nextFrame(SECONDS_10)).as("the dashboard's first snapshot")
                    .hasValueSatisfying(frame -> assertThat(frame.text()).contains("\"accepted\""));
        }
    }

    private static final java.time.Duration SECONDS_10 = java.time.Duration.ofSeconds(10);

    private static void assertRawProblem(RawRequest.Answer answer, int status) {
        ServerRefusals.assertProblem(answer, status);
    }

    private static JsonObject assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonObject problem = TaskApi.json(response);
        assertThat(problem.getString("type")).isEqualTo("/problems/" + code);
        assertThat(problem.getString("detail")).endsWith("Nothing was queued.");
        return problem;
    }

    @Test
    void anUnknownTaskIs404AndAMalformedIdIs400() {
        HttpResponse<String> unknown = api().get("/api/tasks/00000000-0000-0000-0000-000000000000");
        HttpResponse<String> malformed = api().get("/api/tasks/not-a-task-id");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(TaskApi.json(unknown).getString("type")).isEqualTo("/problems/unknown-task");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(TaskApi.json(malformed).getString("type")).isEqualTo("/problems/invalid-id");
    }

    @Test
    void anotherSitesPageCannotOpenTheDashboard() {
        URI dashboard = URI.create(base.toString().replace("http", "ws") + "dashboard");

        var refused = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "https://evil.example")
                .buildAsync(dashboard, new WebSocket.Listener() { });

        assertThat(refused).failsWithin(10, TimeUnit.SECONDS)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(WebSocketHandshakeException.class, e -> {
                    assertThat(e.getResponse().statusCode()).isEqualTo(403);
                    assertThat(String.valueOf(e.getResponse().body())).contains("forbidden-origin");
                });
    }
}
