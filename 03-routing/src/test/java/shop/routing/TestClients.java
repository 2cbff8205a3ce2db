package shop.routing;

import com.rabbitmq.client.ConnectionFactory;
import course.testkit.RabbitVhost;

/** Plain AMQP clients of the test itself, on this run's vhost: a producer or consumer the shop does not control. */
final class TestClients {

    private TestClients() {
    }

    static ConnectionFactory amqp() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(RabbitVhost.host());
        factory.setPort(RabbitVhost.port());
        factory.setUsername(RabbitVhost.username());
        factory.setPassword(RabbitVhost.password());
        factory.setVirtualHost(RabbitVhost.name());
        return factory;
    }
}
