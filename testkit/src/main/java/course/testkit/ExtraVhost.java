package course.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * A second RabbitMQ vhost of this test run's own, next to {@link RabbitVhost}'s, for a server that must not share
 * queues with the run's first one (another configuration of the same durable subscriptions); deleted on close.
 * Its name starts with the run's vhost name, so a killed run's leftover is removed with it after two hours.
 */
public final class ExtraVhost implements AutoCloseable {

    private final String name;

    private ExtraVhost(String name) {
        this.name = name;
    }

    /** Creates {@code <run's vhost>-<suffix>} and grants the test user everything on it; needs {@link RabbitVhost} first. */
    public static ExtraVhost create(String suffix) {
        ExtraVhost vhost = new ExtraVhost(RabbitVhost.name() + "-" + suffix);
        vhost.send("PUT", "/api/vhosts/" + RabbitVhost.encode(vhost.name), "{}");
        vhost.send("PUT", "/api/permissions/" + RabbitVhost.encode(vhost.name) + "/" + RabbitVhost.encode(RabbitVhost.username()),
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
        return vhost;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        send("DELETE", "/api/vhosts/" + RabbitVhost.encode(name), null);
    }

    private void send(String method, String path, String json) {
        String port = Optional.ofNullable(System.getenv("RABBITMQ_MANAGEMENT_PORT")).filter(p -> !p.isBlank()).orElse("15672");
        String credentials = Base64.getEncoder().encodeToString(
                (RabbitVhost.username() + ":" + RabbitVhost.password()).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + RabbitVhost.host() + ":" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        // HTTP/1.1: a first request with a body on an HTTP/2 upgrade attempt ends in "EOF reached while reading" here.
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " on the RabbitMQ management API", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
