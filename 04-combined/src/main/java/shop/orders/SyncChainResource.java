package shop.orders;

import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * THE EXPERIMENT'S BASELINE, not part of the lesson's design: the same workflow as a synchronous chain
 * of REST calls, for {@code EndToEndLatencyExperiment} to compare with the broker. {@code POST
 * /api/sync/orders} calls payment, then inventory, then shipping over HTTP, each on the instance its
 * {@code shop.sync-*-url} names, and answers only when the order has shipped or a step failed. Each
 * step does what its step service does: the same simulated work ({@code shop.work-ms}) and the same
 * effect recorded once ({@link Effects}, under {@code sync-payment}, {@code sync-inventory},
 * {@code sync-shipping} of {@code shop.data-dir}). No sign-in, no retries, no back-order question:
 * it is off (404) unless {@code shop.sync-chain=true}.
 */
@Path("/sync")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SyncChainResource {

    private static final JsonProvider JSON = JsonProvider.provider();

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<Step> CHAIN = List.of(Step.PAYMENT, Step.INVENTORY, Step.SHIPPING);

    @Inject
    ShopSettings settings;
    @Inject
    SyncChainSettings sync;
    @Context
    UriInfo uriInfo;

    /** The customer's click: runs every step, one after the other, and answers with the last one. */
    @POST
    @Path("orders")
    public Response place(String body) {
        if (!sync.enabled()) {
            return disabled();
        }
        Command command;
        try (JsonReader reader = JSON.createReader(new StringReader(body))) {
            JsonObject order = reader.readObject();
            String item = order.getString("item", "");
            if (Catalog.find(item).isEmpty()) {
                return Problem.response(400, "no-such-item", "No such item", "Order one of " + Catalog.ITEMS.keySet() + ".");
            }
            command = new Command("charge", UUID.randomUUID().toString(), order.getString("customer", "sync"), item,
                    order.getString("payment", ""), order.getString("correlationId", UUID.randomUUID().toString()), null);
        } catch (JsonException | ClassCastException | IllegalStateException e) {
            return Problem.response(400, "malformed-json", "Malformed JSON",
                    "Send {\"item\":\"mug\",\"payment\":\"tok_visa\",\"correlationId\":\"...\"}.");
        }
        // tag::chain[]
        String stage = "placed";
        for (Step step : CHAIN) {
            HttpResponse<String> answer;
            try {
                answer = HTTP.send(HttpRequest.newBuilder(stepUri(step))
                        .timeout(Duration.ofMillis(sync.timeoutMs()))
                        .header("Content-Type", MediaType.APPLICATION_JSON)
                        .POST(HttpRequest.BodyPublishers.ofString(command.toJson())).build(), HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                return failed(504, "step-timeout", command, stage, "The " + step.service() + " step did not answer within "
                        + sync.timeoutMs() + " ms.");
            } catch (IOException e) {
                return failed(502, "step-unreachable", command, stage, "The " + step.service() + " step cannot be reached: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed(503, "interrupted", command, stage, "Interrupted.");
            }
            if (answer.statusCode() != 200) {
                return failed(answer.statusCode() / 100 == 4 ? answer.statusCode() : 502, "step-failed", command, stage,
                        "The " + step.service() + " step answered " + answer.statusCode() + ": " + answer.body());
            }
            try (JsonReader reader = JSON.createReader(new StringReader(answer.body()))) {
                stage = reader.readObject().getString("stage");
            }
        }
        // end::chain[]
        return Response.ok(JSON.createObjectBuilder().add("orderId", command.orderId())
                .add("correlationId", command.correlationId()).add("stage", stage).build().toString()).build();
    }

    @POST
    @Path("payment")
    public Response payment(String body) throws InterruptedException {
        return step(body, "sync-payment", command -> {
            if (PaymentService.DECLINED_TOKEN.equals(command.payment())) {
                return Stage.DECLINED;
            }
            return Stage.PAID;
        }, "charge");
    }

    @POST
    @Path("inventory")
    public Response inventory(String body) throws InterruptedException {
        return step(body, "sync-inventory",
                command -> Catalog.find(command.item()).orElseThrow().inStock() ? Stage.RESERVED : Stage.BACKORDERED,
                "reservation");
    }

    @POST
    @Path("shipping")
    public Response shipping(String body) throws InterruptedException {
        return step(body, "sync-shipping", command -> Stage.SHIPPED, "shipment");
    }

    /** One step: the same work as the step service, the effect recorded once; 200 if the chain goes on. */
    private Response step(String body, String service, java.util.function.Function<Command, Stage> decide, String effect)
            throws InterruptedException {
        if (!sync.enabled()) {
            return disabled();
        }
        Command command;
        try {
            command = Command.parse(body);
        } catch (JsonException | ClassCastException | NullPointerException | IllegalStateException e) {
            command = null; // not JSON, not an object, or a field missing or not a string
        }
        // The order id names the effect's file, and the item must be one the shop sells: checked as the page's frames are.
        if (command == null || !ClientFrame.ORDER_ID.matcher(command.orderId()).matches() || Catalog.find(command.item()).isEmpty()) {
            return Problem.response(400, "malformed-command", "Malformed command",
                    "Send the command the chain sends: {\"command\":\"charge\",\"orderId\":\"<a UUID>\",\"customer\":\"...\","
                            + "\"item\":\"mug\",\"payment\":\"tok_visa\",\"correlationId\":\"...\"}.");
        }
        Thread.sleep(settings.workMs());
        Stage stage = decide.apply(command);
        if (stage == Stage.DECLINED) {
            return Problem.response(402, "declined", "Declined", "The card was declined.");
        }
        if (stage == Stage.BACKORDERED) {
            return Problem.response(409, "backordered", "Back-ordered", "The baseline has no question to ask: back-ordered.");
        }
        new Effects(settings.dataDir(), service).once(effect, command.orderId(), command.item());
        return Response.ok(JSON.createObjectBuilder().add("stage", stage.label()).build().toString()).build();
    }

    private URI stepUri(Step step) {
        String base = sync.url(step).map(u -> u.endsWith("/") ? u : u + "/").map(u -> u + "api/")
                .orElse(uriInfo.getBaseUri().toString());
        return URI.create(base + "sync/" + step.service());
    }

    /** The customer hears the order failed; the steps before the failed one have happened (charged, reserved). */
    private static Response failed(int status, String code, Command command, String reached, String detail) {
        JsonObject problem = JSON.createObjectBuilder()
                .addAll(JSON.createObjectBuilder().add("type", "/problems/" + code).add("title", "Order failed")
                        .add("status", status).add("detail", detail)).add("orderId", command.orderId())
                .add("reached", reached).build();
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem.toString()).build();
    }

    private static Response disabled() {
        return Problem.response(404, "not-found", "Not Found", "The synchronous baseline is off: shop.sync-chain=false.");
    }
}
