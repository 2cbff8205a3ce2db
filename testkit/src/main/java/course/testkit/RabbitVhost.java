package course.testkit;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.http.client.Client;
import com.rabbitmq.http.client.HttpException;
import com.rabbitmq.http.client.domain.ConnectionInfo;
import com.rabbitmq.http.client.domain.ExchangeType;
import com.rabbitmq.http.client.domain.OverviewResponse;
import com.rabbitmq.http.client.domain.UserPermissions;
import com.rabbitmq.http.client.domain.VhostInfo;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A RabbitMQ virtual host of this test run's own, so that nothing a test declares (exchanges, queues,
 * policies, the JMS client's {@code jms.durable.topic}) can meet another run on the same shared broker.
 *
 * <p>Register it before Arquillian, {@code @ExtendWith({RabbitVhost.class, ArquillianExtension.class})}: on
 * the first test class it checks the broker (AMQP port, management API, {@code x-jms-topic} exchange type),
 * creating the vhost through the management HTTP API, grants the test user all permissions on it, and sets
 * the system property {@value #PROPERTY}, which arquillian.xml passes to the server
 * ({@code -Drabbitmq.virtual-host=${rabbitmq.test-vhost}}). It deletes the vhost, and everything in it,
 * when the whole run ends. Vhosts of the same module left behind by a killed run are removed after two hours.
 *
 * <p>The management API is called through Hop ({@code com.rabbitmq:http-client}), the RabbitMQ team's Java client
 * for it: {@link #management()} gives tests the same client, with typed answers ({@code getQueue(vhost, name)}).
 * {@link #connections()} filters the broker's connections to this run's, which Hop has no call for, and
 * {@link #get(String)} stays for raw reads: a node's memory breakdown, which Hop has no method for, and JSON
 * that a check or an experiment reads field by field.
 *
 * <p>Broker settings come from the environment: {@code RABBITMQ_HOST} (localhost), {@code RABBITMQ_PORT}
 * (5672), {@code RABBITMQ_MANAGEMENT_PORT} (15672), {@code RABBITMQ_USERNAME}/{@code RABBITMQ_PASSWORD} (guest).
 */
public final class RabbitVhost implements BeforeAllCallback {

    /** The system property that names this run's vhost. */
    public static final String PROPERTY = "rabbitmq.test-vhost";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RabbitVhost.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
    /** HTTP/1.1: the management API's server closes the connection on an h2c upgrade that carries a body (a PUT). */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String UNUSABLE_URI = "RABBITMQ_HOST, RABBITMQ_PORT or the test user do not make an AMQP URI";
    private static Client management;

    @Override
    public void beforeAll(ExtensionContext context) {
        // The root store lives for the whole run and closes its resources when the run ends.
        Created created = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Created.class, k -> create(), Created.class);
        System.setProperty(PROPERTY, created.name());
    }

    /** This run's vhost; only valid after the extension ran. */
    public static String name() {
        return Optional.ofNullable(System.getProperty(PROPERTY)).orElseThrow(() -> new IllegalStateException(
                "No test vhost yet: register @ExtendWith(RabbitVhost.class) on the test class, before Arquillian."));
    }

    public static String host() {
        return env("RABBITMQ_HOST", "localhost");
    }

    public static int port() {
        return Integer.parseInt(env("RABBITMQ_PORT", "5672"));
    }

    public static String username() {
        return env("RABBITMQ_USERNAME", "guest");
    }

    public static String password() {
        return env("RABBITMQ_PASSWORD", "guest");
    }

    /** A plain AMQP client of the test's own, as the test user on this run's vhost: a producer or consumer the shop does not control. */
    public static ConnectionFactory amqpFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri());
        } catch (URISyntaxException | GeneralSecurityException e) {
            throw new IllegalStateException(UNUSABLE_URI, e);
        }
        return factory;
    }

    /** A JMS client of the test's own, the same way: a JMS producer or consumer the shop does not control. */
    public static RMQConnectionFactory jmsFactory() {
        RMQConnectionFactory factory = new RMQConnectionFactory();
        try {
            factory.setUri(uri()); // the JMS client reads it with the AMQP client's own parser
        } catch (JMSException e) {
            throw new IllegalStateException(UNUSABLE_URI, e);
        }
        return factory;
    }

    /** The test user on this run's vhost, as one AMQP URI: both clients take it, so they cannot disagree. */
    private static String uri() {
        return "amqp://" + encode(username()) + ":" + encode(password()) + "@" + host() + ":" + port() + "/" + encode(name());
    }

    /** GET on the management API, for example {@code "/api/queues/" + vhost} (the caller encodes path parts). */
    public static JsonValue get(String path) {
        HttpResponse<String> response = send(request(path).GET());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return Json.createReader(new StringReader(response.body())).readValue();
    }

    /** The management HTTP API as the test user, through Hop, the RabbitMQ team's client for it. */
    public static synchronized Client management() {
        if (management == null) {
            try {
                // Hop's default: the JDK's HttpClient, on HTTP/1.1, with connect and request timeouts.
                management = new Client(managementUri("/api/").toURL(), username(), password());
            } catch (MalformedURLException | URISyntaxException e) {
                throw new IllegalStateException("RABBITMQ_HOST or RABBITMQ_MANAGEMENT_PORT is not usable in a URL", e);
            }
        }
        return management;
    }

    /** This run's connections, as the broker lists them (Hop has no call for one vhost's, so all are filtered). */
    public static List<ConnectionInfo> connections() {
        return management().getConnections().stream().filter(c -> name().equals(c.getVhost())).toList();
    }

    /** A path segment for the management API: vhost and queue names must be URL-encoded ({@code /} is {@code %2F}). */
    public static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Created create() {
        checkAmqpPort();
        if (overview().getExchangeTypes().stream().map(ExchangeType::getName).noneMatch("x-jms-topic"::equals)) {
            throw new IllegalStateException("The RabbitMQ plugin rabbitmq_jms_topic_exchange is not enabled: "
                    + "run `rabbitmq-plugins enable rabbitmq_jms_topic_exchange` and start the tests again.");
        }
        String prefix = "test-" + Path.of("").toAbsolutePath().getFileName() + "-";
        removeAbandoned(prefix);
        String name = prefix + LocalDateTime.now().format(STAMP) + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        management().createVhost(name);
        management().updatePermissions(name, username(), new UserPermissions(".*", ".*", ".*"));
        return new Created(name);
    }

    /** Deletes vhosts of this module whose time stamp is over two hours old: runs that were killed. */
    private static void removeAbandoned(String prefix) {
        LocalDateTime cutoff = LocalDateTime.now().minusHours(2);
        for (String name : management().getVhosts().stream().map(VhostInfo::getName).toList()) {
            if (name.startsWith(prefix) && name.length() >= prefix.length() + 15) {
                try {
                    LocalDateTime stamp = LocalDateTime.parse(name.substring(prefix.length(), prefix.length() + 15), STAMP);
                    if (stamp.isBefore(cutoff)) {
                        management().deleteVhost(name);
                    }
                } catch (RuntimeException notOurs) {
                    // a name that only looks like ours: leave it alone
                }
            }
        }
    }

    private static void checkAmqpPort() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host(), port()), 3000);
        } catch (IOException e) {
            throw new IllegalStateException("RabbitMQ is not running on " + host() + ":" + port()
                    + ": start it (see the course README, Prerequisites) and run the tests again.", e);
        }
    }

    private static OverviewResponse overview() {
        try {
            return management().getOverview();
        } catch (HttpException e) {
            if (!(e.getCause() instanceof IOException)) {
                throw e; // it answered: with an error of its own, which says more than this sentence
            }
            throw new IllegalStateException("The RabbitMQ management API does not answer on " + host() + ":"
                    + managementPort() + ": run `rabbitmq-plugins enable rabbitmq_management` and start the tests again.", e);
        }
    }

    private static URI managementUri(String path) {
        return URI.create("http://" + host() + ":" + managementPort() + path);
    }

    private static HttpRequest.Builder request(String path) {
        String credentials = Base64.getEncoder().encodeToString((username() + ":" + password()).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(managementUri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + credentials);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int managementPort() {
        return Integer.parseInt(env("RABBITMQ_MANAGEMENT_PORT", "15672"));
    }

    private static String env(String key, String fallback) {
        return Optional.ofNullable(System.getenv(key)).filter(v -> !v.isBlank()).orElse(fallback);
    }

    /** Deletes the vhost when the run's root context closes. */
    private record Created(String name) implements AutoCloseable {
        @Override
        public void close() {
            management().deleteVhost(name);
        }
    }
}
