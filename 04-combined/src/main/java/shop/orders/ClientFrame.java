package shop.orders;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A frame from the customer's page, checked before anything is started: {@code place} an order,
 * {@code answer} a question, or {@code ping}. Anything else is refused with an error code the
 * page can show; no command is published for a frame that fails here.
 */
public record ClientFrame(String type, Map<String, String> fields) {

    private static final JsonProvider JSON = JsonProvider.provider();

    /** Why a frame was refused: a code for the page, a sentence for the person. */
    public static final class Refused extends Exception {
        private final String code;

        Refused(String code, String detail) {
            super(detail);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private static final Map<String, Set<String>> FIELDS = Map.of(
            "place", Set.of("type", "orderId", "item", "payment", "correlationId"),
            "answer", Set.of("type", "orderId", "choice", "correlationId"),
            "ping", Set.of("type"));
    static final Pattern CORRELATION_ID = Pattern.compile("[A-Za-z0-9-]{8,64}");
    static final Pattern ORDER_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern PAYMENT_TOKEN = Pattern.compile("tok_[a-z]{1,30}");

    // tag::parse[]
    public static ClientFrame parse(String text) throws Refused {
        JsonObject json;
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            json = reader.readObject();
        } catch (JsonException | IllegalStateException | ClassCastException e) {
            throw new Refused("malformed-json", "A frame is one JSON object, for example {\"type\":\"ping\"}.");
        }
        String type = json.get("type") instanceof JsonString s ? s.getString() : "";
        Set<String> allowed = FIELDS.get(type);
        if (allowed == null) {
            throw new Refused("unknown-type", "The type must be place, answer or ping.");
        }
        Map<String, String> fields = new java.util.HashMap<>();
        for (Map.Entry<String, JsonValue> field : json.entrySet()) {
            if (!allowed.contains(field.getKey())) {
                throw new Refused("unknown-field", "A '" + type + "' frame has no field '" + field.getKey() + "'.");
            }
            if (!(field.getValue() instanceof JsonString value)) {
                throw new Refused("invalid-field", "The field '" + field.getKey() + "' must be a string.");
            }
            fields.put(field.getKey(), value.getString());
        }
        ClientFrame frame = new ClientFrame(type, fields);
        frame.check();
        return frame;
    }

    // tag::check[]
    private void check() throws Refused {
        switch (type) {
            case "place" -> {
                require("correlationId", CORRELATION_ID, "8-64 characters of A-Z, a-z, 0-9 or '-'");
                if (Catalog.find(fields.get("item")).isEmpty()) {
                    throw new Refused("unknown-item", "The item must be one of " + Catalog.ITEMS.keySet() + ".");
                }
                require("payment", PAYMENT_TOKEN, "a payment token such as tok_visa");
                // The page makes the order's id, once per click: a resend of the same click is the same order.
                require("orderId", ORDER_ID, "a new order id the page made, a UUID in lower case");
            }
            case "answer" -> {
                require("correlationId", CORRELATION_ID, "8-64 characters of A-Z, a-z, 0-9 or '-'");
                require("orderId", ORDER_ID, "the order's id");
                require("choice", Pattern.compile("accept|cancel"), "accept or cancel");
            }
            default -> { }
        }
    }
    // end::check[]
    // end::parse[]

    private void require(String field, Pattern pattern, String expected) throws Refused {
        String value = fields.get(field);
        if (value == null || !pattern.matcher(value).matches()) {
            throw new Refused("invalid-" + field.toLowerCase(java.util.Locale.ROOT), "The field '" + field + "' must be " + expected + ".");
        }
    }

    public String get(String field) {
        return fields.get(field);
    }
}
