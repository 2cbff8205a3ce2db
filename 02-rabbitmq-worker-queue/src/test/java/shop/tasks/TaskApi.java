package shop.tasks;

import course.testkit.Http;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The producer's HTTP API as a test client uses it. */
final class TaskApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    TaskApi(URL base) {
        this(URI.create(base.toString()));
    }

    TaskApi(URI base) {
        this.base = base;
    }

    HttpResponse<String> submit(String json) {
        return send(HttpRequest.newBuilder(base.resolve("/api/tasks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Submits with an Idempotency-Key header field, given as sent: {@code "\"k-1\""} is the key k-1. */
    HttpResponse<String> submit(String json, String idempotencyKeyField) {
        return send(post(json, idempotencyKeyField));
    }

    /** The same, without waiting: for requests that race. */
    CompletableFuture<HttpResponse<String>> submitAsync(String json, String idempotencyKeyField) {
        return HTTP.sendAsync(post(json, idempotencyKeyField).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder post(String json, String idempotencyKeyField) {
        return HttpRequest.newBuilder(base.resolve("/api/tasks"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKeyField)
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    /** A POST to /api/tasks with exactly these header fields (name, value, ...): as a browser, a form or a script may send it. */
    HttpResponse<String> post(HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/tasks")).POST(body);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    /** This producer's origin, as its own pages send it: http://localhost:port. */
    String origin() {
        return base.getScheme() + "://" + base.getRawAuthority();
    }

    /** The producer's bookkeeping (/api/producer): confirms still outstanding, keys remembered. */
    JsonObject producer() {
        return json(get("/api/producer"));
    }

    /** Submits and insists on 202; returns the new task's id. */
    String accepted(String json) {
        HttpResponse<String> response = submit(json);
        if (response.statusCode() != 202) {
            throw new AssertionError("expected 202 for " + json + " but got " + response.statusCode() + ": " + response.body());
        }
        return json(response).getString("id");
    }

    String email(String orderId) {
        return accepted("{\"type\":\"email\",\"orderId\":\"" + orderId + "\",\"to\":\"ada@example.com\"}");
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    JsonObject status(String id) {
        HttpResponse<String> response = get("/api/tasks/" + id);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET task " + id + " answered " + response.statusCode() + ": " + response.body());
        }
        return json(response);
    }

    static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        return Http.send(HTTP, request.timeout(Duration.ofSeconds(30)).build());
    }
}
