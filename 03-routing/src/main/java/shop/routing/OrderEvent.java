package shop.routing;

import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * One order event as it travels: a JSON body for the services, and the same facts as JMS message
 * properties, because a selector can only look at properties, never into the body.
 */
public record OrderEvent(String orderId, OrderKey key, BigDecimal amount) {

    /**
     * One provider for the class, looked up once: each static {@code jakarta.json.Json} method looks the provider up
     * again, a ServiceLoader scan of the class path per call. Every class of this module that writes or reads JSON
     * holds such a constant.
     */
    private static final JsonProvider JSON = JsonProvider.provider();

    /** An order id: 1-40 letters, digits or '-'. */
    static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9-]{1,40}");
    static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");

    // tag::checks[]
    /** True if {@code value} is an order id; every order event passes this check, from an HTTP client or a warehouse. */
    public static boolean isOrderId(JsonValue value) {
        return value instanceof JsonString id && ORDER_ID.matcher(id.getString()).matches();
    }

    /** True if {@code value} is an amount, a number from 0 to 1000000000; the same for every order event. */
    public static boolean isAmount(JsonValue value) {
        try {
            return value instanceof JsonNumber number && number.bigDecimalValue().signum() >= 0
                    && number.bigDecimalValue().compareTo(MAX_AMOUNT) <= 0;
        } catch (RuntimeException e) { // an exponent no BigDecimal can hold, such as 1e99999999999
            return false;
        }
    }
    // end::checks[]

    // tag::message[]
    public TextMessage toMessage(Session session) throws JMSException {
        TextMessage message = session.createTextMessage(JSON.createObjectBuilder()
                .add("orderId", orderId).add("region", key.region()).add("event", key.event())
                .add("amount", amount).build().toString());
        message.setStringProperty("orderId", orderId);
        message.setStringProperty("region", key.region());
        message.setStringProperty("event", key.event());
        message.setDoubleProperty("amount", amount.doubleValue()); // selectors compare numbers, not strings
        return message;
    }
    // end::message[]

    /** What makes two requests the same: the validated event (so field order, spacing and 1500 vs 1500.00 do not count). */
    String fingerprint() {
        return IdempotencyKey.fingerprint(key + "\n" + orderId + "\n" + amount.stripTrailingZeros().toPlainString());
    }

    /** The event in a JSON body; an IllegalArgumentException that names what is missing if the body is not one. */
    public static OrderEvent fromJson(String body) {
        JsonObject json;
        try {
            json = JSON.createReader(new StringReader(body)).readObject();
        } catch (JsonException e) {
            throw new IllegalArgumentException("not a JSON object", e);
        }
        String orderId = text(json, "orderId");
        OrderKey key = new OrderKey(text(json, "region"), text(json, "event"));
        if (!(json.get("amount") instanceof JsonNumber amount)) {
            throw new IllegalArgumentException("no number field amount");
        }
        return new OrderEvent(orderId, key, amount.bigDecimalValue());
    }

    private static String text(JsonObject json, String field) {
        if (!(json.get(field) instanceof JsonString value)) {
            throw new IllegalArgumentException("no string field " + field);
        }
        return value.getString();
    }
}
