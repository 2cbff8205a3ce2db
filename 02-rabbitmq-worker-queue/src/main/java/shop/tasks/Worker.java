package shop.tasks;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.jms.admin.RMQDestination;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * A worker: receives tasks from the tasks queue (or tasks.worker.queue) on {@code tasks.worker.concurrency} sessions, each
 * with a prefetch of {@code tasks.worker.prefetch}, and reconnects by itself when the broker goes away.
 */
@ApplicationScoped
public class Worker {

    private static final Logger LOG = Logger.getLogger(Worker.class.getName());

    @Inject
    Rabbit rabbit;
    @Inject
    TaskSettings settings;
    @Inject
    BrokerSetup setup;
    /** Another way to consume, added from outside the lesson, if any. */
    @Inject
    @Any
    Instance<TaskConsumer> consumers;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "worker-connector");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicLong done = new AtomicLong();
    private volatile Connection connection;
    private MessageProducer heartbeats;
    private Session heartbeatSession;
    private long backoffMs = 1_000;
    /** Whether the consumers are believed alive: set after a connect, cleared by the watchdog. */
    private volatile boolean consuming;
    private final AtomicLong restarts = new AtomicLong();

    void start(@Observes @Initialized(ApplicationScoped.class) Object init) {
        if (settings.role() == TaskSettings.Role.WORKER) {
            scheduler.execute(this::connect);
            scheduler.scheduleAtFixedRate(this::heartbeat, 1, 1, TimeUnit.SECONDS);
            scheduler.scheduleWithFixedDelay(this::watch, 5, 5, TimeUnit.SECONDS);
        }
    }

    // tag::consume[]
    private void connect() {
        Connection fresh = null;
        try {
            setup.ensure();
            // As this worker's own user: it may read its queue, and report only as itself.
            fresh = rabbit.jms(BrokerUser.WORKER, settings.prefetch()).createConnection();
            fresh.setExceptionListener(e -> {
                LOG.warning(" [!] Lost the broker connection: " + e.getMessage() + "; reconnecting");
                restart();
            });
            Outbox outbox = new Outbox(settings.outboxDir());
            // tasks, unless tasks.worker.queue names another
            RMQDestination queue = new RMQDestination(settings.workerQueue(), null, null, settings.workerQueue());
            Optional<TaskConsumer> added = consumers.stream().filter(TaskConsumer::enabled).findFirst();
            for (int i = 0; i < settings.concurrency(); i++) {
                if (added.isPresent()) {
                    // A TaskConsumer bean, added from outside the lesson, opens the session its own way.
                    added.get().open(fresh, queue, outbox, inFlight, done::incrementAndGet);
                } else {
                    // A transacted session: the listener's commit is the ack, after the work.
                    // (AUTO_ACKNOWLEDGE would ack before onMessage runs: see AutoAcknowledgeTrapIT.)
                    TaskListener.consume(fresh, queue, settings, outbox, inFlight, done::incrementAndGet, this::broken);
                }
            }
            heartbeatSession = fresh.createSession(false, Session.AUTO_ACKNOWLEDGE);
            String heartbeat = "worker.heartbeat." + settings.workerId();
            heartbeats = heartbeatSession.createProducer(new RMQDestination(heartbeat, TaskTopology.EVENTS_EXCHANGE, heartbeat, null));
            heartbeats.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            fresh.start();
            connection = fresh;
            consuming = true;
            backoffMs = 1_000;
            LOG.info(" [*] " + settings.workerId() + " waiting for tasks on " + rabbit.describe()
                    + " (queue " + settings.workerQueue() + ", concurrency " + settings.concurrency()
                    + ", prefetch " + settings.prefetch() + ")");
        } catch (Exception e) {
            closeQuietly(fresh);
            LOG.warning(" [!] Cannot reach the broker at " + rabbit.describe() + " (" + e.getMessage()
                    + "); retrying in " + backoffMs + " ms");
            scheduler.schedule(this::connect, backoffMs, TimeUnit.MILLISECONDS);
            backoffMs = Math.min(backoffMs * 2, 10_000);
        }
    }
    // end::consume[]

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

    /** Tells the dashboard this worker is alive and what it holds right now. */
    private void heartbeat() {
        MessageProducer producer = heartbeats;
        if (connection == null || producer == null) {
            return;
        }
        JsonArrayBuilder holding = Json.createArrayBuilder();
        inFlight.forEach(holding::add);
        try {
            producer.send(heartbeatSession.createTextMessage(Json.createObjectBuilder()
                    .add("event", "heartbeat")
                    .add("worker", settings.workerId())
                    .add("concurrency", settings.concurrency())
                    .add("prefetch", settings.prefetch())
                    .add("inFlight", holding)
                    .add("done", done.get())
                    .add("consuming", consuming)
                    .add("restarts", restarts.get())
                    .build().toString()));
        } catch (JMSException | RuntimeException e) {
            LOG.fine("heartbeat not sent: " + e);
        }
    }

    private void close() {
        Connection open = connection;
        connection = null;
        consuming = false;
        heartbeats = null;
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
