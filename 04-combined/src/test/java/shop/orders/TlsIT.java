package shop.orders;

import com.rabbitmq.client.ConnectionFactory;
import course.testkit.PayaraProcess;
import course.testkit.PrivateBroker;
import course.testkit.RecordingWebSocket;
import course.testkit.SelfSignedCertificate;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The shop over TLS end to end, with a self-signed certificate for localhost made at test time: the
 * page over https, the order channel over wss, and the app to a RabbitMQ node of this test's own over
 * amqps. docs/tls.md is the same, by hand.
 */
class TlsIT {

    private static final Duration WORKFLOW = Duration.ofSeconds(30);
    private static final Path DATA = Path.of(System.getProperty("shop.test-data") + "-tls");

    private static SelfSignedCertificate certificate;
    private static PrivateBroker broker;
    private static PayaraProcess shop;
    private static int amqpsPort;
    private static URI https;
    private static URI http;
    private static HttpClient trusting;

    @BeforeAll
    static void startShopOverTls() throws Exception {
        certificate = SelfSignedCertificate.forLocalhost("shop");
        int amqpPort = PayaraProcess.freePort();
        amqpsPort = PayaraProcess.freePort();
        // tag::broker-tls[]
        broker = PrivateBroker.start("shop-tls", amqpPort, List.of(
                "listeners.ssl.default = " + amqpsPort,
                "ssl_options.certfile = " + certificate.certificate(),
                "ssl_options.keyfile = " + certificate.privateKey(),
                "ssl_options.cacertfile = " + certificate.certificate(),
                // The app shows no certificate of its own: it signs in with a user name and password.
                "ssl_options.verify = verify_none",
                "ssl_options.fail_if_no_peer_cert = false"));
        // end::broker-tls[]
        operatorSetsUp(broker, amqpPort);

        int httpPort = PayaraProcess.freePort();
        int httpsPort = PayaraProcess.freePort();
        https = URI.create("https://localhost:" + httpsPort + "/");
        http = URI.create("http://localhost:" + httpPort + "/");
        // tag::shop-tls[]
        shop = PayaraProcess.start("shop-tls", "orders", httpPort, Map.ofEntries(
                // Payara Micro's HTTPS listener shows the certificate under --sslcert from this keystore.
                Map.entry("javax.net.ssl.keyStore", certificate.keystore().toString()),
                Map.entry("javax.net.ssl.keyStorePassword", certificate.password()),
                Map.entry("rabbitmq.port", String.valueOf(amqpsPort)),
                Map.entry("rabbitmq.tls", "true"),
                Map.entry("rabbitmq.tls.truststore", certificate.truststore().toString()),
                Map.entry("rabbitmq.tls.truststore-password", certificate.password()),
                Map.entry("shop.instances", "https://localhost:" + httpsPort),
                Map.entry("shop.data-dir", DATA.toString()),
                Map.entry("shop.work-ms", "50"),
                Map.entry("shop.session-secret", System.getProperty("shop.test-secret")),
                Map.entry("rabbitmq.provision", "false"), // the operator did (operatorSetsUp): no management API here
                Map.entry("board.provision", "false")), // no Web-STOMP board on this private node
                List.of("--sslport", String.valueOf(httpsPort), "--sslcert", certificate.alias()));
        // end::shop-tls[]
        shop.awaitReady()
                .awaitLog(Pattern.compile("shipping service waiting for commands"))
                .awaitLog(Pattern.compile("Progress feed reading"));
        DeployedShop.connected(shop);
        trusting = HttpClient.newBuilder().sslContext(certificate.trustingContext()).build();
    }

    // tag::operator[]
    /**
     * What an operator does once, instead of the demo's BrokerSetup: each role's user with its permissions
     * (rabbitmqctl), then the topology, with an administrator's connection. The shop runs with rabbitmq.provision=false.
     */
    static void operatorSetsUp(PrivateBroker broker, int amqpPort) throws Exception {
        // The roles' users depend on nothing of each other: set up side by side (a parallel stream), as an operator
        // may in several terminals. Each rabbitmqctl is an Erlang VM of its own, about a second; there are 20.
        Stream.of(Role.values()).parallel().forEach(role -> {
            String user = RoleUsers.defaultName(role);
            broker.rabbitmqctl("add_user", user, RoleUsers.password(role));
            broker.rabbitmqctl("set_permissions", "-p", "/", user, role.configure(), role.write(), role.read());
            for (Map.Entry<String, String> topic : role.topicWrites().entrySet()) {
                broker.rabbitmqctl("set_topic_permissions", "-p", "/", user, topic.getKey(), topic.getValue(), "^$");
            }
        });
        ConnectionFactory admin = new ConnectionFactory();
        admin.setPort(amqpPort);
        try (com.rabbitmq.client.Connection connection = admin.newConnection("operator")) {
            OrderTopology.declare(connection, 4); // shop.max-attempts, as the shop is configured
        }
    }
    // end::operator[]

