package shop.routing;

import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /api/orders/events}: publishes one order event, {@code {"key":"order.eu.paid","orderId":"A-1001","amount":1250.00}},
 * after checking it; a bad key or body is refused with problem+json and nothing is published.
 */
@Path("/orders/events")
public class OrderEventsResource {

    static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9-]{1,40}");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");

    @Inject
    OrderPublisher publisher;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response publish(String body) throws JMSException {
        JsonValue value = JsonBody.read(body);
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            return Problem.badRequest("malformed-json", "Not a JSON object",
                    "The body is a JSON object: {\"key\":\"order.eu.paid\",\"orderId\":\"A-1001\",\"amount\":1250.00}.");
        }
        JsonObject json = value.asJsonObject();
        if (!Set.of("key", "orderId", "amount").containsAll(json.keySet())) {
            return Problem.badRequest("unknown-field", "Unknown field", "Only the fields key, orderId and amount are allowed.");
        }
        if (!(json.get("key") instanceof JsonString key)) {
            return Problem.badRequest("empty-key", "No routing key", "Give a key such as order.eu.paid.");
        }
        OrderKey orderKey;
        switch (OrderKey.parse(key.getString())) {
            case OrderKey.Invalid invalid -> {
                return Problem.badRequest(invalid.code(), invalid.title(), invalid.detail());
            }
            case OrderKey.Valid valid -> orderKey = valid.key();
        }
        if (!(json.get("orderId") instanceof JsonString id) || !ORDER_ID.matcher(id.getString()).matches()) {
            return Problem.badRequest("invalid-order-id", "Invalid order id",
                    "orderId is 1-40 characters of letters, digits or '-'.");
        }
        if (!(json.get("amount") instanceof JsonNumber amount) || amount.bigDecimalValue().signum() < 0
                || amount.bigDecimalValue().compareTo(MAX_AMOUNT) > 0) {
            return Problem.badRequest("invalid-amount", "Invalid amount", "amount is a number from 0 to 1000000000.");
        }
        OrderEvent event = new OrderEvent(id.getString(), orderKey, amount.bigDecimalValue());
        publisher.publish(event);
        return Response.accepted(Json.createObjectBuilder().add("key", orderKey.toString())
                .add("orderId", event.orderId()).build().toString()).build();
    }
}
