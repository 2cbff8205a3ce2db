package shop.orders;

import java.util.Map;

/**
 * Who connects to RabbitMQ, and what each may do there: every step service and the web tier has its own
 * user, whose permissions allow exactly its own queue and the routing keys it publishes.
 */
public enum Role implements Rabbit.User {

    // tag::roles[]
    // configure "^$": no role declares or deletes anything; the topology is the operator's (BrokerSetup in the demo).
    // write: the exchanges a role publishes to. read: the queue it consumes. Topic permissions then narrow each
    // topic exchange it writes to down to its own routing keys: the commands it sends, the stages it reports.
    PAYMENT("payment", "^$", "^orders(\\.progress|\\.board|\\.dlx)?$", "^orders\\.payment$",
            "^reserve$", "^order\\.(placed|paid|declined|refunded)$"),
    INVENTORY("inventory", "^$", "^orders(\\.progress|\\.board|\\.dlx)?$", "^orders\\.inventory$",
            "^(ship|refund)$", "^order\\.(reserved|backordered|delay_accepted|cancelled)$"),
    // shipping may also cancel and refund: when a shipment can never be made, its compensation is the saga's way out.
    SHIPPING("shipping", "^$", "^orders(\\.progress|\\.board|\\.dlx)?$", "^orders\\.shipping$",
            "^refund$", "^order\\.(shipped|cancelled)$"),
    // The web tier sends the customer's commands and reads the progress stream; it consumes no step's queue.
    // It also writes and reads the sign-outs every instance applies (orders.sessions, a fanout and its stream).
    WEB("web", "^$", "^orders(\\.sessions)?$", "^orders\\.(progress|sessions)$",
            "^(charge|answer)$", "^$");
    // end::roles[]

    private final String key;
    private final String configure;
    private final String write;
    private final String read;
    private final String commands;
    private final String stages;

    Role(String key, String configure, String write, String read, String commands, String stages) {
        this.key = key;
        this.configure = configure;
        this.write = write;
        this.read = read;
        this.commands = commands;
        this.stages = stages;
    }

    /** The step service's role. */
    public static Role of(Step step) {
        return valueOf(step.name());
    }

    /** The middle of its config keys: rabbitmq.payment.username. */
    public String key() {
        return key;
    }

    public String configure() {
        return configure;
    }

    public String write() {
        return write;
    }

    public String read() {
        return read;
    }

    /** The routing keys it may publish, per topic exchange it writes to; reading from a topic exchange (binding) none. */
    public Map<String, String> topicWrites() {
        return Map.of(OrderTopology.COMMANDS, commands, OrderTopology.PROGRESS, stages, OrderTopology.BOARD, stages);
    }
}
