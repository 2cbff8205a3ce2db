package shop.orders;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A frame from the customer's page, parsed and checked before anything is started: {@code place} an order,
 * {@code answer} a question, {@code ping}, or the reason it was refused, with an error code the page can show.
 * No command is published for a frame that fails here.
 */
public final class ClientFrame {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "place", Set.of("type", "orderId", "item", "payment", "correlationId"),
            "answer", Set.of("type", "orderId", "choice", "correlationId"),
            "ping", Set.of("type"));
    static final Pattern CORRELATION_ID = Pattern.compile("[A-Za-z0-9-]{8,64}");
    static final Pattern ORDER_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern PAYMENT_TOKEN = Pattern.compile("tok_[a-z]{1,30}");
    private static final Pattern CHOICE = Pattern.compile("accept|cancel");

    /** What {@link #parse} answers: a frame to act on, or why it was refused. */
    public sealed interface Parsed permits Place, Answer, Ping, Invalid {
    }

    /** {@code {"type":"place",...}}: place an order, under the id the page made for it. */
    public record Place(String orderId, String item, String payment, String correlationId) implements Parsed {
    }

    /** {@code {"type":"answer",...}}: the customer's choice for an order's open question. */
    public record Answer(String orderId, String choice, String correlationId) implements Parsed {
    }

    /** {@code {"type":"ping"}}: the page's keep-alive. */
    public record Ping() implements Parsed {
    }

    /** A frame the server refuses: a code for the page, a sentence for the person. */
    public record Invalid(String code, String detail) implements Parsed {
    }

    private ClientFrame() {
    }

    // tag::parse[]
    public static Parsed parse(String text) {
        JsonObject json;
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            json = reader.readObject();
        } catch (JsonException | IllegalStateException | ClassCastException e) {
            return new Invalid("malformed-json", "A frame is one JSON object, for example {\"type\":\"ping\"}.");
        }
        String type = json.get("type") instanceof JsonString s ? s.getString() : "";
        Set<String> allowed = FIELDS.get(type);
        if (allowed == null) {
            return new Invalid("unknown-type", "The type must be place, answer or ping.");
        }
        Map<String, String> fields = new HashMap<>();
        for (Map.Entry<String, JsonValue> field : json.entrySet()) {
            if (!allowed.contains(field.getKey())) {
                return new Invalid("unknown-field", "A '" + type + "' frame has no field '" + field.getKey() + "'.");
            }
            if (!(field.getValue() instanceof JsonString value)) {
                return new Invalid("invalid-field", "The field '" + field.getKey() + "' must be a string.");
            }
            fields.put(field.getKey(), value.getString());
        }
        return switch (type) {
            case "place" -> place(fields);
            case "answer" -> answer(fields);
            default -> new Ping();
        };
    }

    // tag::check[]
    private static Parsed place(Map<String, String> fields) {
        if (!matches(fields, "correlationId", CORRELATION_ID)) {
            return invalid("correlationId", "8-64 characters of A-Z, a-z, 0-9 or '-'");
        }
        if (Catalog.find(fields.get("item")).isEmpty()) {
            return new Invalid("unknown-item", "The item must be one of " + Catalog.ITEMS.keySet() + ".");
        }
        if (!matches(fields, "payment", PAYMENT_TOKEN)) {
            return invalid("payment", "a payment token such as tok_visa");
        }
        // The page makes the order's id, once per click: a resend of the same click is the same order.
        if (!matches(fields, "orderId", ORDER_ID)) {
            return invalid("orderId", "a new order id the page made, a UUID in lower case");
        }
        return new Place(fields.get("orderId"), fields.get("item"), fields.get("payment"), fields.get("correlationId"));
    }
    // end::check[]

    private static Parsed answer(Map<String, String> fields) {
        if (!matches(fields, "correlationId", CORRELATION_ID)) {
            return invalid("correlationId", "8-64 characters of A-Z, a-z, 0-9 or '-'");
        }
        if (!matches(fields, "orderId", ORDER_ID)) {
            return invalid("orderId", "the order's id");
        }
        if (!matches(fields, "choice", CHOICE)) {
            return invalid("choice", "accept or cancel");
        }
        return new Answer(fields.get("orderId"), fields.get("choice"), fields.get("correlationId"));
    }
    // end::parse[]

    private static boolean matches(Map<String, String> fields, String field, Pattern pattern) {
        return fields.get(field) != null && pattern.matcher(fields.get(field)).matches();
    }

    private static Invalid invalid(String field, String expected) {
        return new Invalid("invalid-" + field.toLowerCase(Locale.ROOT), "The field '" + field + "' must be " + expected + ".");
    }
}
