package shop.routing;

import jakarta.enterprise.concurrent.ManagedScheduledExecutorDefinition;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps one broker connection of its owner open: opens it on the module's managed executor, and opens it again,
 * with backoff, whenever the owner says it is lost. The one reconnect loop of this module.
 */
// The container's threads, not raw ones: it knows them, names them, and warns of one stuck in a task. A pool of the
// application's own, sized here: a connect that waits out its 2 s timeout cannot hold up every other loop.
@ManagedScheduledExecutorDefinition(name = Reconnecting.LOOPS, maxAsync = 8, hungTaskThreshold = 180_000)
public final class Reconnecting<C> {

    /** The JNDI name of the module's executor for broker loops: inject it with {@code @Resource(lookup = LOOPS)}. */
    public static final String LOOPS = "java:app/concurrent/BrokerLoops";

    /** Opens the connection, and starts whatever consumes on it; throws if the broker cannot be reached. */
    public interface Opener<C> {
        C open() throws Exception;
    }

    /** Closes a connection, a broken one too. */
    public interface Closer<C> {
        void close(C connection) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(Reconnecting.class.getName());
    private static final long FIRST_BACKOFF_MS = 1_000;
    /** The longest wait between two attempts, unless the owner gives its own. */
    private static final long LONGEST_BACKOFF_MS = 10_000;

    private final String name;
    private final String broker;
    private final ScheduledExecutorService loops;
    private final Opener<C> opener;
    private final Closer<C> closer;
    private final long longestBackoffMs;
    /** Everything scheduled for this owner, so that stop() can cancel it: an application never shuts a managed executor down. */
    private final Set<Future<?>> scheduled = ConcurrentHashMap.newKeySet();
    private volatile C current;
    private boolean connecting; // guarded by this
    private boolean stopped; // guarded by this
    private long backoffMs = FIRST_BACKOFF_MS; // only touched on the loop that connects, one at a time

    /** {@code name} says whose connection it is in log lines, {@code broker} where it goes (never with a password). */
    public Reconnecting(String name, String broker, ScheduledExecutorService loops, Opener<C> opener, Closer<C> closer) {
        this(name, broker, loops, opener, closer, LONGEST_BACKOFF_MS);
    }

    /** As above, waiting at most {@code longestBackoffMs} between two attempts (the wait doubles from 1 s up to it). */
    public Reconnecting(String name, String broker, ScheduledExecutorService loops, Opener<C> opener, Closer<C> closer,
                        long longestBackoffMs) {
        this.name = name;
        this.broker = broker;
        this.loops = loops;
        this.opener = opener;
        this.closer = closer;
        this.longestBackoffMs = longestBackoffMs;
    }

    /** Connects in the background: the application starts even while the broker is down. */
    public synchronized void start() {
        connecting = true;
        later(this::connect, 0);
    }

    /** Starts with a connection its owner opened itself, to fail fast when the application starts. */
    public synchronized void start(C opened) {
        current = opened;
    }

    /** The open connection, or null while there is none. */
    public C current() {
        return current;
    }

    /**
     * Says the connection is lost (its listener fired, a watchdog saw its consumer gone): closes it and opens a new
     * one. One reconnect however many signs of the same loss arrive; false if one is already on its way. The owner
     * logs the loss in its own words.
     */
    public boolean lost() {
        C old;
        synchronized (this) {
            if (stopped || connecting) {
                return false;
            }
            connecting = true;
            old = current;
            current = null; // from now on nobody takes it for a live one
        }
        later(() -> {
            closeQuietly(old);
            connect();
        }, 0);
        return true;
    }

    /** Runs {@code task} every {@code periodMs} on the same executor until stop(); an exception it throws ends nothing. */
    public void every(long periodMs, Runnable task) {
        scheduled.add(loops.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) { // it would end the schedule for good: say so, and go on
                LOG.log(Level.WARNING, " [!] " + name + ": a periodic check failed; it runs again", e);
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS));
    }

    // tag::loop[]
    private void connect() {
        synchronized (this) {
            if (stopped) {
                return;
            }
        }
        C fresh;
        try {
            fresh = opener.open();
        } catch (Exception e) {
            LOG.warning(" [!] " + name + " cannot reach the broker at " + broker + " (" + e.getMessage() + "); retrying in "
                    + backoffMs + " ms");
            later(this::connect, backoffMs);
            backoffMs = Math.min(backoffMs * 2, longestBackoffMs);
            return;
        }
        backoffMs = FIRST_BACKOFF_MS;
        synchronized (this) {
            if (!stopped) {
                current = fresh;
                connecting = false;
                return;
            }
        }
        closeQuietly(fresh); // stop() came while it connected
    }
    // end::loop[]

    private void later(Runnable task, long delayMs) {
        scheduled.removeIf(Future::isDone);
        scheduled.add(loops.schedule(task, delayMs, TimeUnit.MILLISECONDS));
    }

    /** Cancels what is scheduled and closes the connection; for the owner's {@code @PreDestroy}. */
    public void stop() {
        synchronized (this) {
            stopped = true;
        }
        scheduled.forEach(future -> future.cancel(false));
        C open = current;
        current = null;
        closeQuietly(open);
    }

    private void closeQuietly(C connection) {
        if (connection != null) {
            try {
                closer.close(connection);
            } catch (Exception e) {
                LOG.fine(name + ": closing a dead connection: " + e);
            }
        }
    }
}
