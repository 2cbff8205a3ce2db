package shop.routing;

import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.time.Instant;

/**
 * One thing that happened to one message, as the live page shows it: who ({@code service} instance, or
 * {@code x} for the publisher), through which subscription, which routing key, which message, and the
 * exact log line that was written.
 */
public record Delivery(long seq, Instant at, String service, String subscription, String key, String id, String line) {

    private static final JsonProvider JSON = JsonProvider.provider();

    JsonObject toJson() {
        return JSON.createObjectBuilder()
                .add("seq", seq).add("at", at.toString()).add("service", service).add("subscription", subscription)
                .add("key", key).add("id", id).add("line", line).build();
    }
}
