package shop.tasks;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
