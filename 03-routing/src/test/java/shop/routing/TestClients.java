package shop.routing;

import com.rabbitmq.client.ConnectionFactory;
import course.testkit.RabbitVhost;

/** Plain AMQP clients of the test itself, on this run's vhost: a producer or consumer the shop does not control. */
public final class TestClients {

    private TestClients() {
    }

    /** A JMS client of the test's own, on this run's vhost: a JMS producer the shop does not control. */
    static com.rabbitmq.jms.admin.RMQConnectionFactory jms() {
        com.rabbitmq.jms.admin.RMQConnectionFactory factory = new com.rabbitmq.jms.admin.RMQConnectionFactory();
        factory.setHost(RabbitVhost.host());
        factory.setPort(RabbitVhost.port());
        factory.setUsername(RabbitVhost.username());
        factory.setPassword(RabbitVhost.password());
        factory.setVirtualHost(RabbitVhost.name());
        return factory;
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

    /** The server's broker settings as a unit test sets them, without Payara's config: guest on localhost:{@code port}, vhost {@code /}. */
    public static BrokerSettings brokerSettings(int port) {
        BrokerSettings settings = new BrokerSettings();
        settings.host = "localhost";
        settings.port = port;
        settings.username = "guest";
        settings.password = "guest";
        settings.virtualHost = "/";
        return settings;
    }
}
