package shop.orders;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Declares the workflow's exchanges, queues and the progress stream. Declaring is idempotent: the
 * demo does it at every start with the administrator login (BrokerSetup); in production an operator does.
 */
public final class OrderTopology {

    /** Commands: the routing key is the command's name, and each step service binds its own. */
    public static final String COMMANDS = "orders";
    /** Where the broker sends a command that has failed too often. */
    public static final String DEAD_LETTER_EXCHANGE = "orders.dlx";
    public static final String DEAD_LETTER_QUEUE = "orders.dead";
    /** Every step's progress goes through this exchange into the stream below. */
    public static final String PROGRESS = "orders.progress";
    /** An append-only log of every order's progress: the web instances' backplane and their replay. */
    public static final String PROGRESS_STREAM = "orders.progress";
    /** A redacted copy of the progress for the read-only order board (Web-STOMP): no customers. */
    public static final String BOARD = "orders.board";
    /** Sign-ins and sign-outs, as revocations every web instance applies (see {@link Revocations}). */
    public static final String SESSIONS = "orders.sessions";
    /** Every revocation of the last day, in order: an instance that starts reads them all (longer than shop.session-lifetime). */
    public static final String SESSIONS_STREAM = "orders.sessions";

    private OrderTopology() {
    }

    /**
     * The exchanges that carry commands and stages are topic exchanges, though each binding of {@code orders} is one exact
     * command: RabbitMQ's topic permissions then say which commands each role may send and which stages it may
     * report, as order.&lt;stage&gt; on {@code orders.progress} and {@code orders.board} (see {@link Role}). A direct or
     * fanout exchange's routing keys cannot be restricted.
     */
    // tag::declare[]
    public static void declare(Connection connection, int maxAttempts) throws IOException, TimeoutException {
        try (Channel channel = connection.createChannel()) {
            channel.exchangeDeclare(COMMANDS, "topic", true);
            channel.exchangeDeclare(DEAD_LETTER_EXCHANGE, "fanout", true);
            channel.queueDeclare(DEAD_LETTER_QUEUE, true, false, false, Map.of("x-queue-type", "quorum"));
            channel.queueBind(DEAD_LETTER_QUEUE, DEAD_LETTER_EXCHANGE, "");
            for (Step step : Step.values()) {
                // One durable queue per service: a service that is down only delays its own step.
                channel.queueDeclare(step.queue(), true, false, false, Map.of(
                        "x-queue-type", "quorum",
                        "x-delivery-limit", maxAttempts - 1,
                        "x-dead-letter-exchange", DEAD_LETTER_EXCHANGE,
                        "x-dead-letter-strategy", "at-least-once",
                        "x-overflow", "reject-publish"));
                for (String command : step.commands()) {
                    channel.queueBind(step.queue(), COMMANDS, command);
                }
            }
            channel.exchangeDeclare(PROGRESS, "topic", true);
            // A stream keeps every event for a day, in order, for any number of readers, each at its
            // own offset: that is what lets a customer resume on any instance after a disconnect.
            channel.queueDeclare(PROGRESS_STREAM, true, false, false, Map.of(
                    "x-queue-type", "stream",
                    "x-max-age", "1D"));
            channel.queueBind(PROGRESS_STREAM, PROGRESS, "#");
            channel.exchangeDeclare(BOARD, "topic", true);
            // tag::sessions[]
            channel.exchangeDeclare(SESSIONS, "fanout", true);
            channel.queueDeclare(SESSIONS_STREAM, true, false, false, Map.of("x-queue-type", "stream", "x-max-age", "1D"));
            channel.queueBind(SESSIONS_STREAM, SESSIONS, "");
            // end::sessions[]
        }
    }
    // end::declare[]
}
