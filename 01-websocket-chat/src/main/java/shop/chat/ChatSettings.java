package shop.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The chat's limits and policies, read once from MicroProfile Config (defaults in META-INF/microprofile-config.properties). */
@ApplicationScoped
public class ChatSettings {

    @Inject
    @ConfigProperty(name = "chat.allowed-origins")
    Optional<String> allowedOrigins;

    @Inject
    @ConfigProperty(name = "chat.history-on-join")
    int historyOnJoin;

    @Inject
    @ConfigProperty(name = "chat.retained-messages")
    int retainedMessages;

    @Inject
    @ConfigProperty(name = "chat.max-rooms")
    int maxRooms;

    @Inject
    @ConfigProperty(name = "chat.rate-limit.messages")
    int rateLimitMessages;

    @Inject
    @ConfigProperty(name = "chat.rate-limit.window-seconds")
    int rateLimitWindowSeconds;

    @Inject
    @ConfigProperty(name = "chat.heartbeat-seconds")
    int heartbeatSeconds;

    @Inject
    @ConfigProperty(name = "chat.session-hours")
    int sessionHours;

    @Inject
    @ConfigProperty(name = "chat.data-dir")
    String dataDir;

    /** Origins allowed besides the page's own; empty means "same origin only". */
    public List<String> allowedOrigins() {
        return allowedOrigins.map(list -> Arrays.stream(list.split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    public int historyOnJoin() { return historyOnJoin; }

    public int retainedMessages() { return retainedMessages; }

    public int maxRooms() { return maxRooms; }

    public int rateLimitMessages() { return rateLimitMessages; }

    public Duration rateLimitWindow() { return Duration.ofSeconds(rateLimitWindowSeconds); }

    public Duration heartbeat() { return Duration.ofSeconds(heartbeatSeconds); }

    public Duration sessionLifetime() { return Duration.ofHours(sessionHours); }

    public Path dataDir() { return Path.of(dataDir); }
}
