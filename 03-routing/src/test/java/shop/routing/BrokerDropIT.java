package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.http.client.domain.ConnectionInfo;
import course.testkit.RabbitVhost;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The failure lab "drop the connection": the broker closes every connection of the shop, and its services, tick
 * subscribers, cache broadcast and warehouse round trip come back by themselves.
 */
class BrokerDropIT extends DeployedRouting {

    @Test
    void everyServiceTickSubscriberCacheAndTheWarehouseWorkAgainAfterTheBrokerDropsTheShopsConnections() {
        RoutingApi api = api();
        Barrier.awaitEverySubscriptionPassed(api);

        // What an operator's "close connection" in the management UI does, or a broker that restarts.
        // The management API lists a new connection only after its next statistics round: waited for, all three
        // (the services' JMS connection, the publisher's, and the plain AMQP one).
        List<String> connections = await("the shop's three connections in this run's vhost").atMost(Duration.ofSeconds(20))
                .until(() -> RabbitVhost.connections().stream().map(ConnectionInfo::getName).toList(), listed -> listed.size() >= 3);
        connections.forEach(RabbitVhost.management()::closeConnection);

        // The publisher may answer 503 while it reconnects; after that every subscription gets a marker again.
        await("a publish accepted again").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .untilAsserted(() -> api.publish("order.us.created", RoutingApi.newId("D"), "1"));
        Barrier.awaitEverySubscriptionPassed(api);
        await("every instance consuming, as the services endpoint says").atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(api.services()).allSatisfy(s ->
                        assertThat(s.getBoolean("consuming")).as(s.toString()).isTrue()));

        // Ticks are not kept for a subscriber that is not there yet: sent again until all three got one.
        String tick = "tick.xnas.AAPL " + System.nanoTime() % 100_000 + ".05"; // matched by every subscriber
        await("a tick reaches every tick subscriber again").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(api.post("api/ticks", "[" + RoutingIT.tickJson(tick) + "]").statusCode()).isEqualTo(202);
            assertThat(RoutingIT.recentTicks(api)).hasSize(3).allSatisfy((subscriber, recent) ->
                    assertThat(recent).as(subscriber).contains(tick));
        });
        // Nor is an invalidation kept for a cache whose queue is not back yet: sent again until both evicted.
        String sku = "sku-" + RoutingApi.newId("c").toLowerCase();
        await("an invalidation heard by both caches again").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(api.post("api/catalog/" + sku + "/invalidation", "").statusCode()).isEqualTo(202);
            assertThat(InteropIT.evictions(api, sku)).contains(" [cache-1] Evicted '" + sku + "'", " [cache-2] Evicted '" + sku + "'");
        });
        // A paid order waits in its durable queue: once, through the JMS gateway, the AMQP warehouse and back through JMS.
        String paid = RoutingApi.newId("P");
        api.publish("order.eu.paid", paid, "42.50");
        InteropIT.awaitLine(api, d -> d.getString("service").equals("warehouse") && d.getString("id").equals(paid));
        InteropIT.awaitLine(api, d -> d.getString("service").equals("audit") && d.getString("id").equals(paid)
                && d.getString("key").equals("order.eu.shipped"));
    }
}
