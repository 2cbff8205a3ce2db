package shop.orders;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.AMQP;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The web instance's side of the backplane: its one reader of the {@code orders.progress} stream. Each update it
 * reads is news or already seen, by one rule ({@link OrderViews#apply}); news goes into {@link OrderViews} and to the
 * feeds of the customer who owns the order, if any is connected to this instance. Whatever instance or service
 * produced the update, every instance reads it: RabbitMQ is the backplane, with no sticky sessions and no shared
 * memory.
 *
 * <p>A customer who reconnects says which offset they saw last; this instance gives them the news after it from the
 * view its reader has built, then everything live (see {@link #join}). No second reader, so no seam between two.
 */
@ApplicationScoped
public class ProgressFeed {

    private static final Logger LOG = Logger.getLogger(ProgressFeed.class.getName());
    private static final String OFFSET = "x-stream-offset";

    @Inject
    Rabbit rabbit;
    @Inject
    BrokerSetup setup;
    @Inject
    OrderViews views;
    @Inject
    ShopSettings settings;

    private final Map<String, Set<Feed>> feeds = new ConcurrentHashMap<>();
    /** Held while an update is dispatched, and while a feed joins: a joining feed misses nothing, and gets nothing twice. */
    private final Object dispatching = new Object();
    /** The offset of the last update this instance's reader has dispatched. */
    private long dispatched = -1;
    /** The module's executor for broker loops (see {@link Reconnecting}). */
    @Resource(lookup = Reconnecting.LOOPS)
    ScheduledExecutorService loops;
    private Reconnecting<Connection> connection;
    private volatile Channel channel;
    private final AtomicInteger restarts = new AtomicInteger();

    void start(@Observes @Initialized(ApplicationScoped.class) Object init) {
        connection = new Reconnecting<>("Progress feed", rabbit.describe(), loops, this::connect, Connection::close,
                settings.reconnectMaxMs());
        connection.start();
    }

    /** Connects the reader, and reconnects it from where it stopped when the broker closes its channel or connection. */
    private Connection connect() throws Exception {
        setup.ensure();
        ConnectionFactory factory = rabbit.amqp(Role.WEB);
        factory.setAutomaticRecoveryEnabled(false); // we resume ourselves, from the last offset dispatched
        Connection fresh = factory.newConnection("progress-feed");
        try {
            Channel opened = fresh.createChannel();
            long from;
            synchronized (dispatching) {
                from = dispatched + 1;
            }
            Object offset = from == 0 ? "first" : (Object) from;
            read(opened, offset);
            // The watchdog: a channel the broker closed while the connection stays up would leave this
            // instance's customers without updates, and nothing would say so. Read on from where it stopped.
            opened.addShutdownListener(cause -> {
                if (!cause.isInitiatedByApplication() && !cause.isHardError() && connection.lost()) {
                    restarts.incrementAndGet();
                    LOG.warning(" [!] Progress feed's consumer on " + OrderTopology.PROGRESS_STREAM + " stopped ("
                            + cause.getMessage() + "); restarting it");
                }
            });
            fresh.addShutdownListener(cause -> {
                if (!cause.isInitiatedByApplication() && connection.lost()) {
                    LOG.warning(" [!] Progress feed lost the broker: " + cause.getMessage() + "; reconnecting");
                }
            });
            channel = opened;
            LOG.info(" [*] Progress feed reading " + OrderTopology.PROGRESS_STREAM + " from offset " + offset);
            return fresh;
        } catch (Exception e) {
            fresh.abort();
            throw e;
        }
    }

    // tag::live[]
    /**
     * Reads the stream from {@code offset}: "first" when the instance starts, since its view of every order is built
     * from the stream; after a reconnect, the first offset not dispatched yet.
     */
    private void read(Channel stream, Object offset) throws IOException {
        stream.basicQos(500); // a stream consumer must have a prefetch; it bounds what is in flight
        stream.basicConsume(OrderTopology.PROGRESS_STREAM, false, Map.of(OFFSET, offset), new DefaultConsumer(stream) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                    throws IOException {
                dispatch(((Number) properties.getHeaders().get(OFFSET)).longValue(), body);
                stream.basicAck(envelope.getDeliveryTag(), false);
            }
        });
    }

    // tag::dispatch[]
    /** Each update once, in stream order: news goes into the view and to its owner's feeds here; the rest is skipped. */
    private void dispatch(long at, byte[] body) {
        synchronized (dispatching) {
            if (at <= dispatched) {
                return; // a stream reader may start at the beginning of a chunk: read already
            }
            dispatched = at;
            readable(body, at).filter(views::apply).ifPresent(news ->
                    feeds.getOrDefault(news.customer(), Set.of()).forEach(feed -> feed.push(news)));
        }
    }
    // end::dispatch[]
    // end::live[]

    // tag::skip[]
    /**
     * An update this instance can read, or empty. A stream cannot dead-letter: an unreadable update (a foreign
     * publisher's, say) stays at its offset for anyone to inspect, and the feed goes on with the next one.
     * Thrown out of the consumer, it would close the channel and leave every customer without updates.
     */
    private Optional<Progress> readable(byte[] body, long at) {
        try {
            return Optional.of(Progress.parse(new String(body, StandardCharsets.UTF_8), at));
        } catch (RuntimeException e) {
            LOG.warning(" [!] Progress feed skipped offset " + at + " of " + OrderTopology.PROGRESS_STREAM
                    + ", which it cannot read: " + e.getClass().getSimpleName() + " " + CommandMessage.quote(body));
            return Optional.empty();
        }
    }
    // end::skip[]

    /** Whether the reader is reading, and how often it was restarted, for the services endpoint. */
    public boolean consuming() {
        Connection open = connection == null ? null : connection.current();
        Channel reading = channel;
        return open != null && open.isOpen() && reading != null && reading.isOpen();
    }

    public int restarts() {
        return restarts.get();
    }

    // tag::join[]
    /** Connects a customer's feed: the news after {@code resumeAfter} from this instance's view, then everything live. */
    public void join(Feed feed) {
        synchronized (dispatching) { // nothing is dispatched meanwhile: no update falls between the two, none comes twice
            views.newsOf(feed.customer(), feed.resumeAfter()).forEach(feed::push);
            feeds.computeIfAbsent(feed.customer(), c -> ConcurrentHashMap.newKeySet()).add(feed);
        }
    }
    // end::join[]

    /** The customer's sockets on this instance, for example to close them when the customer signs out. */
    public Set<Feed> feedsOf(String customer) {
        return Set.copyOf(feeds.getOrDefault(customer, Set.of()));
    }

    public void leave(Feed feed) {
        feeds.computeIfPresent(feed.customer(), (c, set) -> {
            set.remove(feed);
            return set.isEmpty() ? null : set;
        });
    }

    /** The offset of the last update dispatched: how far this instance has read (for tests and the page). */
    public long position() {
        synchronized (dispatching) {
            return dispatched;
        }
    }

    @PreDestroy
    void stop() {
        if (connection != null) {
            connection.stop();
        }
    }
}
