package shop.orders;

/** The workflow's step services, each with its own queue, and the commands each one takes. */
public enum Step {
    PAYMENT("payment", "orders.payment", "charge", "refund"),
    INVENTORY("inventory", "orders.inventory", "reserve", "answer"),
    SHIPPING("shipping", "orders.shipping", "ship");

    private final String service;
    private final String queue;
    private final String[] commands;

    Step(String service, String queue, String... commands) {
        this.service = service;
        this.queue = queue;
        this.commands = commands;
    }

    public String service() {
        return service;
    }

    public String queue() {
        return queue;
    }

    /** The routing keys bound to this step's queue: a command goes to the one service that handles it. */
    public String[] commands() {
        return commands.clone();
    }
}
