package shop.routing;

import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import shop.routing.orders.ServiceInstance;
import shop.routing.orders.Services;

/**
 * {@code GET /api/services}: every service instance with the rule it subscribes by, and whether it really
 * consumes: the broker's consumer count on its queue, not only what the app started.
 */
@Path("/services")
public class ServicesResource {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    Services services;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String list() {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        java.util.List<ServiceInstance> running = services.running();
        java.util.Map<String, Integer> consumers = new java.util.HashMap<>();
        for (ServiceInstance instance : running) {
            Rule rule = instance.rule();
            int onBroker = consumers.computeIfAbsent(rule.queue(), services::consumersOn);
            long instances = running.stream().filter(i -> i.rule().queue().equals(rule.queue())).count();
            JsonObjectBuilder json = JSON.createObjectBuilder()
                    .add("instance", instance.name()).add("service", rule.service())
                    .add("subscription", rule.subscription()).add("queue", rule.queue())
                    .add("pattern", rule.pattern())
                    // added while running, through POST /api/subscriptions, rather than started with the shop
                    .add("added", !services.startedWithTheShop(rule.subscription()))
                    // the real state, not the intention: the broker must count a consumer for every instance
                    .add("consuming", instance.consuming() && onBroker >= instances)
                    .add("queueConsumers", onBroker);
            if (rule.selector() == null) {
                json.addNull("selector");
            } else {
                json.add("selector", rule.selector());
            }
            array.add(json);
        }
        return array.build().toString();
    }
}
