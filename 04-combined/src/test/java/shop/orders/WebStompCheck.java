package shop.orders;

import course.testkit.RabbitVhost;
import jakarta.json.JsonObject;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a {@link NeedsWebStomp} test class at once, before any server starts, when the broker has no Web-STOMP
 * listener: one sentence saying what to enable, instead of a page that waits for a connection until it times out.
 * Registered after {@link RabbitVhost} (which checks the broker is there), before the shop boots (DeployedShop.SHOP).
 */
final class WebStompCheck implements BeforeAllCallback {

    static final String ENABLE = "The RabbitMQ plugin rabbitmq_web_stomp is not enabled: "
            + "run `rabbitmq-plugins enable rabbitmq_web_stomp` and start the tests again.";

    @Override
    public void beforeAll(ExtensionContext context) {
        if (context.getRequiredTestClass().isAnnotationPresent(NeedsWebStomp.class)) {
            missing(RabbitVhost.get("/api/overview").asJsonObject()).ifPresent(sentence -> {
                throw new IllegalStateException(sentence);
            });
        }
    }

    /** The sentence to fail with, if the broker's overview lists no Web-STOMP listener. */
    static Optional<String> missing(JsonObject overview) {
        boolean listening = overview.getJsonArray("listeners").getValuesAs(JsonObject.class).stream()
                .anyMatch(l -> l.getString("protocol", "").endsWith("web-stomp"));
        return listening ? Optional.empty() : Optional.of(ENABLE);
    }
}
