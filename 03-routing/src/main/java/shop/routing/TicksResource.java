package shop.routing;

import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import shop.routing.ticks.Tick;
import shop.routing.ticks.TickIngester;
import shop.routing.ticks.TickSubscribers;

/**
 * {@code POST /api/ticks}: ingests a batch of ticks, {@code [{"venue":"xnas","symbol":"AAPL","price":231.5}, ...]};
 * {@code GET /api/ticks}: how many each subscriber received, and the last prices.
 */
@Path("/ticks")
public class TicksResource {

    private static final JsonProvider JSON = JsonProvider.provider();

    static final int MAX_BATCH = 10_000;

    @Inject
    TickIngester ingester;

    @Inject
    TickSubscribers subscribers;

    @Inject
    @ConfigProperty(name = "routing.tick-max-price")
    String maxPrice;

    @Inject
    @ConfigProperty(name = "routing.tick-max-decimals")
    int maxScale;

    // tag::price-range[]
    /**
     * Above 0, at most the maximum, at most so many decimals. Without the bounds, the 9 characters {@code 1e2000000}
     * were a 2 MB message once written out in full; checked on the BigDecimal as parsed, which never writes it out.
     */
    private boolean priceInRange(BigDecimal price) {
        return price.signum() > 0 && price.compareTo(new BigDecimal(maxPrice)) <= 0 && price.stripTrailingZeros().scale() <= maxScale;
    }
    // end::price-range[]

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response ingest(String body) throws JMSException {
        JsonValue parsed = JsonBody.read(body);
        if (parsed.getValueType() != JsonValue.ValueType.ARRAY) {
            return Problem.badRequest("malformed-json", "Not a JSON array",
                    "The body is a JSON array of ticks: [{\"venue\":\"xnas\",\"symbol\":\"AAPL\",\"price\":231.5}].");
        }
        JsonArray array = parsed.asJsonArray();
        if (array.size() > MAX_BATCH) {
            return Problem.badRequest("batch-too-large", "Batch too large", "Send at most " + MAX_BATCH + " ticks per request.");
        }
        List<Tick> ticks = new ArrayList<>(array.size());
        for (JsonValue value : array) {
            if (!(value instanceof JsonObject t) || !(t.get("venue") instanceof JsonString venue)
                    || !(t.get("symbol") instanceof JsonString symbol) || !(t.get("price") instanceof JsonNumber price)
                    || !Tick.VENUE.matcher(venue.getString()).matches() || !Tick.SYMBOL.matcher(symbol.getString()).matches()
                    || !priceInRange(price.bigDecimalValue())) {
                return Problem.badRequest("invalid-tick", "Invalid tick",
                        "Each tick is {\"venue\":\"xnas\",\"symbol\":\"AAPL\",\"price\":231.5}: venue 2-8 of a-z, "
                                + "symbol 1-8 of A-Z, price above 0 and at most " + maxPrice
                                + " (routing.tick-max-price) with at most " + maxScale
                                + " decimals (routing.tick-max-decimals); nothing was published.");
            }
            ticks.add(new Tick(venue.getString(), symbol.getString(), price.bigDecimalValue()));
        }
        ingester.publish(ticks);
        return Response.accepted(JSON.createObjectBuilder().add("published", ticks.size()).build().toString()).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String counts() {
        JsonObjectBuilder received = JSON.createObjectBuilder();
        subscribers.counts().forEach(received::add);
        JsonObjectBuilder last = JSON.createObjectBuilder();
        subscribers.lastPrices().forEach(last::add);
        JsonObjectBuilder recent = JSON.createObjectBuilder();
        subscribers.recent().forEach((name, ticks) -> recent.add(name, JSON.createArrayBuilder(ticks)));
        return JSON.createObjectBuilder().add("received", received).add("last", last).add("recent", recent).build().toString();
    }
}
