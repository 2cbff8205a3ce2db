package shop.tasks;

import com.rabbitmq.client.ConnectionFactory;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.util.concurrent.ScheduledExecutorService;
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

    /** The module's executor for broker loops (see {@link Reconnecting}). */
    @Resource(lookup = Reconnecting.LOOPS)
    ScheduledExecutorService loops;

    private Reconnecting<Connection> connection;
    private final AtomicLong restarts = new AtomicLong();

    void start(@Observes @Initialized(ApplicationScoped.class) Object init) {
        if (settings.runs(TaskSettings.Role.WORKER)) {
            connection = new Reconnecting<>(settings.workerId(), rabbit.describe(), loops, this::connect, this::close,
                    settings.reconnectMaxMs());
            connection.start();
            connection.every(1_000, () -> heartbeat.beat(consuming(), restarts.get()));
            connection.every(5_000, this::watch);
        }
    }

    // tag::connect[]
    /** Opens the connection with the workers on it; {@link Reconnecting} calls it again, with backoff, until it works. */
    private Connection connect() throws Exception {
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
            LOG.info(" [*] " + settings.workerId() + " waiting for tasks on " + rabbit.describe()
                    + " (queue " + settings.workerQueue() + ", concurrency " + settings.concurrency()
                    + ", prefetch " + settings.prefetch() + ")");
            return fresh;
        } catch (Exception e) {
            try {
                close(fresh);
            } catch (JMSException | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }
    // end::connect[]

    // tag::watchdog[]
    /**
     * Called by a listener whose session cannot commit: its channel is gone, and with it the consumer. The
     * connection may look healthy (a channel error leaves it open), so no ExceptionListener fires: the worker
     * would keep heartbeating while it consumes nothing. It restarts its consumers instead, on a fresh connection.
     */
    void broken(String why) {
        if (consuming()) {
            LOG.warning(" [!] " + settings.workerId() + " has no live consumer on " + settings.workerQueue() + " (" + why
                    + "); the watchdog restarts it");
            restart();
        }
    }

    /** One restart however many signs of the same death arrive (a failed commit, the connection's exception). */
    private void restart() {
        if (connection.lost()) {
            restarts.incrementAndGet();
        }
    }

    /**
     * The watchdog's periodic look from outside: a worker that believes it consumes while its queue has no
     * consumer at all has lost its consumer without anybody saying so (a cancelled consumer, a closed channel).
     */
    private void watch() {
        if (!consuming()) {
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
        Reconnecting<Connection> worker = connection;
        return worker != null && worker.current() != null;
    }

    /** How often the watchdog restarted this worker's consumers. */
    public long restarts() {
        return restarts.get();
    }

    private void close(Connection open) throws JMSException {
        heartbeat.close();
        if (open != null) {
            // Waits for running listeners to finish their task: a graceful stop loses nothing.
            open.close();
        }
    }

    @PreDestroy
    void stop() {
        if (connection != null) {
            connection.stop();
            LOG.info(" [*] " + settings.workerId() + " stopped");
        }
    }
}
