package shop.tasks;

import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * There for teaching and for the tests: the producer's own bookkeeping, so a failure lab can see
 * that nothing is left waiting (no confirm leaks) and how many Idempotency-Keys it remembers.
 */
@Path("producer")
public class ProducerResource {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    NewTask newTask;
    @Inject
    IdempotencyKeys keys;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String bookkeeping() {
        return JSON.createObjectBuilder()
                .add("unconfirmed", newTask.unconfirmed())
                .add("idempotencyKeys", keys.size())
                .build().toString();
    }
}
