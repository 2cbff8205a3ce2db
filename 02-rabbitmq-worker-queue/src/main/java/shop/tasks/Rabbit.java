package shop.tasks;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Where the broker is: one place that turns the rabbitmq.* config keys into connection factories. */
@ApplicationScoped
public class Rabbit {

    /** Longer than the longest simulated work (60 s, see TaskRequest), with room to spare. */
    static final int ON_MESSAGE_TIMEOUT_MS = 120_000;

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
    TaskSettings settings;

    // tag::jms-factory[]
    /** A JMS connection factory for a role's own user. (The worker adds its prefetch: Worker#prefetch.) */
    public RMQConnectionFactory jms(BrokerUser role) {
        Login login = login(role);
        RMQConnectionFactory factory = new RMQConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(login.username());
        factory.setPassword(login.password());
        factory.setVirtualHost(virtualHost);
        // Task bodies are plain JSON text on plain AMQP queues, so any AMQP tool can read them;
        // this flag lets JMS consumers get them back as TextMessage.
        factory.setKeepTextMessageType(true);
        // The client interrupts onMessage after 2 s by default, and then closes the consumer's
        // channel: the worker would live on, consuming nothing. Work may take a minute here.
        factory.setOnMessageTimeoutMs(ON_MESSAGE_TIMEOUT_MS);
        // Fail in 2 s when the broker is unreachable instead of the client's 60 s, and reconnect
        // ourselves (see NewTask, Watchdog) rather than let the AMQP client replay half a JMS session.
        factory.setAmqpConnectionFactoryPostProcessor(amqp -> {
            amqp.setConnectionTimeout(2_000);
            amqp.setAutomaticRecoveryEnabled(false);
        });
        return factory;
    }
    // end::jms-factory[]

    /** A plain AMQP connection factory for a role's own user, for what JMS cannot express: passive declares, a server-named queue. */
    public ConnectionFactory amqp(BrokerUser role) {
        Login login = login(role);
        return amqp(login.username(), login.password());
    }

    /** As {@link #amqp(BrokerUser)} with the administrator login (rabbitmq.username): only for {@link BrokerSetup}. */
    ConnectionFactory amqp() {
        return amqp(username, password);
    }

    // tag::login[]
    /** A role's own login: rabbitmq.producer.username and .password, and likewise for board and worker. */
    public Login login(BrokerUser role) {
        Config config = ConfigProvider.getConfig();
        // Each worker is a user of its own: {id} in rabbitmq.worker.username stands for its tasks.worker.id.
        return new Login(config.getValue("rabbitmq." + role.key() + ".username", String.class).replace("{id}", settings.workerId()),
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
        factory.setConnectionTimeout(2_000);
        factory.setNetworkRecoveryInterval(1_000);
        return factory;
    }

    public String describe() {
        return "amqp://" + host + ":" + port + (virtualHost.equals("/") ? "" : "/" + virtualHost);
    }
}
