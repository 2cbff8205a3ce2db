package shop.orders;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import course.testkit.RabbitVhost;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The role users of this test run (one per step service and the web tier): named after the run's vhost, created
 * by the shop at start (rabbitmq.provision), and deleted once the shops that use them stop, since deleting the
 * vhost keeps users.
 */
final class RoleUsers {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private RoleUsers() {
    }

    /** The -Drabbitmq.<role>.username every shop of the run is started with ({@link #properties()}). */
    static String name(Role role) {
        return RabbitVhost.name() + "-" + role.key();
    }

    /** The demo password: the tests use the defaults of microprofile-config.properties. */
    static String password(Role role) {
        return defaults().getProperty("rabbitmq." + role.key() + ".password");
    }

    /** The user name a shop uses unless told otherwise, as on a private broker of the test's own. */
    static String defaultName(Role role) {
        return defaults().getProperty("rabbitmq." + role.key() + ".username");
    }

    private static Properties defaults() {
        Properties defaults = new Properties();
        try (InputStream in = RoleUsers.class.getClassLoader().getResourceAsStream("META-INF/microprofile-config.properties")) {
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return defaults;
    }

    /** The -D settings a shop process started by a test needs to use this run's users. */
    static Map<String, String> properties() {
        Map<String, String> properties = new HashMap<>();
        for (Role role : Role.values()) {
            properties.put("rabbitmq." + role.key() + ".username", name(role));
        }
        return properties;
    }

    static Connection connect(Role role) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(RabbitVhost.host());
        factory.setPort(RabbitVhost.port());
        factory.setUsername(name(role));
        factory.setPassword(password(role));
        factory.setVirtualHost(RabbitVhost.name());
        return factory.newConnection("as-" + role.key());
    }

    static void deleteAll() {
        for (Role role : Role.values()) {
            int status = send("DELETE", name(role)).statusCode();
            if (status != 204 && status != 404) {
                throw new IllegalStateException("Deleting the broker user " + name(role) + " answered " + status);
            }
        }
    }

    private static HttpResponse<String> send(String method, String user) {
        String credentials = Base64.getEncoder().encodeToString(
                (RabbitVhost.username() + ":" + RabbitVhost.password()).getBytes(StandardCharsets.UTF_8));
        String managementPort = System.getenv().getOrDefault("RABBITMQ_MANAGEMENT_PORT", "15672");
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + RabbitVhost.host() + ":" + managementPort
                            + "/api/users/" + RabbitVhost.encode(user)))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Basic " + credentials)
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
