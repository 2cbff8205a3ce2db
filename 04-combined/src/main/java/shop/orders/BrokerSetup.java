package shop.orders;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
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

    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Logger LOG = Logger.getLogger(BrokerSetup.class.getName());

    @Inject
    Rabbit rabbit;
    @Inject
    ShopSettings settings;
    @Inject @ConfigProperty(name = "rabbitmq.provision")
    boolean provision;
    @Inject @ConfigProperty(name = "rabbitmq.virtual-host")
    String virtualHost;
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
        var factory = rabbit.amqp();
        factory.setAutomaticRecoveryEnabled(false);
        try (com.rabbitmq.client.Connection admin = factory.newConnection("setup")) {
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
        // tags "": no management UI, no monitoring, nothing but the permissions below.
        put("/api/users/" + encode(login.username()),
                JSON.createObjectBuilder().add("password", login.password()).add("tags", "").build().toString());
        put("/api/permissions/" + encode(virtualHost) + "/" + encode(login.username()), JSON.createObjectBuilder()
                .add("configure", role.configure()).add("write", role.write()).add("read", role.read()).build().toString());
        for (Map.Entry<String, String> topic : role.topicWrites().entrySet()) {
            put("/api/topic-permissions/" + encode(virtualHost) + "/" + encode(login.username()), JSON.createObjectBuilder()
                    .add("exchange", topic.getKey()).add("write", topic.getValue()).add("read", "^$").build().toString());
        }
        LOG.info(" [*] Broker user '" + login.username() + "' (" + role.key() + "): configure '" + role.configure()
                + "', write '" + role.write() + "', read '" + role.read() + "'");
    }
    // end::provision-roles[]

    private void put(String path, String json) throws IOException, InterruptedException {
        api.put(path, json);
    }

    private static String encode(String segment) {
        return ManagementApi.encode(segment);
    }
}
