package shop.orders;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.AMQP;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The web instance's side of the backplane: reads the {@code orders.progress} stream live, keeps
 * {@link OrderViews} up to date, and pushes each update to the feeds of the customer who owns the
 * order, if any is connected to this instance. Whatever instance or service produced the update,
 * every instance reads it: RabbitMQ is the backplane, with no sticky sessions and no shared memory.
 *
 * <p>A customer who reconnects says which offset they saw last; this instance replays the rest
 * from the stream with a second reader, then hands over to the live one (see {@link Feed}).
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
    ShopSettings settings;
    @Inject
    OrderViews views;

    private final Map<String, Set<Feed>> feeds = new ConcurrentHashMap<>();
    /** Held while an update is dispatched, and while a feed joins: a joining feed misses nothing. */
    private final Object dispatching = new Object();
    /** The offset of the last update this instance's live reader has dispatched. */
    private long dispatched = -1;
    private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "progress-connector"));
    private final ExecutorService replays = Executors.newFixedThreadPool(2, r -> daemon(r, "progress-replay"));
    private volatile Connection connection;
    private Connection replayConnection;
    private volatile Channel liveChannel;
    private final java.util.concurrent.atomic.AtomicInteger restarts = new java.util.concurrent.atomic.AtomicInteger();
    /** The last offset a skip was logged for: one line per unreadable update, not one per reader. */
    private long loggedSkip = -1;

    void start(@Observes @Initialized(ApplicationScoped.class) Object init) {
        connector.execute(this::connect);
    }

    // tag::live[]
    private void connect() {
        try {
            setup.ensure();
            ConnectionFactory factory = rabbit.amqp(Role.WEB);
            factory.setAutomaticRecoveryEnabled(false); // we resume ourselves, from the last offset dispatched
            Connection fresh = factory.newConnection("progress-feed");
            Channel channel = fresh.createChannel();
            channel.basicQos(500); // a stream consumer must have a prefetch; it bounds what is in flight
            long from;
            synchronized (dispatching) {
                from = dispatched + 1;
            }
            // From the start of the stream: this instance's view of every order is built from it.
            // After a reconnect: from the first offset not dispatched yet.
            Object offset = from == 0 ? "first" : (Object) from;
            channel.basicConsume(OrderTopology.PROGRESS_STREAM, false, Map.of(OFFSET, offset), new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                        throws IOException {
                    long at = ((Number) properties.getHeaders().get(OFFSET)).longValue();
                    readable(body, at).ifPresentOrElse(ProgressFeed.this::dispatch, () -> skipped(at));
                    channel.basicAck(envelope.getDeliveryTag(), false);
                }
            });
            // The watchdog: a channel the broker closed while the connection stays up would leave this
            // instance's customers without updates, and nothing would say so. Read on from where it stopped.
            channel.addShutdownListener(cause -> {
                if (!cause.isInitiatedByApplication() && !cause.isHardError()) {
                    restarts.incrementAndGet();
                    LOG.warning(" [!] Progress feed's consumer on " + OrderTopology.PROGRESS_STREAM + " stopped ("
                            + cause.getMessage() + "); restarting it");
                    connector.execute(this::restart);
                }
            });
            fresh.addShutdownListener(cause -> {
                if (!cause.isInitiatedByApplication()) {
                    LOG.warning(" [!] Progress feed lost the broker: " + cause.getMessage() + "; reconnecting");
                    connector.schedule(this::connect, 1, TimeUnit.SECONDS);
                }
            });
            liveChannel = channel;
            connection = fresh;
            LOG.info(" [*] Progress feed reading " + OrderTopology.PROGRESS_STREAM + " from offset " + offset);
        } catch (Exception e) {
            LOG.warning(" [!] Progress feed cannot reach the broker at " + rabbit.describe() + " (" + e.getMessage()
                    + "); retrying in 2 s");
            connector.schedule(this::connect, 2, TimeUnit.SECONDS);
        }
    }

    // tag::dispatch[]
    private void dispatch(Progress progress) {
        synchronized (dispatching) {
            if (progress.offset() <= dispatched) {
                return; // a stream reader may start at the beginning of a chunk: seen already
            }
            dispatched = progress.offset();
            if (views.apply(progress)) {
                feeds.getOrDefault(progress.customer(), Set.of()).forEach(feed -> feed.live(progress));
            }
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
            String why = e.getClass().getSimpleName() + " " + CommandMessage.quote(body);
            synchronized (dispatching) {
                if (at > dispatched && loggedSkip < at) {
                    loggedSkip = at;
                    LOG.warning(" [!] Progress feed skipped offset " + at + " of " + OrderTopology.PROGRESS_STREAM
                            + ", which it cannot read: " + why);
                }
            }
            return Optional.empty();
        }
    }

    private void skipped(long at) {
        synchronized (dispatching) {
            dispatched = Math.max(dispatched, at);
        }
    }
    // end::skip[]

    private void restart() {
        Connection open = connection;
        connection = null;
        if (open != null) {
            try {
                open.close();
            } catch (IOException | RuntimeException e) {
                LOG.fine("closing: " + e);
            }
        }
        connect();
    }

    /** Whether the live reader is reading, and how often it was restarted, for the services endpoint. */
    public boolean consuming() {
        Connection open = connection;
        return open != null && open.isOpen() && liveChannel != null && liveChannel.isOpen();
    }

    public int restarts() {
        return restarts.get();
    }

    // tag::join[]
    /** Connects a customer's feed: everything after {@code resumeAfter}, then everything live. */
    public void join(Feed feed) {
        long upTo;
        synchronized (dispatching) {
            upTo = dispatched;
            if (feed.resumeAfter() < upTo) {
                feed.catchingUp();
            }
            feeds.computeIfAbsent(feed.customer(), c -> ConcurrentHashMap.newKeySet()).add(feed);
        }
        // Updates up to upTo come from a replay; the live reader delivers everything after it.
        if (feed.resumeAfter() < upTo) {
            replays.execute(() -> replay(feed, upTo));
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

    /** Reads the stream from after the feed's resume point up to {@code upTo}, pushing the customer's news. */
    private void replay(Feed feed, long upTo) {
        Channel channel = null;
        try {
            channel = replayConnection().createChannel();
            channel.basicQos(500);
            long from = feed.resumeAfter() + 1;
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            Channel reading = channel;
            String tag = channel.basicConsume(OrderTopology.PROGRESS_STREAM, false, Map.of(OFFSET, from), new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String t, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                        throws IOException {
                    long at = ((Number) properties.getHeaders().get(OFFSET)).longValue();
                    // Nothing thrown from here: the client would close the channel under the replay's feet.
                    try {
                        if (at >= from && at <= upTo && !done.isDone()) {
                            readable(body, at).filter(p -> p.customer().equals(feed.customer()) && views.wasNews(p))
                                    .ifPresent(feed::replayed);
                        }
                    } catch (RuntimeException e) {
                        done.completeExceptionally(e);
                    }
                    reading.basicAck(envelope.getDeliveryTag(), false);
                    if (at >= upTo || !feed.isOpen()) { // done, or the page left: nobody to replay to
                        done.complete(null);
                    }
                }
            });
            done.get(30, TimeUnit.SECONDS);
            channel.basicCancel(tag);
            feed.caughtUp();
        } catch (Exception e) {
            if (feed.isOpen()) {
                LOG.warning(" [!] Replay for " + feed.customer() + " failed: " + e + "; closing, the page will resume");
            }
            leave(feed);
            feed.close(CloseReason.CloseCodes.TRY_AGAIN_LATER, "replay failed: reconnect to resume");
        } finally {
            closeQuietly(channel);
        }
    }

    /**
     * The replays' own connection, apart from the live reader's: a channel error of a replay (a page that comes and
     * goes many times a second opens and closes as many channels) can make the broker close the connection it is on,
     * and that must end replays only, which the pages resume, never every customer's live updates.
     */
    private synchronized Connection replayConnection() throws IOException, TimeoutException {
        if (replayConnection == null || !replayConnection.isOpen()) {
            if (connection == null) {
                throw new IOException("not connected to the broker");
            }
            ConnectionFactory factory = rabbit.amqp(Role.WEB);
            factory.setAutomaticRecoveryEnabled(false); // a replay that fails closes its page, which resumes
            replayConnection = factory.newConnection("progress-replay");
        }
        return replayConnection;
    }

    /** Closes a replay's channel, whatever happened to it: a channel left open is one fewer for the next replay. */
    private static void closeQuietly(Channel channel) {
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.fine("closing a replay's channel: " + e);
            }
        }
    }

    /** The offset of the last update dispatched: how far this instance has read (for tests and the page). */
    public long position() {
        synchronized (dispatching) {
            return dispatched;
        }
    }

    @PreDestroy
    void stop() {
        connector.shutdownNow();
        replays.shutdownNow();
        Connection replaying;
        synchronized (this) {
            replaying = replayConnection;
        }
        for (Connection open : java.util.Arrays.asList(connection, replaying)) {
            if (open != null) {
                try {
                    open.close();
                } catch (IOException | RuntimeException e) {
                    LOG.fine("closing: " + e);
                }
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }
}
