package shop.tasks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import course.testkit.RabbitVhost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

/** The test's own plain AMQP view of the broker: queue depths, and publishing as a foreign producer would. */
final class TestBroker implements AutoCloseable {

    private final Connection connection;

    private TestBroker(Connection connection) {
        this.connection = connection;
    }

    /** The shared broker, in this run's vhost. */
    static TestBroker connect() {
        return connect(RabbitVhost.port(), RabbitVhost.name());
    }

    static TestBroker connect(int port, String vhost) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(RabbitVhost.host());
        factory.setPort(port);
        factory.setUsername(RabbitVhost.username());
        factory.setPassword(RabbitVhost.password());
        factory.setVirtualHost(vhost);
        try {
            return new TestBroker(factory.newConnection("test"));
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("Cannot connect to RabbitMQ on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Ready messages: waiting for a consumer, not counting those a worker holds unacknowledged. */
    long ready(String queue) throws IOException, TimeoutException {
        try (Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        }
    }

    /** Whether the queue exists in this vhost: a passive declare, on a channel of its own, which a 404 closes. */
    boolean exists(String queue) throws IOException, TimeoutException {
        Channel channel = connection.createChannel();
        try {
            channel.queueDeclarePassive(queue);
            channel.close();
            return true;
        } catch (IOException notFound) {
            return false;
        }
    }

    /** Publishes a task straight to the tasks exchange, as a second producer or a retrying client would. */
    void publish(Task task) throws IOException, TimeoutException, InterruptedException {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(TaskTopology.EXCHANGE, task.type().routingKey(),
                    new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("application/json").build(),
                    task.toJson().getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
        }
    }

    /** Publishes any bytes to the tasks exchange, as a foreign AMQP client may: the worker must survive them. */
    void publishRaw(String routingKey, AMQP.BasicProperties properties, byte[] body)
            throws IOException, TimeoutException, InterruptedException {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(TaskTopology.EXCHANGE, routingKey, properties, body);
            channel.waitForConfirmsOrDie(5_000);
        }
    }

    /** Publishes many tasks on one channel and waits once for all the broker's confirms, as a batch job would. */
    void publishAll(java.util.List<Task> tasks) throws IOException, TimeoutException, InterruptedException {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("application/json").build();
            for (Task task : tasks) {
                channel.basicPublish(TaskTopology.EXCHANGE, task.type().routingKey(), persistent,
                        task.toJson().getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(60_000);
        }
    }

    /**
     * Publishes reports to the tasks exchange until the broker refuses one (a nack): the queue is at its
     * x-max-length. A quorum queue takes one message past the limit before it refuses (measured on 3.10:
     * x-max-length 5 took 6), so this publishes singly at the end. Returns how many it published.
     */
    long fillUntilRefused(long limit) throws IOException, TimeoutException, InterruptedException {
        long published = Math.max(0, limit - ready(TaskTopology.QUEUE));
        publishAll(java.util.stream.LongStream.range(0, published).mapToObj(i -> filler()).toList());
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int extra = 0; extra < 10; extra++) {
                Task task = filler();
                channel.basicPublish(TaskTopology.EXCHANGE, task.type().routingKey(),
                        new AMQP.BasicProperties.Builder().deliveryMode(2).build(), task.toJson().getBytes(StandardCharsets.UTF_8));
                if (!channel.waitForConfirms(5_000)) {
                    return published;
                }
                published++;
            }
        }
        throw new AssertionError("The broker still took tasks 10 past the limit of " + limit + ": is x-max-length set?");
    }

    private static Task filler() {
        return new Task(java.util.UUID.randomUUID().toString(), TaskType.REPORT, "F-1", "", 0, 0);
    }

    /** Deletes the tasks queue and declares it again with another x-max-length, for an experiment that preloads more. */
    void redeclareWorkQueue(int maxLength) throws IOException, TimeoutException {
        try (Channel channel = connection.createChannel()) {
            channel.queueDelete(TaskTopology.QUEUE);
        }
        TaskTopology.declare(connection, 4, maxLength);
    }

    /** Takes every ready message off the queue (acknowledged, so gone) and returns the task id in each, duplicates included. */
    java.util.List<String> takeTaskIds(String queue) throws IOException, TimeoutException {
        java.util.List<String> ids = new java.util.ArrayList<>();
        try (Channel channel = connection.createChannel()) {
            for (GetResponse message = channel.basicGet(queue, true); message != null; message = channel.basicGet(queue, true)) {
                ids.add(Task.fromJson(new String(message.getBody(), StandardCharsets.UTF_8)).id());
            }
        }
        return ids;
    }

    void purge(String queue) throws IOException, TimeoutException {
        try (Channel channel = connection.createChannel()) {
            channel.queuePurge(queue);
        }
    }

    /**
     * Puts the topology back as the producer declared it, empty: deletes the work queues and what the exercises add,
     * then declares it again with the module's defaults. The exchanges tasks, tasks.dlx and tasks.events stay: the
     * running producer publishes to the first, and its status feed's queue is bound to the other two.
     */
    void resetTopology() throws IOException, TimeoutException {
        try (Channel channel = connection.createChannel()) {
            channel.queueDelete(TaskTopology.QUEUE);
            channel.queueDelete(TaskTopology.DEAD_LETTER_QUEUE);
            // What the exercises add, where a test switched it on (RabbitMQ's deletes are idempotent). By name, not
            // by the reference solutions' constants: the tests compile without them (exercises/start.sh).
            channel.queueDelete("tasks.reports");
            for (int attempt = 1; attempt < 10; attempt++) {
                channel.queueDelete("tasks.retry." + attempt);
                channel.exchangeDelete("tasks.retry." + attempt);
            }
        }
        java.util.Properties defaults = BrokerUsers.defaults();
        TaskTopology.declare(connection, Integer.parseInt(defaults.getProperty("tasks.max-attempts")),
                Integer.parseInt(defaults.getProperty("tasks.max-length")));
    }

    Connection connection() {
        return connection;
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
