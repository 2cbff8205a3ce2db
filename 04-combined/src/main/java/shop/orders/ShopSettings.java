package shop.orders;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The shop.* configuration keys, in one place; defaults are in META-INF/microprofile-config.properties. */
@ApplicationScoped
public class ShopSettings {

    /** A comma-separated list, or "none": an empty value would fall back to the default, all three. */
    @Inject @ConfigProperty(name = "shop.services")
    String services;
    @Inject @ConfigProperty(name = "shop.work-ms")
    long workMs;
    @Inject @ConfigProperty(name = "shop.step-consumers")
    int stepConsumers;
    @Inject @ConfigProperty(name = "shop.max-attempts")
    int maxAttempts;
    @Inject @ConfigProperty(name = "shop.confirm-timeout-ms")
    long confirmTimeoutMs;
    @Inject @ConfigProperty(name = "shop.reconnect-max-ms")
    long reconnectMaxMs;
    @Inject @ConfigProperty(name = "shop.data-dir")
    String dataDir;
    @Inject @ConfigProperty(name = "shop.session-secret")
    String sessionSecret;
    @Inject @ConfigProperty(name = "shop.session-lifetime")
    Duration sessionLifetime;
    @Inject @ConfigProperty(name = "shop.instances")
    List<String> instances;
    @Inject @ConfigProperty(name = "shop.allowed-origins")
    Optional<String> allowedOrigins;
    @Inject @ConfigProperty(name = "shop.sign-ins-per-name-per-minute")
    int signInsPerNamePerMinute;
    @Inject @ConfigProperty(name = "shop.sign-ins-per-address-per-minute")
    int signInsPerAddressPerMinute;
    @Inject @ConfigProperty(name = "shop.password-checks-at-once")
    int passwordChecksAtOnce;
    @Inject @ConfigProperty(name = "shop.trusted-proxies")
    Optional<String> trustedProxies;
    @Inject @ConfigProperty(name = "shop.unlimited-addresses")
    Optional<String> unlimitedAddresses;

    /** Whether this process runs the given step service. */
    public boolean runs(Step step) {
        return split(Optional.of(services)).contains(step.service());
    }

    public long workMs() {
        return workMs;
    }

    /** Consumers per step service in this process: the broker shares a queue's commands between them. */
    public int stepConsumers() {
        return Math.max(1, stepConsumers);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public long confirmTimeoutMs() {
        return confirmTimeoutMs;
    }

    /** The longest wait between two attempts to reach the broker (the wait doubles from 1 s up to it). */
    public long reconnectMaxMs() {
        return reconnectMaxMs;
    }

    public Path dataDir() {
        return Path.of(dataDir);
    }

    public String sessionSecret() {
        return sessionSecret;
    }

    public Duration sessionLifetime() {
        return sessionLifetime;
    }

    /** The web instances' base URLs, in the order a page tries them. */
    public List<String> instances() {
        return instances;
    }

    /** The page origins that may open the order WebSocket: every instance's, and any configured. */
    public List<String> allowedOrigins() {
        List<String> origins = new ArrayList<>(instances);
        origins.addAll(split(allowedOrigins));
        return origins;
    }

    public int signInsPerNamePerMinute() {
        return signInsPerNamePerMinute;
    }

    public int signInsPerAddressPerMinute() {
        return signInsPerAddressPerMinute;
    }

    /** Passwords hashed at once on this instance (see {@link PasswordChecks}). */
    public int passwordChecksAtOnce() {
        return passwordChecksAtOnce;
    }

    /** Proxies whose X-Forwarded-For names the client (see {@link ClientAddress}). */
    public List<String> trustedProxies() {
        return split(trustedProxies);
    }

    /** Client addresses the per-address sign-in limit leaves out: a load generator's, say. */
    public List<String> unlimitedAddresses() {
        return split(unlimitedAddresses);
    }

    private static List<String> split(Optional<String> list) {
        return list.stream().flatMap(s -> java.util.Arrays.stream(s.split(","))).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }
}
