package shop.routing.warehouse;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import shop.routing.OrderEvent;
import shop.routing.OrderKey;

/**
 * What the shop and its warehouse send each other, a pick or a "shipped" answer: {@code {"orderId","region","amount"}}.
 * It comes from outside this server, from whoever may publish to the warehouse's queues, so it is checked as HTTP
 * input is: a bounded size first, then exactly these fields, with the same id and amount checks as
 * {@code POST /api/orders/events}. A refusal says why in a few words and never quotes the message.
 */
final class WarehouseMessage {

    private static final JsonProvider JSON = JsonProvider.provider();

    /** A real one is under 100 bytes; a larger one is refused before it is read, let alone kept or logged. */
    static final int MAX_BYTES = 1024;
    private static final Set<String> FIELDS = Set.of("orderId", "region", "amount");

    /** A message, read: the order event it carries, or why it is refused. */
    sealed interface Parsed permits Valid, Refused {
    }

    /** The order the message is about. */
    record Valid(OrderEvent event) implements Parsed {
    }

    /** Why a message is refused: short, and never the message itself. An expected outcome, not an error. */
    record Refused(String why) implements Parsed {
    }

    private WarehouseMessage() {
    }

    // tag::read[]
    /** The order {@code body} is about, as the event {@code event} ({@code paid} for a pick, {@code shipped} for an answer). */
    static Parsed read(byte[] body, String event) {
        if (body.length > MAX_BYTES) {
            return tooBig(body.length);
        }
        JsonValue value;
        try {
            value = JSON.createReader(new StringReader(new String(body, StandardCharsets.UTF_8))).readValue();
        } catch (RuntimeException e) {
            return new Refused("it is not JSON");
        }
        if (!(value instanceof JsonObject json) || !json.keySet().equals(FIELDS)) {
            return new Refused("it is not a JSON object of exactly orderId, region and amount");
        }
        if (!OrderEvent.isOrderId(json.get("orderId"))) {
            return new Refused("its orderId is not 1-40 letters, digits or '-'");
        }
        if (!(json.get("region") instanceof JsonString region) || !OrderKey.REGIONS.contains(region.getString())) {
            return new Refused("its region is not one of " + String.join(", ", OrderKey.REGIONS));
        }
        if (!OrderEvent.isAmount(json.get("amount"))) {
            return new Refused("its amount is not a number from 0 to 1000000000");
        }
        return new Valid(new OrderEvent(json.getString("orderId"), new OrderKey(region.getString(), event),
                json.getJsonNumber("amount").bigDecimalValue()));
    }
    // end::read[]

    /** The refusal of a message of {@code bytes} over {@link #MAX_BYTES}: callers check the size before anything reads it. */
    static Refused tooBig(long bytes) {
        return new Refused("it has " + bytes + " bytes, at most " + MAX_BYTES);
    }
}
