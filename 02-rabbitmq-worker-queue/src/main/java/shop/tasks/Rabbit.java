package shop.tasks;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MetricsCollector;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where the broker is: one place that turns the rabbitmq.* config keys into connection factories. The same file in
 * modules 02 and 04; what a module adds (04's TLS, 02's worker users) lives in its {@link RabbitOptions}.
 */
@ApplicationScoped
public class Rabbit {

    /** Who connects: each module's enum of broker users, each with its own rabbitmq.{key}.username and .password. */
    public interface User {
        /** The middle of its config keys: rabbitmq.{key}.username. */
        String key();
    }

    @Inject @ConfigProperty(name = "rabbitmq.host")
    String host;
    @Inject @ConfigProperty(name = "rabbitmq.port")
    int port;
    @Inject @ConfigProperty(name = "rabbitmq.username")
    String username;
    @Inject @ConfigProperty(name = "rabbitmq.password")
    String password;
    @Inject @ConfigProperty(name = "rabbitmq.virtual-host")
    String virtualHost;
    @Inject
    RabbitOptions options;

    /** A JMS connection factory for a role's own user, with the client's prefetch (a consumer sets its own). */
    public RMQConnectionFactory jms(User role) {
        return jms(role, 0, null);
    }

    /** A JMS connection factory for a role's own user; prefetch is the number of unacknowledged messages one consumer may hold. */
    public RMQConnectionFactory jms(User role, int prefetch) {
        return jms(role, prefetch, null);
    }

    // tag::jms-factory[]
    /** As {@link #jms(User, int)}, with a watch on the AMQP client's channels underneath (null for none). */
    public RMQConnectionFactory jms(User role, int prefetch, MetricsCollector watch) {
        Login login = login(role);
        RMQConnectionFactory factory = new RMQConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(login.username());
        factory.setPassword(login.password());
        factory.setVirtualHost(virtualHost);
        options.secure(factory);
        // tag::worker-defaults[]
        if (prefetch > 0) {
            // The client's default is unlimited prefetch: one busy consumer would hoard the whole queue.
            factory.setChannelsQos(prefetch);
        }
        // Bodies are plain JSON text on plain AMQP queues, so any AMQP tool can read them;
        // this flag lets JMS consumers get them back as TextMessage.
        factory.setKeepTextMessageType(true);
        // The client interrupts onMessage after 2 s by default, and then closes the consumer's
        // channel: the consumer's owner would live on, consuming nothing.
        factory.setOnMessageTimeoutMs(options.onMessageTimeoutMs());
        // Fail in 2 s when the broker is unreachable instead of the client's 60 s, and reconnect
        // ourselves (see Reconnecting) rather than let the AMQP client replay half a JMS session.
        factory.setAmqpConnectionFactoryPostProcessor(amqp -> {
            amqp.setConnectionTimeout(2_000);
            amqp.setAutomaticRecoveryEnabled(false);
            if (watch != null) {
                amqp.setMetricsCollector(watch);
            }
        });
        // end::worker-defaults[]
        return factory;
    }
    // end::jms-factory[]

    /** A plain AMQP connection factory for a role's own user, for what JMS cannot express. */
    public ConnectionFactory amqp(User role) {
        Login login = login(role);
        return amqp(login.username(), login.password());
    }

    /**
     * A connection with the administrator login (rabbitmq.username), only for {@link BrokerSetup}, which declares the
     * topology on it and closes it: no automatic recovery.
     */
    com.rabbitmq.client.Connection administrator() throws IOException, TimeoutException {
        ConnectionFactory factory = amqp(username, password);
        factory.setAutomaticRecoveryEnabled(false);
        return factory.newConnection("setup");
    }

    // tag::login[]
    /** A role's own login: rabbitmq.{key}.username and .password. */
    public Login login(User role) {
        Config config = ConfigProvider.getConfig();
        return new Login(options.username(config.getValue("rabbitmq." + role.key() + ".username", String.class)),
                config.getValue("rabbitmq." + role.key() + ".password", String.class));
    }
    // end::login[]

    /** A RabbitMQ user name and its password. */
    public record Login(String username, String password) {
        @Override
        public String toString() {
            return username; // never the password, should a login end up in a log line
        }
    }

    private ConnectionFactory amqp(String user, String secret) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(user);
        factory.setPassword(secret);
        factory.setVirtualHost(virtualHost);
        options.secure(factory);
        factory.setConnectionTimeout(2_000);
        factory.setNetworkRecoveryInterval(1_000);
        return factory;
    }

    public String describe() {
        return options.scheme() + "://" + host + ":" + port + (virtualHost.equals("/") ? "" : "/" + virtualHost);
    }
}
