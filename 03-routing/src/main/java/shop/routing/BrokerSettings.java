package shop.routing;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Where the broker is and how consumers pace themselves, read once from MicroProfile Config. */
// Module 03's counterpart of Rabbit in 02 and 04, with the same jms(), amqp() and describe(), but not a copy: here the
// whole application is one broker user (rabbitmq.username), not one per role, and the shared JMS connection puts its
// own hooks into the AMQP client (Broker's guard and ledger), where Rabbit's factory has only a metrics watch.
@ApplicationScoped
public class BrokerSettings {

    @Inject
    @ConfigProperty(name = "rabbitmq.host")
    String host;

    @Inject
    @ConfigProperty(name = "rabbitmq.port")
    int port;

    @Inject
    @ConfigProperty(name = "rabbitmq.username")
    String username;

    @Inject
    @ConfigProperty(name = "rabbitmq.password")
    String password;

    @Inject
    @ConfigProperty(name = "rabbitmq.virtual-host")
    String virtualHost;

    @Inject
    @ConfigProperty(name = "rabbitmq.prefetch")
    int prefetch;

    public String host() { return host; }

    public int port() { return port; }

    public String username() { return username; }

    public String password() { return password; }

    public String virtualHost() { return virtualHost; }

    public int prefetch() { return prefetch; }

    /** For log lines and error messages; never includes the password. */
    public String describe() {
        return username + "@" + host + ":" + port + " vhost '" + virtualHost + "'";
    }

    /** A JMS connection factory for this broker; the server's connection and the publisher's each add their own options. */
    public RMQConnectionFactory jms() {
        RMQConnectionFactory factory = new RMQConnectionFactory();
        factory.setHost(host());
        factory.setPort(port());
        factory.setUsername(username());
        factory.setPassword(password());
        factory.setVirtualHost(virtualHost());
        return factory;
    }

    /** A plain AMQP connection factory, for what JMS cannot express. */
    public ConnectionFactory amqp() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host());
        factory.setPort(port());
        factory.setUsername(username());
        factory.setPassword(password());
        factory.setVirtualHost(virtualHost());
        factory.setConnectionTimeout(2_000);
        // Unlike the JMS connection's, this one recovers itself (the client's automatic recovery, on by default):
        // its channels, the cache's server-named queues and bindings, and the warehouse's and watcher's consumers.
        factory.setNetworkRecoveryInterval(1_000);
        return factory;
    }
}
