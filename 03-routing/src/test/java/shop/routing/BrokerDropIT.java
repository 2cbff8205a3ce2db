package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.http.client.domain.ConnectionInfo;
import course.testkit.RabbitVhost;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The failure lab "drop the connection": the broker closes every connection of the shop, and its services come back by themselves. */
class BrokerDropIT extends DeployedRouting {

    @Test
    void everyServiceConsumesAgainAfterTheBrokerDropsTheShopsConnections() {
        RoutingApi api = api();
        Barrier.awaitEverySubscriptionPassed(api);

        // What an operator's "close connection" in the management UI does, or a broker that restarts.
        List<String> connections = RabbitVhost.connections().stream().map(ConnectionInfo::getName).toList();
        assertThat(connections).as("the shop's connections in this run's vhost").isNotEmpty();
        connections.forEach(RabbitVhost.management()::closeConnection);

        // The publisher may answer 503 while it reconnects; after that every subscription gets a marker again.
        await("a publish accepted again").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .untilAsserted(() -> api.publish("order.us.created", RoutingApi.newId("D"), "1"));
        Barrier.awaitEverySubscriptionPassed(api);
        await("every instance consuming, as the services endpoint says").atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(api.services()).allSatisfy(s ->
                        assertThat(s.getBoolean("consuming")).as(s.toString()).isTrue()));
    }
}
