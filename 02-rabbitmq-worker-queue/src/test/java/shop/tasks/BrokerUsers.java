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

    /** Every user of this run, workers' included: the users whose names start with the vhost's. */
    static void deleteAll() {
        RabbitVhost.management().getUsers().stream().map(UserInfo::getName)
                .filter(name -> name.startsWith(RabbitVhost.name() + "-")).forEach(RabbitVhost.management()::deleteUser);
    }
}
