package shop.routing;

import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
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

    /** The event in a JSON body; a RuntimeException if the body is not one. */
    static OrderEvent fromJson(String body) {
        JsonObject json = Json.createReader(new StringReader(body)).readObject();
        return new OrderEvent(json.getString("orderId"),
                new OrderKey(json.getString("region"), json.getString("event")),
                json.getJsonNumber("amount").bigDecimalValue());
    }
}
