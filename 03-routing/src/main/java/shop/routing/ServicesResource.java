package shop.routing;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/services}: every running service instance with the rule it subscribes by. */
@Path("/services")
public class ServicesResource {

    @Inject
    Services services;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String list() {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (ServiceInstance instance : services.running()) {
            Rule rule = instance.rule();
            JsonObjectBuilder json = Json.createObjectBuilder()
                    .add("instance", instance.name()).add("service", rule.service())
                    .add("subscription", rule.subscription()).add("queue", rule.queue())
                    .add("pattern", rule.pattern())
                    // added while running, through POST /api/subscriptions, rather than started with the shop
                    .add("added", !services.startedWithTheShop(rule.subscription()));
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
