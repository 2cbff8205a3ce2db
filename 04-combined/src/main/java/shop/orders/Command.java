package shop.orders;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;

/**
 * A message from one part of the workflow to the next step service: "charge this order", "reserve
 * its item", "the customer answered", "ship it", "refund it". Its routing key is {@code name}.
 * The correlation id travels unchanged from the browser's request through every command.
 */
public record Command(String name, String orderId, String customer, String item, String payment,
                      String correlationId, String choice) {

    private static final JsonProvider JSON = JsonProvider.provider();

    public Command next(String nextName) {
        return new Command(nextName, orderId, customer, item, payment, correlationId, choice);
    }

    public Command withChoice(String answer) {
        return new Command("answer", orderId, customer, item, payment, correlationId, answer);
    }

    public String toJson() {
        return JSON.createObjectBuilder().add("command", name).add("orderId", orderId).add("customer", customer)
                .add("item", item).add("payment", payment).add("correlationId", correlationId)
                .add("choice", choice == null ? "" : choice).build().toString();
    }

    public static Command parse(String json) {
        try (JsonReader reader = JSON.createReader(new StringReader(json))) {
            JsonObject o = reader.readObject();
            String choice = o.getString("choice", "");
            return new Command(o.getString("command"), o.getString("orderId"), o.getString("customer"),
                    o.getString("item"), o.getString("payment"), o.getString("correlationId"),
                    choice.isEmpty() ? null : choice);
        }
    }
}
