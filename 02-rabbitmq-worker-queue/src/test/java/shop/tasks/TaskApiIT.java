package shop.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The producer's contract, with no worker running: 202 means the broker has it, and bad input queues nothing. */
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

    @Test
    void aWrongContentTypeIsRefusedAsAProblem() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "api/tasks"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("report A-1")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
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
