package shop.orders;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Where the broker is: one place that turns the rabbitmq.* config keys into connection factories. */
@ApplicationScoped
public class Rabbit {

    /** Longer than any step's simulated work, with room to spare. */
    static final int ON_MESSAGE_TIMEOUT_MS = 60_000;

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
    @Inject @ConfigProperty(name = "rabbitmq.tls")
    boolean tls;
    @Inject @ConfigProperty(name = "rabbitmq.tls.truststore")
    Optional<String> truststore;
    @Inject @ConfigProperty(name = "rabbitmq.tls.truststore-password")
    Optional<String> truststorePassword;

    // tag::jms-factory[]
    /** A JMS connection factory for a role's own user; prefetch is the number of unacknowledged commands one consumer may hold. */
    public RMQConnectionFactory jms(Role role, int prefetch) {
        return jms(role, prefetch, null);
    }

    /** As {@link #jms(Role, int)}, with a watch on the AMQP client's channels underneath (see {@link ConsumerWatch}). */
    public RMQConnectionFactory jms(Role role, int prefetch, com.rabbitmq.client.MetricsCollector watch) {
        Login login = login(role);
        RMQConnectionFactory factory = new RMQConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(login.username());
        factory.setPassword(login.password());
        factory.setVirtualHost(virtualHost);
        if (tls) {
            factory.useSslProtocol(sslContext());
            factory.setHostnameVerification(true); // the broker's certificate must name rabbitmq.host
        }
        // The client's default is unlimited prefetch: one busy worker would hoard the whole queue.
        factory.setChannelsQos(prefetch);
        // Bodies are plain JSON text on plain AMQP queues, so any AMQP tool can read them;
        // this flag lets JMS consumers get them back as TextMessage.
        factory.setKeepTextMessageType(true);
        // The client interrupts onMessage after 2 s by default, and then closes the consumer's
        // channel: the service would live on, consuming nothing.
        factory.setOnMessageTimeoutMs(ON_MESSAGE_TIMEOUT_MS);
        // Fail in 2 s when the broker is unreachable instead of the client's 60 s, and reconnect
        // ourselves (see OrderCommands, StepService) rather than let the AMQP client replay half a JMS session.
        factory.setAmqpConnectionFactoryPostProcessor(amqp -> {
            amqp.setConnectionTimeout(2_000);
            amqp.setAutomaticRecoveryEnabled(false);
            if (watch != null) {
                amqp.setMetricsCollector(watch);
            }
        });
        return factory;
    }
    // end::jms-factory[]

    /** A plain AMQP connection factory for a role's own user, for what JMS cannot express: reading a stream by offset. */
    public ConnectionFactory amqp(Role role) {
        Login login = login(role);
        return amqp(login.username(), login.password());
    }

    /** As {@link #amqp(Role)} with the administrator login (rabbitmq.username): only for {@link BrokerSetup}. */
    ConnectionFactory amqp() {
        return amqp(username, password);
    }

    // tag::login[]
    /** A role's own login: rabbitmq.payment.username and .password, and likewise for inventory, shipping and web. */
    public Login login(Role role) {
        Config config = ConfigProvider.getConfig();
        return new Login(config.getValue("rabbitmq." + role.key() + ".username", String.class),
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
        if (tls) {
            factory.useSslProtocol(sslContext());
            factory.enableHostnameVerification(); // the broker's certificate must name rabbitmq.host
        }
        factory.setConnectionTimeout(2_000);
        factory.setNetworkRecoveryInterval(1_000);
        return factory;
    }

    // tag::tls[]
    /**
     * The TLS settings of amqps: trust the certificates in rabbitmq.tls.truststore (PKCS12), for
     * example a test-made self-signed one, or else the JVM's CAs, enough for a broker whose
     * certificate comes from a public CA.
     */
    private SSLContext sslContext() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(truststore.isEmpty() ? null : KeyStore.getInstance(new File(truststore.get()),
                    truststorePassword.orElse("").toCharArray()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null); // no key managers: the app shows no certificate of its own
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot use rabbitmq.tls.truststore " + truststore.orElse("(none)") + ": " + e, e);
        }
    }
    // end::tls[]

    public String describe() {
        return (tls ? "amqps://" : "amqp://") + host + ":" + port + (virtualHost.equals("/") ? "" : "/" + virtualHost);
    }
}
