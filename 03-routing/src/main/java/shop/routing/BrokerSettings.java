package shop.routing;

import com.rabbitmq.jms.admin.RMQConnectionFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Where the broker is and how consumers pace themselves, read once from MicroProfile Config. */
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
    public RMQConnectionFactory jmsFactory() {
        RMQConnectionFactory factory = new RMQConnectionFactory();
        factory.setHost(host());
        factory.setPort(port());
        factory.setUsername(username());
        factory.setPassword(password());
        factory.setVirtualHost(virtualHost());
        return factory;
    }
}
