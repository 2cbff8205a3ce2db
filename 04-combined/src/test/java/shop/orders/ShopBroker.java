package shop.orders;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import course.testkit.RabbitVhost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

/** The test's own plain AMQP view of the broker: queue depths, and publishing as a retrying producer would. */
final class ShopBroker implements AutoCloseable {

    private final Connection connection;

    private ShopBroker(Connection connection) {
        this.connection = connection;
    }

    static ShopBroker connect() {
        try {
            return new ShopBroker(RabbitVhost.amqpFactory().newConnection("test"));
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("Cannot connect to RabbitMQ: " + e.getMessage(), e);
        }
    }

    long ready(String queue) throws IOException, TimeoutException {
        try (Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        }
    }

    /** Publishes a command straight to the commands exchange: a second copy, as a retrying producer sends. */
    void publish(Command command) throws IOException, TimeoutException, InterruptedException {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(OrderTopology.COMMANDS, command.name(),
                    new AMQP.BasicProperties.Builder().deliveryMode(2).correlationId(command.correlationId()).build(),
                    command.toJson().getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
        }
    }

    /** The commands in a queue, left in it: each is taken unacknowledged, and closing the channel puts it back. */
    java.util.List<Command> peek(String queue) throws IOException, TimeoutException {
        java.util.List<Command> commands = new java.util.ArrayList<>();
        try (Channel channel = connection.createChannel()) {
            for (com.rabbitmq.client.GetResponse got = channel.basicGet(queue, false); got != null;
                 got = channel.basicGet(queue, false)) {
                try {
                    commands.add(Command.parse(new String(got.getBody(), StandardCharsets.UTF_8)));
                } catch (RuntimeException notACommand) {
                    // a poison message a service dead-lettered as it came (see deadLetters)
                }
            }
        }
        return commands;
    }

    /** Publishes anything to an exchange of the shop, as any AMQP client with write access can. */
    void publishRaw(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body)
            throws IOException, TimeoutException, InterruptedException {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(exchange, routingKey, properties, body);
            channel.waitForConfirmsOrDie(5_000);
        }
    }

    /** A message in orders.dead: its body as it came, and its headers (the service's reason, or the broker's x-death). */
    record DeadLetter(byte[] body, java.util.Map<String, Object> headers) {
        String header(String name) {
            Object value = headers == null ? null : headers.get(name);
            return value == null ? null : value.toString();
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The messages in orders.dead, left in it. */
    java.util.List<DeadLetter> deadLetters() throws IOException, TimeoutException {
        java.util.List<DeadLetter> letters = new java.util.ArrayList<>();
        try (Channel channel = connection.createChannel()) {
            for (com.rabbitmq.client.GetResponse got = channel.basicGet(OrderTopology.DEAD_LETTER_QUEUE, false);
                 got != null; got = channel.basicGet(OrderTopology.DEAD_LETTER_QUEUE, false)) {
                letters.add(new DeadLetter(got.getBody(), got.getProps().getHeaders()));
            }
        }
        return letters;
    }

    /** The queue's consumers, as the broker counts them (management API): every instance's, together. */
    static int consumers(String queue) {
        return (int) RabbitVhost.management().getQueue(RabbitVhost.name(), queue).getConsumerCount();
    }

    /** Deletes an exchange the services publish to, as an operator's mistake would: their channels are closed. */
    void deleteExchange(String exchange) throws IOException, TimeoutException {
        try (Channel channel = connection.createChannel()) {
            channel.exchangeDelete(exchange);
        }
    }

    /** Reads the progress stream from its first update, in the background, as a foreign AMQP client can. */
    StreamReader readStream() throws IOException {
        return new StreamReader(connection.createChannel());
    }

    /** Every update in the progress stream, including the duplicates no customer is shown. */
    static final class StreamReader implements AutoCloseable {
        private final Channel channel;
        private final java.util.List<Progress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        StreamReader(Channel channel) throws IOException {
            this.channel = channel;
            channel.basicQos(100);
            channel.basicConsume(OrderTopology.PROGRESS_STREAM, false, java.util.Map.of("x-stream-offset", "first"),
                    (tag, delivery) -> {
                        long offset = ((Number) delivery.getProperties().getHeaders().get("x-stream-offset")).longValue();
                        seen.add(Progress.parse(new String(delivery.getBody(), StandardCharsets.UTF_8), offset));
                        channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                    }, tag -> { });
        }

        java.util.List<String> stages(String orderId) {
            return seen.stream().filter(p -> p.orderId().equals(orderId)).map(p -> p.stage().label()).toList();
        }

        @Override
        public void close() throws IOException, TimeoutException {
            channel.close();
        }
    }

    void deleteTopology() throws IOException, TimeoutException {
        try (Channel channel = connection.createChannel()) {
            for (Step step : Step.values()) {
                channel.queueDelete(step.queue());
            }
            channel.queueDelete(OrderTopology.DEAD_LETTER_QUEUE);
            channel.queueDelete(OrderTopology.PROGRESS_STREAM);
            channel.queueDelete(OrderTopology.SESSIONS_STREAM);
            channel.exchangeDelete(OrderTopology.COMMANDS);
            channel.exchangeDelete(OrderTopology.DEAD_LETTER_EXCHANGE);
            channel.exchangeDelete(OrderTopology.PROGRESS);
            channel.exchangeDelete(OrderTopology.BOARD);
            channel.exchangeDelete(OrderTopology.SESSIONS);
        }
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
