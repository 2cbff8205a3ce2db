package shop.tasks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The demo's stand-in for an operator: declares the tasks' topology and creates this process's RabbitMQ users
 * (the producer's and the board's, or this worker's), with the administrator login (rabbitmq.username); with
 * rabbitmq.provision=false an operator has done both.
 */
@ApplicationScoped
public class BrokerSetup {

    private static final Logger LOG = Logger.getLogger(BrokerSetup.class.getName());

    @Inject
    Rabbit rabbit;
    @Inject
    TaskSettings settings;
    @Inject @ConfigProperty(name = "rabbitmq.provision")
    boolean provision;
    @Inject
    ManagementApi api;
    /** Queues and routes added to the topology from outside the lesson, if any. */
    @Inject
    @Any
    Instance<TopologyExtension> topologyExtensions;

    private boolean usersCreated;

    /**
     * Before a role connects, and again at each reconnect: throws while the broker cannot be set up, and the caller
     * retries as for any outage. The topology is declared every time, so a reconnect restores a queue an operator
     * deleted by mistake (the roles may not declare it themselves); the users are created once.
     */
    public synchronized void ensure() throws Exception {
        if (!provision) {
            return;
        }
        try (com.rabbitmq.client.Connection admin = rabbit.administrator()) {
            TaskTopology.declare(admin, settings.maxAttempts(), topologyExtensions);
        }
        ensureUsers();
    }

    /**
     * Only the users, once: for the producer's publisher, which never declared anything. Its declare would put back a
     * route that a TopologyExtension of the workers took away, if the producer runs without it.
     */
    public synchronized void ensureUsers() throws Exception {
        if (!provision) {
            return;
        }
        if (!usersCreated) {
            List<BrokerUser> users = settings.runs(TaskSettings.Role.PRODUCER)
                    ? List.of(BrokerUser.PRODUCER, BrokerUser.BOARD) : List.of(BrokerUser.WORKER);
            for (BrokerUser user : users) {
                provision(user);
            }
            usersCreated = true;
        }
    }

    // tag::provision-users[]
    /** Idempotent: PUT creates or overwrites the user, its permissions in this vhost, and its topic permissions. */
    private void provision(BrokerUser user) throws IOException, InterruptedException {
        Rabbit.Login login = rabbit.login(user);
        List<String> added = topologyExtensions.stream().flatMap(e -> e.workerWrites().stream()).toList();
        api.putUser(login.username(), login.password());
        api.putPermissions(login.username(), user.configure(), user.write(added), user.read(settings));
        // tasks.events is a topic exchange, so the broker can check each publish's routing key against the user's.
        api.putTopicPermissions(login.username(), TaskTopology.EVENTS_EXCHANGE, user.eventKeys(settings), ".*");
        LOG.info(" [*] Broker user '" + login.username() + "' (" + user.key() + "): configure '" + user.configure()
                + "', write '" + user.write(added) + "', read '" + user.read(settings) + "', tasks.events keys '"
                + user.eventKeys(settings) + "'");
    }
    // end::provision-users[]
}