    @AfterAll
    static void stopAll() throws IOException {
        if (shop != null) {
            shop.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (certificate != null) {
            certificate.close();
        }
        if (Files.isDirectory(DATA)) {
            try (Stream<Path> files = Files.walk(DATA)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void aCustomerSignsInOverHttpsOrdersOverWssAndSeesTheOrderShipped() {
        String cookie = signIn(https).headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        String origin = "https://localhost:" + https.getPort();
        URI wss = URI.create("wss://localhost:" + https.getPort() + "/orders?after=-1");

        try (RecordingWebSocket channel = RecordingWebSocket.open(trusting, wss, Map.of("Cookie", cookie, "Origin", origin))) {
            channel.awaitFrame(f -> f.getString("type").equals("welcome"));
            String correlationId = UUID.randomUUID().toString();
            channel.send("{\"type\":\"place\",\"orderId\":\"" + UUID.randomUUID() + "\",\"item\":\"mug\",\"payment\":\"tok_visa\",\"correlationId\":\""
                    + correlationId + "\"}");
            String order = channel.awaitFrame(f -> f.getString("type").equals("accepted")
                    && f.getString("correlationId").equals(correlationId)).getString("orderId");

            await("the order to be shipped").atMost(WORKFLOW).until(() -> stages(channel, order).contains("shipped"));
            assertThat(stages(channel, order)).containsExactly("placed", "paid", "reserved", "shipped");
        }
    }

    @Test
    void everyConnectionOfTheAppToRabbitMqIsTls() {
        JsonArray connections = readJson(broker.rabbitmqctl("list_connections", "user", "ssl", "ssl_protocol",
                "--formatter", "json", "--quiet"));

        // The web tier's stream reader and publisher, and the three step services.
        assertThat(connections).as("the app's connections").isNotEmpty();
        assertThat(connections).extracting(c -> c.asJsonObject().getBoolean("ssl")).containsOnly(true);
        assertThat(connections).extracting(c -> c.asJsonObject().getString("ssl_protocol")).allMatch(p -> p.startsWith("tlsv1."));
        // Each as its own user, none as the administrator who set the broker up.
        assertThat(connections).extracting(c -> c.asJsonObject().getString("user")).containsOnly(
                java.util.Arrays.stream(Role.values()).map(RoleUsers::defaultName).toArray(String[]::new));
    }

    @Test
    void aClientWithoutTlsCannotTalkToTheTlsPort() {
        ConnectionFactory plain = new ConnectionFactory();
        plain.setPort(amqpsPort);
        plain.setConnectionTimeout(2_000);
        plain.setHandshakeTimeout(5_000);

        // The TLS listener reads the AMQP protocol header as a broken TLS record, and hangs up.
        assertThatThrownBy(() -> plain.newConnection("plain-to-tls").close())
                .isInstanceOfAny(IOException.class, TimeoutException.class);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotOpenTheShop() {
        // The JDK's default trust, like a browser's, knows no self-signed certificate: a browser shows a warning.
        HttpClient untrusting = HttpClient.newHttpClient();

        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(https).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void theSignInCookieIsSecureOverHttpsAndOnlyThere() {
        String overHttps = signIn(https).headers().firstValue("Set-Cookie").orElseThrow();
        String overHttp = signIn(http).headers().firstValue("Set-Cookie").orElseThrow();

        Pattern secure = Pattern.compile("(?i);\\s*Secure\\s*(;|$)");
        assertThat(overHttps).containsPattern(secure).containsIgnoringCase("HttpOnly");
        assertThat(overHttp).doesNotContainPattern(secure).containsIgnoringCase("HttpOnly");
    }

    private static HttpResponse<String> signIn(URI base) {
        try {
            HttpResponse<String> response = trusting.send(HttpRequest.newBuilder(base.resolve("api/session"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(DemoCustomersTest.ADA_SIGN_IN)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return response;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> stages(RecordingWebSocket channel, String order) {
        return channel.json().stream().filter(f -> f.getString("type").equals("progress")
                && f.getString("orderId").equals(order)).map(f -> f.getString("stage")).toList();
    }

    private static JsonArray readJson(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readArray();
        }
    }
}
