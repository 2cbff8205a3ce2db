package shop.orders;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The demo's stand-in for an operator: declares the workflow's topology and creates each role's RabbitMQ user
 * once, with the administrator login (rabbitmq.username); with rabbitmq.provision=false an operator has done both.
 */
@ApplicationScoped
public class BrokerSetup {

    private static final Logger LOG = Logger.getLogger(BrokerSetup.class.getName());
    /** HTTP/1.1: the management API (Cowboy) drops a PUT that comes with the JDK client's HTTP/2 upgrade offer. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    Rabbit rabbit;
    @Inject
    ShopSettings settings;
    @Inject @ConfigProperty(name = "rabbitmq.provision")
    boolean provision;
    @Inject @ConfigProperty(name = "rabbitmq.virtual-host")
    String virtualHost;
    @Inject @ConfigProperty(name = "rabbitmq.management-url")
    String managementUrl;
    @Inject @ConfigProperty(name = "rabbitmq.username")
    String adminUsername;
    @Inject @ConfigProperty(name = "rabbitmq.password")
    String adminPassword;

    private boolean usersCreated;

    /**
     * Before a role connects, and again at each reconnect: throws while the broker cannot be set up, and the caller
     * retries as for any outage. The topology is declared every time, so a reconnect restores an exchange an operator
     * deleted by mistake (the roles may not declare it themselves); the users are created once.
     */
    public synchronized void ensure() throws Exception {
        if (!provision) {
            return;
        }
        var factory = rabbit.amqp();
        factory.setAutomaticRecoveryEnabled(false);
        try (com.rabbitmq.client.Connection admin = factory.newConnection("setup")) {
            OrderTopology.declare(admin, settings.maxAttempts());
        }
        if (!usersCreated) {
            for (Role role : Role.values()) {
                provision(role);
            }
            usersCreated = true;
        }
    }

    // tag::provision-roles[]
    /** Idempotent: PUT creates or overwrites the user, its permissions in this vhost, and its topic permissions. */
    private void provision(Role role) throws IOException, InterruptedException {
        Rabbit.Login login = rabbit.login(role);
        // tags "": no management UI, no monitoring, nothing but the permissions below.
        put("/api/users/" + encode(login.username()),
                Json.object().add("password", login.password()).add("tags", "").build().toString());
        put("/api/permissions/" + encode(virtualHost) + "/" + encode(login.username()), Json.object()
                .add("configure", role.configure()).add("write", role.write()).add("read", role.read()).build().toString());
        for (Map.Entry<String, String> topic : role.topicWrites().entrySet()) {
            put("/api/topic-permissions/" + encode(virtualHost) + "/" + encode(login.username()), Json.object()
                    .add("exchange", topic.getKey()).add("write", topic.getValue()).add("read", "^$").build().toString());
        }
        LOG.info(" [*] Broker user '" + login.username() + "' (" + role.key() + "): configure '" + role.configure()
                + "', write '" + role.write() + "', read '" + role.read() + "'");
    }
    // end::provision-roles[]

    private void put(String path, String json) throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString(
                (adminUsername + ":" + adminPassword).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("PUT " + path + " answered " + response.statusCode() + " " + response.body());
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
