package shop.tasks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

/**
 * The producer's ear on the broker: it follows the workers' events and the dead-letter exchange
 * into the {@link TaskBoard}, and reads the queue depths for the dashboard.
 */
@ApplicationScoped
public class StatusFeed {

    /** Looked up once, not per call: see Task.JSON. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Logger LOG = Logger.getLogger(StatusFeed.class.getName());

    @Inject
    Rabbit rabbit;
    @Inject
    TaskSettings settings;
    @Inject
    TaskBoard board;
    @Inject
    BrokerSetup setup;
    /** Queues and routes added to the topology from outside the lesson, if any. */
    @Inject
    @Any
    Instance<TopologyExtension> topologyExtensions;

    /** The module's executor for broker loops (see {@link Reconnecting}). */
    @Resource(lookup = Reconnecting.LOOPS)
    ScheduledExecutorService loops;

    private Reconnecting<Connection> connection;
    private volatile Channel depthChannel;

    void start(@Observes @Initialized(ApplicationScoped.class) Object init) {
        if (settings.runs(TaskSettings.Role.PRODUCER)) {
            connection = new Reconnecting<>("Status feed", rabbit.describe(), loops, this::connect, Connection::close,
                    settings.reconnectMaxMs());
            connection.start();
        }
    }

    private Connection connect() throws Exception {
        setup.ensure();
        // As the board's own user: it may read events and dead letters, and declare only its own queue.
        ConnectionFactory factory = rabbit.amqp(BrokerUser.BOARD);
        factory.setAutomaticRecoveryEnabled(false); // Reconnecting opens it again, with a new queue and its bindings
        Connection fresh = factory.newConnection("status-feed");
        try {
            Channel channel = fresh.createChannel();
            // A private, server-named queue: the events are for whoever is watching right now.
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, TaskTopology.EVENTS_EXCHANGE, "#");
            channel.queueBind(queue, TaskTopology.DEAD_LETTER_EXCHANGE, "");
            channel.basicConsume(queue, true, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    receive(envelope, new String(body, StandardCharsets.UTF_8));
                }
            });
            depthChannel = fresh.createChannel();
            fresh.addShutdownListener(cause -> {
                if (!cause.isInitiatedByApplication()) {
                    LOG.warning(" [!] Status feed lost the broker: " + cause.getMessage() + "; reconnecting");
                    connection.lost();
                }
            });
        } catch (Exception e) {
            fresh.abort();
            throw e;
        }
        LOG.info(" [*] Status feed connected to " + rabbit.describe());
        return fresh;
    }

    private void receive(Envelope envelope, String body) {
        try {
            if (envelope.getExchange().equals(TaskTopology.DEAD_LETTER_EXCHANGE)) {
                Task task = Task.fromJson(body);
                // The delivery limit is why it is here: it was delivered max-attempts times.
                board.deadLettered(task, settings.maxAttempts());
                LOG.info(" [x] Dead-lettered '" + task.label() + "'");
            } else {
                try (var reader = JSON.createReader(new StringReader(body))) {
                    apply(envelope.getRoutingKey(), reader.readObject());
                }
            }
        } catch (RuntimeException e) {
            // A foreign message on the events exchange must not stop the feed.
            LOG.warning(" [!] Ignored an unreadable event: " + e);
        }
    }

    // tag::sender[]
    /**
     * The routing key's last word is the worker that sent the event: the broker lets each worker's user publish only
     * keys that end in its own id (BrokerUser). The body's "worker" is only a claim: one that names another is forged.
     */
    private void apply(String routingKey, JsonObject event) {
        String sender = routingKey.substring(routingKey.lastIndexOf('.') + 1);
        if (!sender.equals(event.getString("worker", null))) {
            LOG.warning(" [!] Ignored an event on " + routingKey + " that claims another worker");
            return;
        }
        board.apply(event);
    }
    // end::sender[]

    /** The dashboard's numbers: the board's, plus the queue depths straight from the broker. */
    public JsonObject snapshot() {
        JsonObjectBuilder snapshot = board.snapshot();
        Channel channel = depthChannel;
        try {
            if (channel == null) {
                throw new IllegalStateException("not connected yet");
            }
            if (!channel.isOpen()) {
                Connection open = connection.current();
                if (open == null) {
                    throw new IllegalStateException("reconnecting");
                }
                channel = depthChannel = open.createChannel();
            }
            AMQP.Queue.DeclareOk tasks = channel.queueDeclarePassive(TaskTopology.QUEUE);
            AMQP.Queue.DeclareOk dead = channel.queueDeclarePassive(TaskTopology.DEAD_LETTER_QUEUE);
            long queued = tasks.getMessageCount();
            long consumers = tasks.getConsumerCount();
            for (TopologyExtension extension : topologyExtensions) {
                for (String added : extension.workQueues()) {
                    AMQP.Queue.DeclareOk work = channel.queueDeclarePassive(added);
                    queued += work.getMessageCount();
                    consumers += work.getConsumerCount();
                }
            }
            snapshot.add("broker", "up")
                    .add("queued", queued)
                    .add("consumers", consumers)
                    .add("deadLetterQueue", dead.getMessageCount());
        } catch (Exception e) {
            snapshot.add("broker", "down");
        }
        return snapshot.build();
    }

    @PreDestroy
    void stop() {
        if (connection != null) {
            connection.stop();
        }
    }
}
