package shop.orders;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;

/**
 * One step of one order, as the step services publish it to the {@code orders.progress} stream and
 * as the web instances push it to the customer who owns the order. {@code offset} is the event's
 * position in the stream: -1 until the stream has it; the page resumes after the last one it saw.
 */
public record Progress(String orderId, String customer, String correlationId, Stage stage, String item,
                       String detail, long offset) {

    private static final JsonProvider JSON = JsonProvider.provider();

    public static Progress of(Command command, Stage stage, String detail) {
        return new Progress(command.orderId(), command.customer(), command.correlationId(), stage,
                command.item(), detail, -1);
    }

    public Progress at(long streamOffset) {
        return new Progress(orderId, customer, correlationId, stage, item, detail, streamOffset);
    }

    /** The stream's copy: everything the customer's page and the other instances need. */
    public String toJson() {
        return JSON.createObjectBuilder().add("orderId", orderId).add("customer", customer).add("correlationId", correlationId)
                .add("stage", stage.label()).add("item", item).add("detail", detail).build().toString();
    }

    /** The frame pushed to the page; it carries the offset, so the page can resume after it. */
    public String toFrame() {
        return JSON.createObjectBuilder().add("type", "progress").add("orderId", orderId).add("correlationId", correlationId)
                .add("stage", stage.label()).add("step", stage.number()).add("last", stage.last())
                .add("item", item).add("detail", detail).add("offset", offset).build().toString();
    }

    /** The order board's copy: no customer, no correlation id; anyone with the board's login may read it. */
    public String toBoardJson() {
        return JSON.createObjectBuilder().add("order", orderId.substring(0, 8)).add("stage", stage.label())
                .add("item", item).build().toString();
    }

    public static Progress parse(String json, long offset) {
        try (JsonReader reader = JSON.createReader(new StringReader(json))) {
            JsonObject o = reader.readObject();
            return new Progress(o.getString("orderId"), o.getString("customer"), o.getString("correlationId"),
                    Stage.valueOf(o.getString("stage").toUpperCase(java.util.Locale.ROOT)), o.getString("item"),
                    o.getString("detail"), offset);
        }
    }
}
