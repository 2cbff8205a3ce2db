package shop.tasks;

import com.rabbitmq.client.ConnectionFactory;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Keeps a worker process consuming: connects its {@link Worker}s ({@code tasks.worker.concurrency} of them), reconnects
 * with backoff when the broker goes away, restarts them when a consumer dies without a word, and beats the
 * {@link Heartbeat}. Runs in a process started with {@code tasks.role=worker}.
 */
@ApplicationScoped
public class Watchdog {

    private static final Logger LOG = Logger.getLogger(Watchdog.class.getName());

    @Inject
    Rabbit rabbit;
    @Inject
    TaskSettings settings;
    @Inject
    BrokerSetup setup;
    @Inject
    Heartbeat heartbeat;
    /** Where a failed task waits for its next attempt, when a bean added from outside the lesson says otherwise. */
    @Inject
    @Any
    Instance<FailurePolicy> policies;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "worker-connector");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Connection connection;
    private long backoffMs = 1_000;
    /** Whether the consumers are believed alive: set after a connect, cleared by the watchdog. */
    private volatile boolean consuming;
    private final AtomicLong restarts = new AtomicLong();

    void start(@Observes @Initialized(ApplicationScoped.class) Object init) {
        if (settings.runs(TaskSettings.Role.WORKER)) {
            scheduler.execute(this::connect);
            scheduler.scheduleAtFixedRate(() -> heartbeat.beat(consuming, restarts.get()), 1, 1, TimeUnit.SECONDS);
            scheduler.scheduleWithFixedDelay(this::watch, 5, 5, TimeUnit.SECONDS);
        }
    }

    // tag::connect[]
    private void connect() {
        Connection fresh = null;
        try {
            setup.ensure();
            fresh = Worker.connect(rabbit, settings);
            fresh.setExceptionListener(e -> {
                LOG.warning(" [!] Lost the broker connection: " + e.getMessage() + "; reconnecting");
                restart();
            });
            Outbox outbox = new Outbox(settings.outboxDir());
            FailurePolicy policy = policies.stream().filter(FailurePolicy::enabled).findFirst().orElse(FailurePolicy.AT_ONCE);
            for (int i = 0; i < settings.concurrency(); i++) {
                Worker.consume(fresh, settings, outbox, new Progress(fresh, settings, heartbeat, this::broken), policy);
            }
            fresh.start();
            heartbeat.open(fresh);
            connection = fresh;
            consuming = true;
            backoffMs = 1_000;
            LOG.info(" [*] " + settings.workerId() + " waiting for tasks on " + rabbit.describe()
                    + " (queue " + settings.workerQueue() + ", concurrency " + settings.concurrency()
                    + ", prefetch " + settings.prefetch() + ")");
        } catch (Exception e) {
            heartbeat.close();
            closeQuietly(fresh);
            LOG.warning(" [!] Cannot reach the broker at " + rabbit.describe() + " (" + e.getMessage()
                    + "); retrying in " + backoffMs + " ms");
            scheduler.schedule(this::connect, backoffMs, TimeUnit.MILLISECONDS);
            backoffMs = Math.min(backoffMs * 2, 10_000);
        }
    }
    // end::connect[]

    private void reconnect() {
        close();
        connect();
    }

    // tag::watchdog[]
    /**
     * Called by a listener whose session cannot commit: its channel is gone, and with it the consumer. The
     * connection may look healthy (a channel error leaves it open), so no ExceptionListener fires: the worker
     * would keep heartbeating while it consumes nothing. It restarts its consumers instead, on a fresh connection.
     */
    void broken(String why) {
        if (consuming) {
            LOG.warning(" [!] " + settings.workerId() + " has no live consumer on " + settings.workerQueue() + " (" + why
                    + "); the watchdog restarts it");
            restart();
        }
    }

    /** One restart however many signs of the same death arrive (a failed commit, the connection's exception). */
    private void restart() {
        synchronized (restarts) {
            if (!consuming) {
                return; // a restart is already on its way
            }
            consuming = false;
        }
        restarts.incrementAndGet();
        scheduler.execute(this::reconnect);
    }

    /**
     * The watchdog's periodic look from outside: a worker that believes it consumes while its queue has no
     * consumer at all has lost its consumer without anybody saying so (a cancelled consumer, a closed channel).
     */
    private void watch() {
        if (!consuming || connection == null) {
            return;
        }
        try (com.rabbitmq.client.Connection amqp = watchdogFactory().newConnection("worker-watchdog");
             com.rabbitmq.client.Channel channel = amqp.createChannel()) {
            if (channel.queueDeclarePassive(settings.workerQueue()).getConsumerCount() == 0) {
                broken("the broker counts no consumer on " + settings.workerQueue());
            }
        } catch (Exception e) {
            LOG.fine("watchdog could not look: " + e);
        }
    }
    // end::watchdog[]

    private ConnectionFactory watchdogFactory() {
        ConnectionFactory factory = rabbit.amqp(BrokerUser.WORKER);
        factory.setAutomaticRecoveryEnabled(false);
        return factory;
    }

    /** Whether this worker has a live consumer right now, as its health endpoint and heartbeat report. */
    public boolean consuming() {
        return consuming;
    }

    /** How often the watchdog restarted this worker's consumers. */
    public long restarts() {
        return restarts.get();
    }

    private void close() {
        Connection open = connection;
        connection = null;
        consuming = false;
        heartbeat.close();
        // Waits for running listeners to finish their task: a graceful stop loses nothing.
        closeQuietly(open);
    }

    private static void closeQuietly(Connection open) {
        if (open != null) {
            try {
                open.close();
            } catch (JMSException | RuntimeException e) {
                LOG.fine("closing a dead connection: " + e);
            }
        }
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
        close();
        LOG.info(" [*] " + settings.workerId() + " stopped");
    }
}
