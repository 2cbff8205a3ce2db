package shop.orders;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The broker's management API, with the administrator login: how the demo creates its users and their permissions. */
@ApplicationScoped
public class ManagementApi {

    /** HTTP/1.1: the management API (Cowboy) drops a PUT that comes with the JDK client's HTTP/2 upgrade offer. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Looked up once, not per call: {@code jakarta.json.Json}'s static methods look the provider up every time. */
    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject @ConfigProperty(name = "rabbitmq.management-url")
    String managementUrl;
    @Inject @ConfigProperty(name = "rabbitmq.username")
    String adminUsername;
    @Inject @ConfigProperty(name = "rabbitmq.password")
    String adminPassword;
    @Inject @ConfigProperty(name = "rabbitmq.virtual-host")
    String virtualHost;

    public String url() {
        return managementUrl;
    }

    /** Creates or overwrites a user with no tags: no management UI, no monitoring, nothing but its permissions. */
    public void putUser(String username, String password) throws IOException, InterruptedException {
        put("/api/users/" + encode(username), JSON.createObjectBuilder().add("password", password).add("tags", "")
                .build().toString());
    }

    /** The user's permissions in this vhost: what it may configure, write to and read from, as name patterns. */
    public void putPermissions(String username, String configure, String write, String read)
            throws IOException, InterruptedException {
        put("/api/permissions/" + encode(virtualHost) + "/" + encode(username), JSON.createObjectBuilder()
                .add("configure", configure).add("write", write).add("read", read).build().toString());
    }

    /** The routing keys the user may publish with to a topic exchange of this vhost (write), and consume from (read). */
    public void putTopicPermissions(String username, String exchange, String write, String read)
            throws IOException, InterruptedException {
        put("/api/topic-permissions/" + encode(virtualHost) + "/" + encode(username), JSON.createObjectBuilder()
                .add("exchange", exchange).add("write", write).add("read", read).build().toString());
    }

    /** PUT creates or overwrites: every call is idempotent. */
    public void put(String path, String json) throws IOException, InterruptedException {
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

    /** A user or vhost name as one path segment: "/" (the default vhost) is %2F. */
    public static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
