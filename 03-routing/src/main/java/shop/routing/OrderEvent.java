package shop.routing;

import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.math.BigDecimal;

/**
 * One order event as it travels: a JSON body for the services, and the same facts as JMS message
 * properties, because a selector can only look at properties, never into the body.
 */
public record OrderEvent(String orderId, OrderKey key, BigDecimal amount) {

    // tag::message[]
    TextMessage toMessage(Session session) throws JMSException {
        TextMessage message = session.createTextMessage(Json.createObjectBuilder()
                .add("orderId", orderId).add("region", key.region()).add("event", key.event())
                .add("amount", amount).build().toString());
        message.setStringProperty("orderId", orderId);
        message.setStringProperty("region", key.region());
        message.setStringProperty("event", key.event());
        message.setDoubleProperty("amount", amount.doubleValue()); // selectors compare numbers, not strings
        return message;
    }
    // end::message[]

    /** The event in a JSON body; an IllegalArgumentException that names what is missing if the body is not one. */
    static OrderEvent fromJson(String body) {
        JsonObject json;
        try {
            json = Json.createReader(new StringReader(body)).readObject();
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
