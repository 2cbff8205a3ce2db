package shop.tasks;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * GET /api/health: 200 while the process does its job, 503 problem+json saying what is wrong. A worker answers for
 * its own consumer; the producer for the broker and for every live worker, from their heartbeats.
 */
@Path("health")
public class HealthResource {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    TaskSettings settings;
    @Inject
    Watchdog watchdog;
    @Inject
    StatusFeed feed;

    // tag::health[]
    @GET
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response health() {
        if (settings.runs(TaskSettings.Role.WORKER)) {
            if (!watchdog.consuming()) {
                return Problem.response(503, "no-consumer", "No live consumer", settings.workerId()
                        + " has no live consumer on " + settings.workerQueue() + "; its watchdog is restarting it.");
            }
            return ok(JSON.createObjectBuilder().add("status", "UP").add("worker", settings.workerId())
                    .add("restarts", watchdog.restarts()).build());
        }
        JsonObject snapshot = feed.snapshot();
        if (!snapshot.getString("broker").equals("up")) {
            return Problem.response(503, "broker-down", "Broker down", "The producer cannot reach the broker.");
        }
        List<String> silent = snapshot.getJsonArray("workers").getValuesAs(JsonObject.class).stream()
                .filter(w -> !w.getBoolean("consuming", true))
                .map(w -> w.getString("worker"))
                .toList();
        if (!silent.isEmpty()) {
            return Problem.response(503, "no-consumer", "No live consumer", "Worker(s) " + silent
                    + " have no live consumer; their watchdogs are restarting them.");
        }
        return ok(JSON.createObjectBuilder().add("status", "UP")
                .add("workers", snapshot.getJsonArray("workers").size())
                .add("consumers", snapshot.getOrDefault("consumers", JsonValue.NULL)).build());
    }
    // end::health[]

    private static Response ok(JsonObject body) {
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON).build();
    }
}
