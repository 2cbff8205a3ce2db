package shop.routing;

import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import shop.routing.orders.ConfirmedPublisher;
import shop.routing.orders.OrderPublisher;

/**
 * {@code POST /api/orders/events}: publishes one order event, {@code {"key":"order.eu.paid","orderId":"A-1001","amount":1250.00}},
 * after checking it, and answers 202 once the broker has confirmed it; a bad key or body is refused with problem+json
 * and nothing is published. With an {@code Idempotency-Key}, a retry publishes nothing new.
 */
@Path("/orders/events")
public class OrderEventsResource {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    OrderPublisher publisher;

    @Inject
    IdempotencyKeys keys;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response publish(String body, @Context HttpHeaders headers) throws JMSException {
        Optional<IdempotencyKey> idempotencyKey;
        switch (IdempotencyKey.from(headers.getRequestHeader(IdempotencyKey.HEADER))) {
            case IdempotencyKey.Invalid invalid -> {
                return Problem.badRequest("invalid-idempotency-key", "Invalid Idempotency-Key", invalid.detail() + " Nothing was published.");
            }
            case IdempotencyKey.Valid valid -> idempotencyKey = valid.key();
        }
        JsonValue value = JsonBody.read(body);
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            return Problem.badRequest("malformed-json", "Not a JSON object",
                    "The body is a JSON object: {\"key\":\"order.eu.paid\",\"orderId\":\"A-1001\",\"amount\":1250.00}.");
        }
        JsonObject json = value.asJsonObject();
        if (!Set.of("key", "orderId", "amount").containsAll(json.keySet())) {
            return Problem.badRequest("unknown-field", "Unknown field", "Only the fields key, orderId and amount are allowed.");
        }
        if (!(json.get("key") instanceof JsonString key)) {
            return Problem.badRequest("empty-key", "No routing key", "Give a key such as order.eu.paid.");
        }
        OrderKey orderKey;
        switch (OrderKey.parse(key.getString())) {
            case OrderKey.Invalid invalid -> {
                return Problem.badRequest(invalid.code(), invalid.title(), invalid.detail());
            }
            case OrderKey.Valid valid -> orderKey = valid.key();
        }
        if (!OrderEvent.isOrderId(json.get("orderId"))) {
            return Problem.badRequest("invalid-order-id", "Invalid order id",
                    "orderId is 1-40 characters of letters, digits or '-'.");
        }
        if (!OrderEvent.isAmount(json.get("amount"))) {
            return Problem.badRequest("invalid-amount", "Invalid amount", "amount is a number from 0 to 1000000000.");
        }
        OrderEvent event = new OrderEvent(json.getString("orderId"), orderKey, json.getJsonNumber("amount").bigDecimalValue());
        return publish(event, idempotencyKey);
    }

    private Response publish(OrderEvent event, Optional<IdempotencyKey> idempotencyKey) {
        long deadline = publisher.deadline();
        String eventId;
        CompletableFuture<Void> confirmed;
        if (idempotencyKey.isEmpty()) {
            eventId = UUID.randomUUID().toString(); // a retry without a key is a second event
            confirmed = publisher.publish(event, eventId);
        } else {
            // tag::idempotent[]
            // With a key, the event id comes from the key and the body: the same on every retry.
            String fingerprint = event.fingerprint();
            eventId = idempotencyKey.get().idFor(fingerprint);
            IdempotencyKeys.Claim claim;
            try {
                claim = keys.claim(idempotencyKey.get(), fingerprint, eventId);
            } catch (IdempotencyKeys.KeyReused e) {
                return Problem.response(422, "idempotency-key-reused", "Idempotency-Key reused",
                        "This Idempotency-Key came with another order event before; send a new key for a new event. Nothing was published.");
            }
            // The first request with the key publishes; a repeat, racing or late, waits for the same confirm.
            if (claim.publish()) {
                publisher.publish(event, eventId).whenComplete((ok, error) -> complete(claim.attempt(), error));
            }
            confirmed = claim.attempt();
            // end::idempotent[]
        }
        try {
            publisher.await(event, confirmed, deadline);
        } catch (ConfirmedPublisher.BrokerUnavailable e) {
            return Response.fromResponse(Problem.response(503, "broker-unavailable", "Broker unavailable",
                    e.getMessage() + " The event was not accepted; try again" + (idempotencyKey.isPresent()
                            ? " with the same Idempotency-Key." : ", with an Idempotency-Key so that a retry cannot make a second event.")))
                    .header("Retry-After", "1").build();
        }
        return Response.accepted(JSON.createObjectBuilder().add("key", event.key().toString())
                .add("orderId", event.orderId()).add("eventId", eventId).build().toString()).build();
    }

    private static void complete(CompletableFuture<Void> attempt, Throwable error) {
        if (error == null) {
            attempt.complete(null);
        } else {
            attempt.completeExceptionally(error);
        }
    }
}
