package shop.tasks;

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
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The broker's management API, with the administrator login: how the demo creates its users and their permissions. */
@ApplicationScoped
public class ManagementApi {

    /** HTTP/1.1: the management API (Cowboy) drops a PUT that comes with the JDK client's HTTP/2 upgrade offer. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Inject @ConfigProperty(name = "rabbitmq.management-url")
    String managementUrl;
    @Inject @ConfigProperty(name = "rabbitmq.username")
    String adminUsername;
    @Inject @ConfigProperty(name = "rabbitmq.password")
    String adminPassword;

    public String url() {
        return managementUrl;
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
