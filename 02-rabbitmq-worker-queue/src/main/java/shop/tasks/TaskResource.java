package shop.tasks;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The producer's HTTP API: submit a task, then ask how it is doing. */
@Path("tasks")
public class TaskResource {

    private static final Pattern TASK_ID = Pattern.compile("[0-9a-f-]{36}");

    @Inject
    NewTask newTask;
    @Inject
    TaskBoard board;
    @Inject
    TaskSettings settings;

    // tag::submit[]
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response submit(InputStream body, @Context UriInfo uri) throws IOException {
        if (settings.role() != TaskSettings.Role.PRODUCER) {
            return Problem.response(409, "not-a-producer", "Not a producer",
                    "This instance runs as a worker; submit tasks to the producer.");
        }
        byte[] bytes = body.readNBytes(TaskRequest.MAX_BYTES + 1);
        if (bytes.length > TaskRequest.MAX_BYTES) {
            return Problem.response(413, "too-large", "Task too large",
                    "A task body may be at most " + TaskRequest.MAX_BYTES + " bytes. Nothing was queued.");
        }
        Task task;
        try {
            task = TaskRequest.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (TaskRequest.Invalid e) {
            return Problem.response(400, "invalid-task", "Invalid task", e.getMessage() + " Nothing was queued.");
        }
        board.queued(task); // before sending: a fast worker may report on it before the confirm is back
        try {
            newTask.send(task);
        } catch (NewTask.BrokerUnavailable e) {
            board.forget(task);
            return Response.fromResponse(Problem.response(503, "broker-unavailable", "Broker unavailable",
                    e.getMessage() + " The task was not accepted; try again.")).header("Retry-After", "1").build();
        }
        // 202, not 201: the task is accepted for later processing, not done.
        return Response.accepted(board.find(task.id()).orElseThrow().toJson().toString())
                .location(uri.getBaseUriBuilder().path("tasks").path(task.id()).build())
                .build();
    }
    // end::submit[]

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response status(@PathParam("id") String id) {
        if (!TASK_ID.matcher(id).matches()) {
            return Problem.response(400, "invalid-id", "Invalid task id", "A task id is a UUID such as 3f2a9c1e-....");
        }
        return board.find(id)
                .map(entry -> Response.ok(entry.toJson().toString()).build())
                .orElseGet(() -> Problem.response(404, "unknown-task", "Unknown task",
                        "No task " + id + " was accepted by this producer."));
    }
}
