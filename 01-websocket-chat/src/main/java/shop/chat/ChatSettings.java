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

    @Inject
    @ConfigProperty(name = "chat.built-in-rooms")
    String builtInRooms;

    @Inject
    @ConfigProperty(name = "chat.max-rooms-per-user")
    int maxRoomsPerUser;

    @Inject
    @ConfigProperty(name = "chat.empty-room-seconds")
    int emptyRoomSeconds;

    @Inject
    @ConfigProperty(name = "chat.rate-limit.address-messages")
    int rateLimitAddressMessages;

    @Inject
    @ConfigProperty(name = "chat.max-connections")
    int maxConnections;

    @Inject
    @ConfigProperty(name = "chat.max-connections-per-address")
    int maxConnectionsPerAddress;

    @Inject
    @ConfigProperty(name = "chat.max-sessions")
    int maxSessions;

    @Inject
    @ConfigProperty(name = "chat.sign-ins-per-address-per-minute")
    int signInsPerAddressPerMinute;

    @Inject
    @ConfigProperty(name = "chat.max-body-bytes")
    int maxBodyBytes;

    @Inject
    @ConfigProperty(name = "chat.max-json-depth")
    int maxJsonDepth;

    @Inject
    @ConfigProperty(name = "chat.sweep-seconds")
    int sweepSeconds;

    @Inject
    @ConfigProperty(name = "chat.trusted-proxies")
    Optional<String> trustedProxies;

    @Inject
    @ConfigProperty(name = "chat.unlimited-addresses")
    Optional<String> unlimitedAddresses;

    /** Origins allowed besides the page's own; empty means "same origin only". */
    public List<String> allowedOrigins() {
        return list(allowedOrigins);
    }

    public int historyOnJoin() { return historyOnJoin; }

    public int retainedMessages() { return retainedMessages; }

    public int maxRooms() { return maxRooms; }

    public int rateLimitMessages() { return rateLimitMessages; }

    public Duration rateLimitWindow() { return Duration.ofSeconds(rateLimitWindowSeconds); }

    public Duration heartbeat() { return Duration.ofSeconds(heartbeatSeconds); }

    public Duration sessionLifetime() { return Duration.ofHours(sessionHours); }

    public Path dataDir() { return Path.of(dataDir); }

    /** Rooms that always exist, are never evicted and never refused because of other rooms. */
    public List<String> builtInRooms() { return list(Optional.of(builtInRooms)); }

    public int maxRoomsPerUser() { return maxRoomsPerUser; }

    public Duration emptyRoomGrace() { return Duration.ofSeconds(emptyRoomSeconds); }

    public int rateLimitAddressMessages() { return rateLimitAddressMessages; }

    public int maxConnections() { return maxConnections; }

    public int maxConnectionsPerAddress() { return maxConnectionsPerAddress; }

    public int maxSessions() { return maxSessions; }

    public int signInsPerAddressPerMinute() { return signInsPerAddressPerMinute; }

    public int maxBodyBytes() { return maxBodyBytes; }

    public int maxJsonDepth() { return maxJsonDepth; }

    public Duration sweep() { return Duration.ofSeconds(sweepSeconds); }

    /** Peers whose X-Forwarded-For names the real client: the shop's own load balancer, say. */
    public List<String> trustedProxies() { return list(trustedProxies); }

    /** Client addresses that the per-address limits leave out (the tests' own load generator); empty by default. */
    public List<String> unlimitedAddresses() { return list(unlimitedAddresses); }

    private static List<String> list(Optional<String> commaSeparated) {
        return commaSeparated.map(list -> Arrays.stream(list.split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }
}
