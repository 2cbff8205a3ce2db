package shop.tasks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.http.client.domain.UserInfo;
import course.testkit.RabbitVhost;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The broker users of this test run (the producer's, the board's, one per worker): named after the run's vhost,
 * created by the producer and the workers at start (rabbitmq.provision), and deleted after each class, since deleting
 * the vhost keeps users.
 */
final class BrokerUsers {

    private BrokerUsers() {
    }

    /** Must match -Drabbitmq.producer.username and the like in arquillian.xml and DeployedProducer.startWorker. */
    static String name(BrokerUser user) {
        return RabbitVhost.name() + "-" + user.key();
    }

    /** A worker's user: {id} is its tasks.worker.id. */
    static String workerName() {
        return RabbitVhost.name() + "-worker-{id}";
    }

    static Connection connect(BrokerUser user, String workerId) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(RabbitVhost.host());
        factory.setPort(RabbitVhost.port());
        factory.setUsername(user == BrokerUser.WORKER ? workerName().replace("{id}", workerId) : name(user));
        factory.setPassword(password(user));
        factory.setVirtualHost(RabbitVhost.name());
        return factory.newConnection("as-" + user.key());
    }

    /** The demo password: the tests use the defaults of microprofile-config.properties. */
    private static String password(BrokerUser user) {
        return defaults().getProperty("rabbitmq." + user.key() + ".password");
    }

    /** The module's defaults, microprofile-config.properties. */
    static Properties defaults() {
        Properties defaults = new Properties();
        try (InputStream in = BrokerUsers.class.getClassLoader().getResourceAsStream("META-INF/microprofile-config.properties")) {
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return defaults;
    }

    /** What the broker answered when it closed the channel on {@code action}: ACCESS_REFUSED and its sentence. */
    static String refusal(Connection connection, ChannelAction action) throws Exception {
        Channel channel = connection.createChannel();
        Throwable thrown = catchThrowable(() -> action.run(channel));
        Throwable cause = thrown;
        while (cause != null && !(cause instanceof ShutdownSignalException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("the broker closed the channel, after %s", String.valueOf(thrown)).isNotNull();
        AMQP.Channel.Close close = (AMQP.Channel.Close) ((ShutdownSignalException) cause).getReason();
        assertThat(close.getReplyCode()).isEqualTo(AMQP.ACCESS_REFUSED);
        return close.getReplyText();
    }

    /** Something done on a channel that the broker may refuse. */
    interface ChannelAction {
        void run(Channel channel) throws Exception;
    }

    /** Every user of this run, workers' included: the users whose names start with the vhost's. */
    static void deleteAll() {
        RabbitVhost.management().getUsers().stream().map(UserInfo::getName)
                .filter(name -> name.startsWith(RabbitVhost.name() + "-")).forEach(RabbitVhost.management()::deleteUser);
    }
}
