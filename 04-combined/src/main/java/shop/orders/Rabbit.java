package shop.orders;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MetricsCollector;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
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
    /** A cluster's nodes, {@code host:port,host:port,...}; absent or empty: the one node at rabbitmq.host and .port. */
    @Inject @ConfigProperty(name = "rabbitmq.addresses")
    Optional<String> addresses = Optional.empty(); // until injected: a Rabbit made by a unit test has one node
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
        nodes(factory); // one node, or a cluster's: before the login, which setting a cluster's nodes overwrites
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

    // tag::nodes[]
    /**
     * Where a JMS connection goes: with rabbitmq.addresses, a new connection tries the cluster's nodes one after the
     * other and takes the first that answers, so a reconnect after a node died lands on a survivor. The client does not
     * move a live connection itself: our own reconnect (Reconnecting) opens a new one.
     */
    private void nodes(RMQConnectionFactory factory) {
        List<Address> cluster = cluster();
        if (cluster.isEmpty()) {
            factory.setHost(host);
            factory.setPort(port);
            return;
        }
        try {
            // setUris also takes user, password and vhost from the first URI: the caller sets ours after it.
            factory.setUris(cluster.stream().map(node -> options.scheme() + "://" + node.getHost() + ":" + node.getPort()).toList());
        } catch (JMSException e) {
            throw new IllegalArgumentException("rabbitmq.addresses: " + e.getMessage(), e);
        }
    }
    // end::nodes[]

    /**
     * The nodes of rabbitmq.addresses, in a new random order each time (empty without the key): the client tries them
     * in the order given, so the same order everywhere would put every connection on the first node.
     */
    List<Address> cluster() {
        List<Address> nodes = new ArrayList<>(configuredNodes());
        Collections.shuffle(nodes);
        return nodes;
    }

    private List<Address> configuredNodes() {
        return addresses.map(String::strip).filter(list -> !list.isEmpty())
                .map(list -> Arrays.asList(Address.parseAddresses(list))).orElse(List.of());
    }

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
        ConnectionFactory factory = cluster().isEmpty() ? new ConnectionFactory() : new ConnectionFactory() {
            // A cluster: every new connection tries its nodes one after the other; the first that answers wins.
            @Override
            public com.rabbitmq.client.Connection newConnection(String clientProvidedName) throws IOException, TimeoutException {
                return newConnection(cluster(), clientProvidedName);
            }

            @Override
            public com.rabbitmq.client.Connection newConnection() throws IOException, TimeoutException {
                return newConnection((String) null);
            }
        };
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
        List<Address> cluster = configuredNodes();
        String nodes = cluster.isEmpty() ? host + ":" + port
                : cluster.stream().map(node -> node.getHost() + ":" + node.getPort()).collect(Collectors.joining(","));
        return options.scheme() + "://" + nodes + (virtualHost.equals("/") ? "" : "/" + virtualHost);
    }
}
