package shop.orders;

import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /api/services}: whether each consumer of this process is consuming, how often its watchdog
 * restarted it, and how many messages it dead-lettered at once. {@code 503} while any one is not consuming,
 * so a load balancer or an operator's check sees a silenced consumer instead of a process that looks alive.
 */
@Path("/services")
@Produces(MediaType.APPLICATION_JSON)
public class ServicesResource {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    Services services;
    @Inject
    ProgressFeed progress;

    // tag::services[]
    @GET
    public Response report() {
        JsonArrayBuilder list = JSON.createArrayBuilder();
        boolean healthy = progress.consuming();
        list.add(JSON.createObjectBuilder().add("service", "progress-feed").add("queue", OrderTopology.PROGRESS_STREAM)
                .add("consuming", progress.consuming()).add("restarts", progress.restarts()).add("deadLettered", 0));
        for (StepService.Status service : services.status()) {
            healthy &= service.consuming();
            list.add(JSON.createObjectBuilder().add("service", service.service()).add("queue", service.queue())
                    .add("consuming", service.consuming()).add("restarts", service.restarts())
                    .add("deadLettered", service.deadLettered()));
        }
        return Response.status(healthy ? 200 : 503)
                .entity(JSON.createObjectBuilder().add("healthy", healthy).add("services", list).build().toString()).build();
    }
    // end::services[]
}
