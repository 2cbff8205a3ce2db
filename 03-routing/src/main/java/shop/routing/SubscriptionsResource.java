package shop.routing;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import shop.routing.orders.ServiceInstance;
import shop.routing.orders.Services;

/**
 * {@code POST /api/subscriptions}: adds a service by a routing rule alone, while the shop runs, for example
 * {@code {"name":"big-eu","pattern":"order.eu.#","selector":"amount > 500"}}; {@code DELETE /api/subscriptions/{name}}
 * removes it and its queue. A bad pattern or selector is refused before anything is created on the broker.
 * Both are for the operator role only ({@link OperatorOnly}). Teaching aid: in production a service subscribes
 * itself, and nobody else may add queues.
 */
@Path("/subscriptions")
public class SubscriptionsResource {

    private static final JsonProvider JSON = JsonProvider.provider();

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    /** A binding pattern: words of letters and digits, or the wildcards {@code *} (one word) and {@code #} (any number). */
    static final Pattern BINDING = Pattern.compile("(\\*|#|[a-z0-9]+)(\\.(\\*|#|[a-z0-9]+))*");

    @Inject
    Services services;

    @Inject
    @ConfigProperty(name = "routing.pattern-max-length")
    int patternMaxLength;

    @Inject
    @ConfigProperty(name = "routing.pattern-max-words")
    int patternMaxWords;

    @Inject
    @ConfigProperty(name = "routing.pattern-max-hashes")
    int patternMaxHashes;

    @Inject
    @ConfigProperty(name = "routing.selector-max-length")
    int selectorMaxLength;

    @Inject
    @ConfigProperty(name = "routing.selector-max-depth")
    int selectorMaxDepth;

    @Inject
    @ConfigProperty(name = "routing.max-live-subscriptions")
    int maxLiveSubscriptions;

    @POST
    @OperatorOnly
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response subscribe(String body) {
        JsonValue value = JsonBody.read(body);
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            return Problem.badRequest("malformed-json", "Not a JSON object",
                    "The body is a JSON object: {\"name\":\"big-eu\",\"pattern\":\"order.eu.#\",\"selector\":\"amount > 500\"}.");
        }
        JsonObject json = value.asJsonObject();
        if (!Set.of("name", "pattern", "selector").containsAll(json.keySet())) {
            return Problem.badRequest("unknown-field", "Unknown field", "Only the fields name, pattern and selector are allowed.");
        }
        if (!(json.get("name") instanceof JsonString name) || !NAME.matcher(name.getString()).matches()) {
            return Problem.badRequest("invalid-name", "Invalid service name",
                    "name is 1-32 characters of a-z, 0-9 or '-', starting with a letter.");
        }
        if (services.reserved(name.getString())) {
            return reserved(name.getString());
        }
        if (!(json.get("pattern") instanceof JsonString pattern) || !BINDING.matcher(pattern.getString()).matches()) {
            return Problem.badRequest("invalid-pattern", "Invalid binding pattern",
                    "pattern is words of a-z and 0-9 separated by dots, where '*' stands for exactly one word and "
                            + "'#' for zero or more, for example order.*.paid or order.eu.#.");
        }
        Optional<String> tooBig = PatternCheck.problem(pattern.getString(), patternMaxLength, patternMaxWords, patternMaxHashes);
        if (tooBig.isPresent()) {
            return Problem.badRequest("pattern-too-big", "Binding pattern too big", "The pattern is refused: " + tooBig.get()
                    + ". The broker's work per message grows steeply with each '#'; nothing was subscribed.");
        }
        String selector = null;
        if (json.containsKey("selector") && json.get("selector") != JsonValue.NULL) {
            if (!(json.get("selector") instanceof JsonString s) || s.getString().isBlank()) {
                return Problem.badRequest("invalid-selector", "Invalid selector", "selector is a non-empty string, or leave it out.");
            }
            selector = s.getString();
            // tag::selector-check[]
            Optional<String> problem = SelectorCheck.problem(selector, selectorMaxLength, selectorMaxDepth);
            if (problem.isPresent()) {
                return Problem.badRequest("invalid-selector", "Invalid JMS selector",
                        "'" + abbreviate(selector) + "' is not a JMS selector (" + problem.get() + "). A selector is an SQL-92 "
                                + "condition over message properties, for example amount > 1000 AND region = 'us'; "
                                + "nothing was subscribed.");
            }
            // end::selector-check[]
        }
        if (services.running().stream().anyMatch(i -> i.rule().subscription().equals(name.getString()))) {
            return Problem.response(409, "subscription-exists", "Subscription exists",
                    "A service named '" + name.getString() + "' is already subscribed; DELETE it first.");
        }
        Rule rule = new Rule(name.getString(), pattern.getString());
        if (selector != null) {
            rule = rule.where(selector);
        }
        Optional<ServiceInstance> added;
        try {
            added = services.subscribe(rule, maxLiveSubscriptions);
        } catch (RuntimeException e) {
            return Problem.response(503, "subscribe-failed", "Could not subscribe",
                    "The broker did not take the subscription (" + e.getMessage() + "); nothing was left behind, try again.");
        }
        if (added.isEmpty()) {
            // Each live subscription holds a JMS session, that is a channel on the server's one connection: 2034 of
            // them used up its channels, and then every new session failed.
            return Problem.response(429, "too-many-subscriptions", "Too many subscriptions",
                    "At most " + maxLiveSubscriptions + " subscriptions may be added while the shop runs "
                            + "(routing.max-live-subscriptions); DELETE one first.");
        }
        ServiceInstance instance = added.get();
        return Response.status(201).entity(JSON.createObjectBuilder().add("instance", instance.name())
                .add("queue", rule.queue()).build().toString()).build();
    }

    /** A selector as a problem quotes it: a refused one may be long. */
    private static String abbreviate(String selector) {
        return selector.length() <= 80 ? selector : selector.substring(0, 77) + "...";
    }

    // tag::reserved[]
    /** 409: the name is the app's own; taking it, or deleting it, would take a queue from under the app. */
    private static Response reserved(String name) {
        return Problem.response(409, "reserved-name", "Reserved name",
                "'" + name + "' names a queue of the shop itself (" + new Rule(name, "#").queue() + "); a live "
                        + "subscription can neither take nor delete it. Choose another name.");
    }
    // end::reserved[]

    @DELETE
    @OperatorOnly
    @Path("/{name}")
    public Response unsubscribe(@PathParam("name") String name) {
        if (NAME.matcher(name).matches() && services.reserved(name)) {
            return reserved(name);
        }
        if (!NAME.matcher(name).matches()) {
            return Problem.response(404, "no-such-subscription", "No such subscription",
                    "Only subscriptions added with POST /api/subscriptions can be removed here.");
        }
        return services.unsubscribe(name) ? Response.noContent().build()
                : Problem.response(404, "no-such-subscription", "No such subscription", "No service named '" + name + "' is subscribed.");
    }
}
