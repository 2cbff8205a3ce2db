package shop.orders;

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
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

/**
 * Takes signed tokens back, on every web instance. A sign-in revokes the customer's older sessions, a sign-out
 * revokes the session it ends: this instance applies the revocation at once, and publishes it to the
 * {@code orders.sessions} stream, which every instance reads from its start. Each instance then refuses those
 * tokens and closes their sockets with 1008 "signed out", wherever the customer is connected. An instance that
 * starts reads the day's revocations first, so a restart forgets none.
 *
 * <p>One number per customer is enough: tokens issued before it are revoked. Instances compare issue times
 * taken from their own clocks, so they must keep them in sync (NTP), as any cluster does.
 */
@ApplicationScoped
public class Revocations {

    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Logger LOG = Logger.getLogger(Revocations.class.getName());
    static final String SIGNED_OUT = "signed out";

    @Inject
    Rabbit rabbit;
    @Inject
    BrokerSetup setup;
    @Inject
    ProgressFeed feeds;
    @Inject
    ShopSettings settings;

    /** customer -> tokens issued before this (epoch ms) are revoked. */
    private final Map<String, Long> revokedBefore = new ConcurrentHashMap<>();
    /** The module's executor for broker loops (see {@link Reconnecting}). */
    @Resource(lookup = Reconnecting.LOOPS)
    ScheduledExecutorService loops;
    private Reconnecting<Connection> connection;
    private Channel publisher;

    void start(@Observes @Initialized(ApplicationScoped.class) Object init) {
        connection = new Reconnecting<>("Revocations", rabbit.describe(), loops, this::connect, Connection::close,
                settings.reconnectMaxMs());
        connection.start();
    }

    // tag::revoke[]
    public boolean revoked(SignIn signIn) {
        return signIn.issued() < revokedBefore.getOrDefault(signIn.customer(), Long.MIN_VALUE);
    }

    /** Revokes the customer's tokens issued before {@code before}: here at once, on the other instances through the broker. */
    public void revoke(String customer, long before) throws ConfirmedPublisher.BrokerUnavailable {
        apply(customer, before);
        byte[] event = JSON.createObjectBuilder().add("customer", customer).add("before", before).build().toString()
                .getBytes(StandardCharsets.UTF_8);
        try {
            synchronized (this) {
                if (publisher == null || !publisher.isOpen()) {
                    throw new IOException("not connected to the broker");
                }
                publisher.basicPublish(OrderTopology.SESSIONS, "", new AMQP.BasicProperties.Builder().deliveryMode(2).build(), event);
                publisher.waitForConfirmsOrDie(5_000); // the other instances will hear of it, or the caller says so
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfirmedPublisher.BrokerUnavailable("interrupted while the broker confirmed the revocation", e);
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
            throw new ConfirmedPublisher.BrokerUnavailable("the revocation did not reach the broker", e);
        }
    }

    /** Idempotent and order-free (a maximum), so reading the stream again from its start is harmless. */
    private void apply(String customer, long before) {
        long now = revokedBefore.merge(customer, before, Math::max);
        feeds.feedsOf(customer).stream().filter(feed -> feed.signIn().issued() < now)
                .forEach(feed -> feed.close(CloseReason.CloseCodes.VIOLATED_POLICY, SIGNED_OUT));
    }
    // end::revoke[]

    private Connection connect() throws Exception {
        setup.ensure();
        ConnectionFactory factory = rabbit.amqp(Role.WEB);
        factory.setAutomaticRecoveryEnabled(false); // we reconnect ourselves, and read the stream again from its start
        Connection fresh = factory.newConnection("revocations");
        try {
            Channel reader = fresh.createChannel();
            reader.basicQos(500); // a stream consumer must have a prefetch
            reader.basicConsume(OrderTopology.SESSIONS_STREAM, false, Map.of("x-stream-offset", "first"), new DefaultConsumer(reader) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                        throws IOException {
                    String text = new String(body, StandardCharsets.UTF_8);
                    try (JsonReader reader = JSON.createReader(new StringReader(text))) {
                        JsonObject event = reader.readObject();
                        apply(event.getString("customer"), event.getJsonNumber("before").longValueExact());
                    } catch (RuntimeException e) {
                        LOG.warning(" [!] Revocations skipped an event they cannot read: " + CommandMessage.quote(body));
                    }
                    reader.basicAck(envelope.getDeliveryTag(), false);
                }
            });
            Channel channel = fresh.createChannel();
            channel.confirmSelect();
            synchronized (this) {
                publisher = channel;
            }
            fresh.addShutdownListener(cause -> {
                if (!cause.isInitiatedByApplication() && connection.lost()) {
                    LOG.warning(" [!] Revocations lost the broker: " + cause.getMessage() + "; reconnecting");
                }
            });
        } catch (Exception e) {
            fresh.abort();
            throw e;
        }
        LOG.info(" [*] Revocations reading " + OrderTopology.SESSIONS_STREAM + " from offset first");
        return fresh;
    }

    @PreDestroy
    void stop() {
        if (connection != null) {
            connection.stop();
        }
    }
}
