package shop.routing;

import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The positive barrier that makes "did NOT arrive" provable without a sleep: after the message under
 * test, markers are published until every instance of every subscription has received one. Each queue is
 * first-in first-out and each instance handles its deliveries in order, so an earlier message routed to a
 * subscription has been handled by then.
 */
public final class Barrier {

    private Barrier() {
    }

    public static void awaitEverySubscriptionPassed(RoutingApi api) {
        Set<String> everyone = api.services().stream().filter(s -> !s.getBoolean("added")).map(Barrier::slot).collect(Collectors.toSet());
        Set<String> markers = new HashSet<>();
        await("a marker through every subscription and instance").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    // Together these reach every subscription: paid in the US (billing, shipping-paid, audit, fraud-review
                    // through its selector), cancelled in the EU (shipping-cancelled, eu-analytics), and an APAC order
                    // for exercise 1's service, where its solution runs.
                    String paid = RoutingApi.newId("marker");
                    String cancelled = RoutingApi.newId("marker");
                    String apac = RoutingApi.newId("marker");
                    api.publish("order.us.paid", paid, "5000");
                    api.publish("order.eu.cancelled", cancelled, "1");
                    api.publish("order.apac.created", apac, "1");
                    markers.add(paid);
                    markers.add(cancelled);
                    markers.add(apac);
                    List<JsonObject> seen = api.deliveries().stream()
                            .filter(d -> markers.contains(d.getString("id")) && !d.getString("service").equals("x"))
                            .toList();
                    return seen.stream().map(Barrier::slot).collect(Collectors.toSet()).containsAll(everyone);
                });
    }

    private static String slot(JsonObject json) {
        return json.getString("subscription") + "/" + (json.containsKey("instance") ? json.getString("instance") : json.getString("service"));
    }
}
