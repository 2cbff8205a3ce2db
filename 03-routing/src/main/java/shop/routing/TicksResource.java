package shop.routing;

import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/ticks}: ingests a batch of ticks, {@code [{"venue":"xnas","symbol":"AAPL","price":231.5}, ...]};
 * {@code GET /api/ticks}: how many each subscriber received, and the last prices.
 */
@Path("/ticks")
public class TicksResource {

    static final int MAX_BATCH = 10_000;

    @Inject
    TickIngester ingester;

    @Inject
    TickSubscribers subscribers;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response ingest(String body) throws JMSException {
        JsonArray array;
        try {
            JsonValue value = Json.createReader(new StringReader(body)).readValue();
            if (value.getValueType() != JsonValue.ValueType.ARRAY) {
                return Problem.badRequest("malformed-json", "Not a JSON array",
                        "The body is a JSON array of ticks: [{\"venue\":\"xnas\",\"symbol\":\"AAPL\",\"price\":231.5}].");
            }
            array = value.asJsonArray();
        } catch (JsonException e) {
            return Problem.badRequest("malformed-json", "Not valid JSON", "The body is not valid JSON.");
        }
        if (array.size() > MAX_BATCH) {
            return Problem.badRequest("batch-too-large", "Batch too large", "Send at most " + MAX_BATCH + " ticks per request.");
        }
        List<Tick> ticks = new ArrayList<>(array.size());
        for (JsonValue value : array) {
            if (!(value instanceof JsonObject t) || !(t.get("venue") instanceof JsonString venue)
                    || !(t.get("symbol") instanceof JsonString symbol) || !(t.get("price") instanceof JsonNumber price)
                    || !Tick.VENUE.matcher(venue.getString()).matches() || !Tick.SYMBOL.matcher(symbol.getString()).matches()
                    || price.bigDecimalValue().signum() <= 0) {
                return Problem.badRequest("invalid-tick", "Invalid tick",
                        "Each tick is {\"venue\":\"xnas\",\"symbol\":\"AAPL\",\"price\":231.5}: venue 2-8 of a-z, "
                                + "symbol 1-8 of A-Z, price above 0; nothing was published.");
            }
            ticks.add(new Tick(venue.getString(), symbol.getString(), price.bigDecimalValue()));
        }
        ingester.publish(ticks);
        return Response.accepted(Json.createObjectBuilder().add("published", ticks.size()).build().toString()).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String counts() {
        JsonObjectBuilder received = Json.createObjectBuilder();
        subscribers.counts().forEach(received::add);
        JsonObjectBuilder last = Json.createObjectBuilder();
        subscribers.lastPrices().forEach(last::add);
        JsonObjectBuilder recent = Json.createObjectBuilder();
        subscribers.recent().forEach((name, ticks) -> recent.add(name, Json.createArrayBuilder(ticks)));
        return Json.createObjectBuilder().add("received", received).add("last", last).add("recent", recent).build().toString();
    }
}
