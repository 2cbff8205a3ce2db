package shop.tasks;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The producer's HTTP API: submit a task, then ask how it is doing. */
@Path("tasks")
public class TaskResource {

    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Pattern TASK_ID = Pattern.compile("[0-9a-f-]{36}");

    @Inject
    NewTask newTask;
    @Inject
    TaskBoard board;
    @Inject
    TaskSettings settings;
    @Inject
    IdempotencyKeys keys;

    // tag::submit[]
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response submit(InputStream body, @Context HttpHeaders headers, @Context UriInfo uri) throws IOException {
        if (!settings.runs(TaskSettings.Role.PRODUCER)) {
            return Problem.response(409, "not-a-producer", "Not a producer",
                    "This instance runs as a worker; submit tasks to the producer.");
        }
        Optional<IdempotencyKey> key;
        switch (IdempotencyKey.from(headers.getRequestHeader(IdempotencyKey.HEADER))) {
            case IdempotencyKey.Invalid invalid -> {
                return Problem.response(400, "invalid-idempotency-key", "Invalid Idempotency-Key", invalid.detail() + " Nothing was queued.");
            }
            case IdempotencyKey.Valid valid -> key = valid.key();
        }
        // BodyLimit counts the bytes as they are read: past tasks.max-body-bytes, this read ends in a 413.
        Task parsed;
        switch (TaskRequest.parse(new String(body.readAllBytes(), StandardCharsets.UTF_8))) {
            case TaskRequest.Invalid invalid -> {
                return Problem.response(400, "invalid-task", "Invalid task", invalid.detail() + " Nothing was queued.");
            }
            case TaskRequest.Valid valid -> parsed = valid.task();
        }
        // With a key, the task id comes from the key: the same on every retry, on any producer instance.
        Task task = key.map(parsed::namedBy).orElse(parsed);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.confirmTimeoutMs());
        CompletableFuture<Void> confirmed;
        if (key.isEmpty()) {
            confirmed = publish(task, new CompletableFuture<>());
        } else {
            // tag::idempotent[]
            IdempotencyKeys.Claim claim;
            try {
                claim = keys.claim(key.get(), task.fingerprint(), task.id());
            } catch (IdempotencyKeys.KeyReused e) {
                return Problem.response(422, "idempotency-key-reused", "Idempotency-Key reused",
                        "This Idempotency-Key came with another task before; send a new key for a new task. Nothing was queued.");
            }
            // The first request with the key publishes; a repeat, racing or late, waits for the same confirm.
            confirmed = claim.publish() ? publish(task, claim.attempt()) : claim.attempt();
            // end::idempotent[]
        }
        try {
            newTask.await(task, confirmed, deadline);
        } catch (ConfirmedPublisher.BrokerUnavailable e) {
            return Response.fromResponse(Problem.response(503, "broker-unavailable", "Broker unavailable",
                    e.getMessage() + " The task was not accepted; try again"
                            + (key.isPresent() ? " with the same Idempotency-Key." : ", with an Idempotency-Key so that a retry cannot make a second task.")))
                    .header("Retry-After", "1").build();
        }
        // 202, not 201: the task is accepted for later processing, not done.
        return Response.accepted(board.find(task.id()).map(TaskBoard.Entry::toJson).orElseGet(() -> accepted(task)).toString())
                .location(uri.getBaseUriBuilder().path("tasks").path(task.id()).build())
                .build();
    }

    /** Publishes the task; completes {@code attempt} with the broker's answer, after the board knows it. */
    private CompletableFuture<Void> publish(Task task, CompletableFuture<Void> attempt) {
        board.queued(task); // before sending: a fast worker may report on it before the confirm is back
        newTask.publish(task).whenComplete((ok, refused) -> {
            if (refused == null) {
                attempt.complete(null);
            } else {
                board.forget(task); // the broker does not have it, or nobody knows: not shown as accepted
                attempt.completeExceptionally(refused);
            }
        });
        return attempt;
    }
    // end::submit[]

    /** The 202's body when the board has already let go of the task (it keeps the latest ones only). */
    private static JsonObject accepted(Task task) {
        return JSON.createObjectBuilder().add("id", task.id()).add("type", task.type().routingKey()).build();
    }

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
