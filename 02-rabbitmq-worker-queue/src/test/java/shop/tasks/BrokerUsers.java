package shop.tasks;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.http.client.domain.UserInfo;
import course.testkit.RabbitVhost;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The broker users of this test run (the producer's, the board's, one per worker): named after the run's vhost,
 * created by the producer and the workers at start (rabbitmq.provision), and deleted once they are no longer used,
 * the workers' after each class and the producer's once it stops, since deleting the vhost keeps users.
 */
final class BrokerUsers {

    private BrokerUsers() {
    }

    /** Must match the producer's settings and the workers' (DeployedProducer.producerSettings and startWorker). */
    static String name(BrokerUser user) {
        return RabbitVhost.name() + "-" + user.key();
    }

    /** A worker's user: {id} is its tasks.worker.id. */
    static String workerName() {
        return RabbitVhost.name() + "-worker-{id}";
    }

    static Connection connect(BrokerUser user, String workerId) throws Exception {
        ConnectionFactory factory = RabbitVhost.amqpFactory();
        factory.setUsername(user == BrokerUser.WORKER ? workerName().replace("{id}", workerId) : name(user));
        factory.setPassword(password(user));
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

    /**
     * The users of this run whose names start with the vhost's, a dash and {@code prefix}: {@code "worker-"} for the
     * workers', {@code ""} for every one.
     */
    static void deleteStartingWith(String prefix) {
        RabbitVhost.management().getUsers().stream().map(UserInfo::getName)
                .filter(name -> name.startsWith(RabbitVhost.name() + "-" + prefix)).forEach(RabbitVhost.management()::deleteUser);
    }
}
