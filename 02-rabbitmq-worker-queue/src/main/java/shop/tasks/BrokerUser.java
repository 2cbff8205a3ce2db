package shop.tasks;

import java.util.List;

/**
 * Who connects to RabbitMQ, and what each may do there: the producer, the board that follows the workers, and every
 * worker have their own user, whose permissions allow exactly their own queues and the routing keys they publish.
 */
public enum BrokerUser implements Rabbit.User {

    // tag::roles[]
    // configure: the queues and exchanges a role may declare or delete. "^$" matches none: the topology is the
    // operator's (BrokerSetup in the demo). The board declares one queue of its own, which the broker names amq.gen-...
    // write: the exchanges a role publishes to (and the queues it binds). read: the queues it consumes (and the
    // exchanges it binds them to). {queue} is the worker's own queue, tasks.worker.queue.
    PRODUCER("producer", "^$", "^tasks$", "^$"),
    BOARD("board", "^amq\\.gen-.*$", "^amq\\.gen-.*$", "^(amq\\.gen-.*|tasks\\.events|tasks\\.dlx)$"),
    // tasks and tasks.dlx: a task the worker sets aside (FailedTasks); tasks.events: its reports.
    WORKER("worker", "^$", "^tasks(\\.dlx|\\.events)?$", "^{queue}$");

    /** Topic permission of a worker on tasks.events: only events whose routing key ends in its own id ({id}). */
    static final String WORKER_EVENTS = "^(task\\.(running|done|failed)|worker\\.heartbeat)\\.{id}$";
    // end::roles[]

    private final String key;
    private final String configure;
    private final String write;
    private final String read;

    BrokerUser(String key, String configure, String write, String read) {
        this.key = key;
        this.configure = configure;
        this.write = write;
        this.read = read;
    }

    /** The middle of its config keys: rabbitmq.producer.username. */
    public String key() {
        return key;
    }

    public String configure() {
        return configure;
    }

    /** What it may publish to; for a worker also what TopologyExtension beans add for workers ({@code added}, regexes). */
    public String write(List<String> added) {
        if (this != WORKER || added.isEmpty()) {
            return write;
        }
        return "^(" + write.substring(1, write.length() - 1) + "|" + String.join("|", added) + ")$";
    }

    /** What it may consume; a worker its own queue. */
    public String read(TaskSettings settings) {
        return read.replace("{queue}", literal(settings.workerQueue()));
    }

    /** The routing keys it may publish to tasks.events; none but a worker's own. */
    public String eventKeys(TaskSettings settings) {
        return this == WORKER ? WORKER_EVENTS.replace("{id}", literal(settings.workerId())) : "^$";
    }

    /** A name as a regex that matches it alone: names here are letters, digits, dashes, underscores and dots. */
    private static String literal(String name) {
        return name.replace(".", "\\.");
    }
}
