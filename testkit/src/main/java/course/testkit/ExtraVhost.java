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
        String name = RabbitVhost.name() + "-" + suffix;
        RabbitVhost.put("/api/vhosts/" + RabbitVhost.encode(name), "{}");
        RabbitVhost.put("/api/permissions/" + RabbitVhost.encode(name) + "/" + RabbitVhost.encode(RabbitVhost.username()),
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
        return new ExtraVhost(name);
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        String port = Optional.ofNullable(System.getenv("RABBITMQ_MANAGEMENT_PORT")).filter(p -> !p.isBlank()).orElse("15672");
        String credentials = Base64.getEncoder().encodeToString(
                (RabbitVhost.username() + ":" + RabbitVhost.password()).getBytes(StandardCharsets.UTF_8));
        HttpRequest delete = HttpRequest.newBuilder(URI.create("http://" + RabbitVhost.host() + ":" + port
                        + "/api/vhosts/" + RabbitVhost.encode(name)))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Basic " + credentials).DELETE().build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(delete, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("DELETE vhost " + name + " answered " + response.statusCode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
