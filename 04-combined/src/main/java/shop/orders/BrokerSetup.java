package shop.orders;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Map;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The demo's stand-in for an operator: declares the workflow's topology and creates each role's RabbitMQ user
 * once, with the administrator login (rabbitmq.username); with rabbitmq.provision=false an operator has done both.
 */
@ApplicationScoped
public class BrokerSetup {

    private static final Logger LOG = Logger.getLogger(BrokerSetup.class.getName());

    @Inject
    Rabbit rabbit;
    @Inject
    ShopSettings settings;
    @Inject @ConfigProperty(name = "rabbitmq.provision")
    boolean provision;
    @Inject
    ManagementApi api;

    private boolean usersCreated;

    /**
     * Before a role connects, and again at each reconnect: throws while the broker cannot be set up, and the caller
     * retries as for any outage. The topology is declared every time, so a reconnect restores an exchange an operator
     * deleted by mistake (the roles may not declare it themselves); the users are created once.
     */
    public synchronized void ensure() throws Exception {
        if (!provision) {
            return;
        }
        try (com.rabbitmq.client.Connection admin = rabbit.administrator()) {
            OrderTopology.declare(admin, settings.maxAttempts());
        }
        if (!usersCreated) {
            for (Role role : Role.values()) {
                provision(role);
            }
            usersCreated = true;
        }
    }

    // tag::provision-roles[]
    /** Idempotent: PUT creates or overwrites the user, its permissions in this vhost, and its topic permissions. */
    private void provision(Role role) throws IOException, InterruptedException {
        Rabbit.Login login = rabbit.login(role);
        api.putUser(login.username(), login.password());
        api.putPermissions(login.username(), role.configure(), role.write(), role.read());
        for (Map.Entry<String, String> topic : role.topicWrites().entrySet()) {
            api.putTopicPermissions(login.username(), topic.getKey(), topic.getValue(), "^$");
        }
        LOG.info(" [*] Broker user '" + login.username() + "' (" + role.key() + "): configure '" + role.configure()
                + "', write '" + role.write() + "', read '" + role.read() + "'");
    }
    // end::provision-roles[]
}
