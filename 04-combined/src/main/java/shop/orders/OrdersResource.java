package shop.orders;

import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * What the page reads over HTTP: the catalogue, the shop's instances (to fail over between), and
 * the signed-in customer's own orders. Someone else's order answers 404, exactly like no order.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    SignIns signIns;
    @Inject
    OrderViews views;
    @Inject
    ShopSettings settings;
    @Inject
    ProgressFeed progress;

    @GET
    @Path("catalog")
    public String catalog() {
        JsonArrayBuilder items = JSON.createArrayBuilder();
        Catalog.ITEMS.values().stream().sorted(java.util.Comparator.comparing(Catalog.Item::price))
                .forEach(i -> items.add(JSON.createObjectBuilder().add("sku", i.sku()).add("name", i.name())
                        .add("price", i.price().toPlainString()).add("inStock", i.inStock())));
        return items.build().toString();
    }

    @GET
    @Path("instances")
    public String instances() {
        JsonArrayBuilder list = JSON.createArrayBuilder();
        settings.instances().forEach(list::add);
        return JSON.createObjectBuilder().add("instances", list).add("position", progress.position()).build().toString();
    }

    @GET
    @Path("orders")
    public Response mine(@CookieParam(SignIns.COOKIE) String token) {
        Optional<SignIn> who = signIns.find(token);
        if (who.isEmpty()) {
            return notSignedIn();
        }
        JsonArrayBuilder orders = JSON.createArrayBuilder();
        views.of(who.get().customer()).forEach(v -> orders.add(json(v)));
        return Response.ok(orders.build().toString()).build();
    }

    @GET
    @Path("orders/{id}")
    public Response one(@CookieParam(SignIns.COOKIE) String token, @PathParam("id") String id) {
        Optional<SignIn> who = signIns.find(token);
        if (who.isEmpty()) {
            return notSignedIn();
        }
        return views.find(id, who.get().customer())
                .map(v -> Response.ok(json(v).toString()).build())
                .orElseGet(() -> Problem.response(404, "no-such-order", "No such order",
                        "You have no order " + id + "."));
    }

    private static jakarta.json.JsonObject json(OrderViews.View v) {
        return JSON.createObjectBuilder().add("orderId", v.orderId()).add("item", v.item()).add("stage", v.stage().label())
                .add("correlationId", v.correlationId()).add("offset", v.offset()).build();
    }

    private static Response notSignedIn() {
        return Problem.response(401, "not-signed-in", "Not signed in", "Sign in with POST /api/session.");
    }
}
