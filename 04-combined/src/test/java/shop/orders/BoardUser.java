package shop.orders;

import course.testkit.RabbitVhost;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The board's RabbitMQ user of this test run: the shared shop (DeployedShop) is started with a name after the run's
 * vhost, creates it at start (board.provision), and the tests delete it once that shop stops, since deleting the
 * vhost keeps users.
 */
final class BoardUser {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private BoardUser() {
    }

    /** The shared shop's -Dboard.username (DeployedShop). */
    static String name() {
        return RabbitVhost.name() + "-board";
    }

    static boolean exists() {
        return send("GET").statusCode() == 200;
    }

    static void delete() {
        int status = send("DELETE").statusCode();
        if (status != 204 && status != 404) {
            throw new IllegalStateException("Deleting the board user " + name() + " answered " + status);
        }
    }

    private static HttpResponse<String> send(String method) {
        String credentials = Base64.getEncoder().encodeToString(
                (RabbitVhost.username() + ":" + RabbitVhost.password()).getBytes(StandardCharsets.UTF_8));
        String managementPort = System.getenv().getOrDefault("RABBITMQ_MANAGEMENT_PORT", "15672");
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + RabbitVhost.host() + ":" + managementPort
                            + "/api/users/" + RabbitVhost.encode(name())))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Basic " + credentials)
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
