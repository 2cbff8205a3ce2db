package shop.tasks;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;

/**
 * One background task as it travels through the queue: plain JSON, so that any AMQP tool, and a
 * human reading tasks.dead, can understand it.
 *
 * @param to            the e-mail's recipient; empty for reports
 * @param workMs        simulated work; -1 means the worker's default for the type
 * @param failAttempts  teaching knob: the first this-many attempts throw, so retries and
 *                      dead-lettering can be watched; 0 in real use
 */
public record Task(String id, TaskType type, String orderId, String to, long workMs, int failAttempts) {

    /**
     * One provider for the class, looked up once: each static {@code jakarta.json.Json} method asks the ServiceLoader
     * for the provider again, scanning the class path, which cost most of a worker's CPU per task
     * (ThroughputExperiment, JFR). Every class of this module that writes or reads JSON holds such a constant.
     */
    private static final JsonProvider JSON = JsonProvider.provider();

    /** How logs and the dashboard name a task: "email #3f2a9c1e". */
    /** What makes two requests the same: this task without its id (so field order and spacing do not count). */
    public String fingerprint() {
        return IdempotencyKey.fingerprint(new Task("", type, orderId, to, workMs, failAttempts).toJson());
    }

    /** This task under the id an Idempotency-Key makes for it. */
    public Task namedBy(IdempotencyKey key) {
        return new Task(key.idFor(fingerprint()), type, orderId, to, workMs, failAttempts);
    }

    public String label() {
        return type.routingKey() + " #" + id.substring(0, Math.min(8, id.length()));
    }

    public String toJson() {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", id)
                .add("type", type.routingKey())
                .add("orderId", orderId);
        if (!to.isEmpty()) {
            json.add("to", to);
        }
        if (workMs >= 0 || failAttempts > 0) {
            JsonObjectBuilder simulate = JSON.createObjectBuilder();
            if (workMs >= 0) {
                simulate.add("workMs", workMs);
            }
            if (failAttempts > 0) {
                simulate.add("failAttempts", failAttempts);
            }
            json.add("simulate", simulate);
        }
        return json.build().toString();
    }

    /** Reads a task written by {@link #toJson()}; throws on anything else (the worker treats that as a failure). */
    public static Task fromJson(String text) {
        try (var reader = JSON.createReader(new StringReader(text))) {
            JsonObject json = reader.readObject();
            JsonObject simulate = json.containsKey("simulate") ? json.getJsonObject("simulate") : JSON.createObjectBuilder().build();
            return new Task(
                    json.getString("id"),
                    TaskType.of(json.getString("type")).orElseThrow(() -> new IllegalArgumentException("unknown type")),
                    json.getString("orderId"),
                    json.getString("to", ""),
                    simulate.getJsonNumber("workMs") == null ? -1 : simulate.getJsonNumber("workMs").longValue(),
                    simulate.getInt("failAttempts", 0));
        }
    }
}
