package shop.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static shop.tasks.BrokerCeiling.BODY_BYTES;
import static shop.tasks.BrokerCeiling.drainWithPerfTest;
import static shop.tasks.BrokerCeiling.preloadTasks;
import static shop.tasks.BrokerCeiling.rate;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import com.rabbitmq.jms.admin.RMQDestination;
import com.rabbitmq.perf.PerfTest;
import course.testkit.CpuUsage;
import course.testkit.ExperimentProperties;
import course.testkit.Machine;
import course.testkit.RabbitVhost;
import course.testkit.ResultTable;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.FileHandler;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where a worker's time goes: the same preloaded queue of zero-work 1,000-byte tasks drained by one in-process
 * consumer that adds one of the worker's costs at a time, from a JMS consumer that only acks up to the real
 * {@link Worker}, each at prefetch 1 and 100 (the CI size: 1), against RabbitMQ PerfTest in the same run. Prints tasks/s, the share of
 * PerfTest's rate, and this JVM's CPU per task; asserts only that every task was settled exactly once, and that the
 * rows with an effect and events left one effect file and one done event per task.
 *
 * <p>Full size: {@code mvn -pl 02-rabbitmq-worker-queue -am verify -Dit.test=WorkerCostExperiment -Dexperiment.tasks=20000 -Dexperiment.warmup=2000}
 * (and {@code -Dexperiment.costs=LOGS} for some rows only, to profile one).
 */
@ExtendWith(RabbitVhost.class)
class WorkerCostExperiment {

    private static final Path OUTBOX = Path.of("target", "worker-cost-outbox");
    /** The dashboard's stand-in: a queue bound to every event, so the broker routes them as it does for the producer. */
    private static final String EVENTS_QUEUE = "worker-cost.events";
    /**
     * One column each. The CI size runs the worker's default, 1, only: the invariants it asserts (every task settled
     * once, one effect and one done event each) are the same in the prefetch-100 column, which costs two more PerfTest
     * JVMs and five more drains; the full size compares both.
     */
    private static final List<Integer> FULL_SIZE_PREFETCHES = List.of(1, 100);
    private static final List<Integer> CI_PREFETCHES = List.of(1);
    /** From this many timed tasks on, a run compares both: the full size is 20,000. */
    private static final int FULL_SIZE_FROM_TASKS = 2_000;

    /** One row: the worker's costs up to and including this one. */
    enum Cost {
        ACK("a JMS consumer that only acks: one commit per task, as the worker's transacted session does"),
        JSON("+ JSON parsing (TaskReader, as the worker reads a task)"),
        EFFECT("+ the work (0 ms) and the idempotent effect (Outbox)"),
        EVENTS("+ the status events (WorkerEvents: running and done)"),
        LOGS("+ the log lines and the heartbeat's list: the real Worker");

        final String what;

        Cost(String what) {
            this.what = what;
        }
    }

    @Test
    void eachOfTheWorkersCostsAddedInTurnShowsWhereItsTimeGoes() throws Exception {
        int tasks = ExperimentProperties.integer("experiment.tasks", 400);
        // Drained first and not timed: the consumer is past its set-up, the queue still holds `tasks` behind it.
        int warmup = ExperimentProperties.integer("experiment.warmup", 200);
        int total = warmup + tasks;
        List<Integer> prefetches = tasks >= FULL_SIZE_FROM_TASKS ? FULL_SIZE_PREFETCHES : CI_PREFETCHES;
        // Some rows only, for a profile of one of them: -Dexperiment.costs=LOGS
        List<Cost> costs = Stream.of(System.getProperty("experiment.costs", "ACK,JSON,EFFECT,EVENTS,LOGS").split(","))
                .map(name -> Cost.valueOf(name.strip())).toList();
        List<String> notes = new ArrayList<>();
        Map<Integer, BrokerCeiling.Drain> perfTest = new HashMap<>();
        Map<Cost, Map<Integer, BrokerCeiling.Drain>> rows = new EnumMap<>(Cost.class);
        Logger workerLog = Logger.getLogger(Worker.class.getName());
        FileHandler log = logToFile(workerLog);

        try (TestBroker broker = TestBroker.connect()) {
            TaskTopology.declare(broker.connection(), 4, Math.max(10_000, total));
            try (Channel channel = broker.connection().createChannel()) {
                channel.queueDeclare(EVENTS_QUEUE, false, false, false, null);
                channel.queueBind(EVENTS_QUEUE, TaskTopology.EVENTS_EXCHANGE, "#");
            }
            for (int prefetch : prefetches) {
                perfTest.put(prefetch, drainWithPerfTest(broker, prefetch, 1, total, tasks, notes));
            }
            // Not timed: the JIT compiles the JMS client's and the worker's code before the first row, not during it.
            drain(broker, Cost.LOGS, 100, warmup, warmup / 2);
            for (Cost cost : costs) {
                for (int prefetch : prefetches) {
                    rows.computeIfAbsent(cost, c -> new HashMap<>()).put(prefetch, drain(broker, cost, prefetch, total, tasks));
                }
            }
        } finally {
            try (TestBroker broker = TestBroker.connect(); Channel channel = broker.connection().createChannel()) {
                channel.queueDelete(EVENTS_QUEUE);
                broker.resetTopology(); // declared with this run's x-max-length: back to the module's defaults for the next class
            }
            workerLog.removeHandler(log);
            workerLog.setUseParentHandlers(true);
            log.close();
        }

        List<String> header = new ArrayList<>(List.of("consumer"));
        prefetches.forEach(prefetch -> header.addAll(List.of("prefetch " + prefetch + ": tasks/s", "of PerfTest")));
        header.add("CPU per task (" + prefetches.stream().map(String::valueOf).collect(Collectors.joining(" / ")) + ")");
        ResultTable table = ResultTable.of(String.format(Locale.ROOT, "WorkerCostExperiment: drain %,d preloaded zero-work "
                        + "%,d-byte persistent tasks (after %,d untimed) with one in-process consumer, one cost added per row",
                        tasks, BODY_BYTES, warmup),
                header.toArray(String[]::new));
        table.row(row("RabbitMQ PerfTest (own JVM), the ceiling", prefetches, perfTest, perfTest));
        for (Cost cost : costs) {
            table.row(row(cost.what, prefetches, rows.get(cost), perfTest));
        }
        table.note("Targets: the bare consumer >= 50% of PerfTest at prefetch 1 and 100; the real Worker >= 50% at prefetch 1, "
                        + ">= 25% at 100, with CPU per task at most half of the 1.2 ms measured before.")
                .note("Consumers: this test's JVM, the worker's own classes on one JMS connection and session per row "
                        + "(the worker's factory settings, the test's broker user); timed from inside, from the last "
                        + "untimed task settled to the last task settled; CPU per task is this JVM's CPU in that time.")
                .note("PerfTest " + PerfTest.class.getPackage().getImplementationVersion() + ": -x 0 -y 1 --qos <prefetch>, "
                        + "manual ack, its own 1,000-byte persistent messages, on a quorum queue with the tasks queue's arguments; "
                        + "timed by the queue's ready count (passive declares every 5 ms); its CPU per message is its own JVM's.")
                .note("Log lines: the worker's logger to a file in target/ through JUL's FileHandler and SimpleFormatter "
                        + "(a synchronous handler, as a console is).")
                .note("This JVM's CPU includes its garbage collection and the JIT compiling each row's new code, as PerfTest's includes its own.");
        notes.forEach(table::note);
        table.note("Machine: " + Machine.describe()).print();
    }

    /** Preloads the tasks queue, drains it with one consumer of {@code cost}, and checks every task was settled once. */
    private static BrokerCeiling.Drain drain(TestBroker broker, Cost cost, int prefetch, int total, int timed) throws Exception {
        deleteOutbox();
        broker.purge(EVENTS_QUEUE);
        List<String> ids = preloadTasks(broker, total);
        TaskSettings settings = settings(prefetch, cost);
        Outbox outbox = new Outbox(OUTBOX);
        Stopwatch settled = new Stopwatch(total - timed, total);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        BrokerCeiling.Drain drain;
        Connection connection = connect(prefetch);
        try {
            if (cost == Cost.LOGS) {
                Heartbeat heartbeat = new Heartbeat() {
                    @Override
                    void done() { // Progress.done, just before the commit: the real Worker's own count
                        super.done();
                        settled.settle();
                    }
                };
                heartbeat.settings = settings;
                Progress progress = new Progress(connection, settings, heartbeat,
                        why -> failure.compareAndSet(null, new AssertionError("the worker broke: " + why)));
                Worker.consume(connection, settings, outbox, progress, FailurePolicy.AT_ONCE);
            } else {
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                WorkerEvents events = cost.compareTo(Cost.EVENTS) >= 0
                        ? new WorkerEvents(connection.createSession(false, Session.AUTO_ACKNOWLEDGE), settings.workerId()) : null;
                session.createConsumer(new RMQDestination(TaskTopology.QUEUE, null, null, TaskTopology.QUEUE))
                        .setMessageListener(partial(cost, session, settings, outbox, events, settled, failure));
            }
            connection.start();
            await(cost + " at prefetch " + prefetch + ": every task settled").atMost(Duration.ofSeconds(120 + timed / 20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> failure.get() != null || settled.count() >= total);
            drain = settled.drain();
        } finally {
            // Waits for a listener still in onMessage, so its commit is in before the count below.
            connection.close();
        }
        assertThat(failure.get()).as("a failure in the consumer").isNull();
        assertThat(broker.ready(TaskTopology.QUEUE)).as("tasks left in the queue").isZero();
        if (cost.compareTo(Cost.EFFECT) >= 0) {
            assertThat(effects()).as("effects in the outbox").isEqualTo(ids.size());
        }
        if (cost.compareTo(Cost.EVENTS) >= 0) {
            assertThat(doneEvents(broker)).as("task ids with exactly one done event").isEqualTo(new HashSet<>(ids));
        }
        return drain;
    }

    /**
     * The worker's onMessage up to {@code cost}, built from its own classes in its own order (Worker.onMessage): read,
     * running, work, effect, done, commit. The last row is Worker itself, whose Progress adds the log lines.
     */
    private static MessageListener partial(Cost cost, Session session, TaskSettings settings, Outbox outbox,
                                           WorkerEvents events, Stopwatch settled, AtomicReference<Throwable> failure) {
        return message -> {
            try {
                if (cost.compareTo(Cost.JSON) >= 0) {
                    int attempt = FailedTasks.attempt(message);
                    Task task = ((TaskReader.Readable) TaskReader.read(message)).task();
                    if (events != null) {
                        events.running(task, attempt);
                    }
                    long start = System.nanoTime();
                    if (cost.compareTo(Cost.EFFECT) >= 0) {
                        Worker.work(settings, task, attempt);
                        Outbox.Outcome outcome = outbox.deliver(task);
                        if (events != null) {
                            events.done(task, attempt, (System.nanoTime() - start) / 1_000_000,
                                    outcome == Outbox.Outcome.ALREADY_APPLIED);
                        }
                    }
                }
                session.commit();
                settled.settle();
            } catch (Exception | AssertionError e) {
                failure.compareAndSet(null, e);
            }
        };
    }

    /**
     * Times an in-process consumer from inside: from its {@code from}th settled task to its {@code to}th, with this
     * JVM's CPU in between. No polling, which would cost the measured JVM more than some of the rows (a passive declare
     * every 5 ms cost 0.14 cores on a loaded box); PerfTest, in a JVM of its own, is timed by the queue's ready count.
     */
    private static final class Stopwatch {
        private final long from;
        private final long to;
        private final AtomicLong settled = new AtomicLong();
        private volatile long startNanos;
        private volatile long startCpu;
        private volatile BrokerCeiling.Drain drain;

        Stopwatch(long from, long to) {
            this.from = from;
            this.to = to;
        }

        void settle() {
            long n = settled.incrementAndGet();
            if (n == from) {
                startNanos = System.nanoTime();
                startCpu = CpuUsage.thisJvm();
            } else if (n == to) {
                drain = new BrokerCeiling.Drain((int) (to - from), System.nanoTime() - startNanos,
                        CpuUsage.thisJvm() - startCpu, 0);
            }
        }

        long count() {
            return settled.get();
        }

        BrokerCeiling.Drain drain() {
            return drain;
        }
    }

    /** The worker's settings, as its config keys would set them; the id names the row in the events' routing keys. */
    private static TaskSettings settings(int prefetch, Cost cost) {
        TaskSettings settings = new TaskSettings();
        settings.role = "worker";
        settings.maxAttempts = 4;
        settings.concurrency = 1;
        settings.prefetch = prefetch;
        settings.workerQueue = TaskTopology.QUEUE;
        settings.workerId = Optional.of("cost-" + cost.name().toLowerCase(Locale.ROOT) + "-p" + prefetch);
        settings.emailWorkMs = 0;
        settings.reportWorkMs = 0;
        settings.outboxDir = OUTBOX.toString();
        return settings;
    }

    /** A JMS connection with the worker's factory settings (Rabbit.jms and Worker.connect), as this run's test user. */
    private static Connection connect(int prefetch) throws JMSException {
        RMQConnectionFactory factory = new RMQConnectionFactory();
        factory.setHost(RabbitVhost.host());
        factory.setPort(RabbitVhost.port());
        factory.setUsername(RabbitVhost.username());
        factory.setPassword(RabbitVhost.password());
        factory.setVirtualHost(RabbitVhost.name());
        factory.setChannelsQos(prefetch);
        factory.setKeepTextMessageType(true);
        factory.setOnMessageTimeoutMs(120_000);
        factory.setAmqpConnectionFactoryPostProcessor(amqp -> {
            amqp.setConnectionTimeout(2_000);
            amqp.setAutomaticRecoveryEnabled(false);
        });
        return factory.createConnection();
    }

    /** The worker's log lines go to a file, not to the build's console: a synchronous handler that writes each line. */
    private static FileHandler logToFile(Logger workerLog) throws IOException {
        Files.createDirectories(Path.of("target"));
        FileHandler handler = new FileHandler("target/worker-cost.log");
        handler.setFormatter(new SimpleFormatter());
        workerLog.addHandler(handler);
        workerLog.setUseParentHandlers(false);
        return handler;
    }

    /** The task ids of the done events the row's worker sent, each once; fails on a task done twice. */
    private static Set<String> doneEvents(TestBroker broker) throws Exception {
        Set<String> done = new HashSet<>();
        try (Channel channel = broker.connection().createChannel()) {
            for (GetResponse event = channel.basicGet(EVENTS_QUEUE, true); event != null; event = channel.basicGet(EVENTS_QUEUE, true)) {
                try (var reader = Json.createReader(new StringReader(new String(event.getBody(), StandardCharsets.UTF_8)))) {
                    JsonObject json = reader.readObject();
                    if (json.getString("event").equals("done")) {
                        assertThat(done.add(json.getString("taskId"))).as("a second done event for %s", json).isTrue();
                    }
                }
            }
        }
        return done;
    }

    private static long effects() throws IOException {
        Path folder = OUTBOX.resolve(TaskType.EMAIL.routingKey());
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".txt")).count();
        }
    }

    private static void deleteOutbox() throws IOException {
        if (Files.isDirectory(OUTBOX)) {
            try (Stream<Path> files = Files.walk(OUTBOX)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** A row's cells: per prefetch its rate and its share of PerfTest's, then its CPU per task at each prefetch. */
    private static Object[] row(String consumer, List<Integer> prefetches, Map<Integer, BrokerCeiling.Drain> drains,
                                Map<Integer, BrokerCeiling.Drain> perfTest) {
        List<Object> cells = new ArrayList<>(List.of(consumer));
        for (int prefetch : prefetches) {
            cells.add(rate(drains.get(prefetch).perSecond()));
            cells.add(share(drains.get(prefetch), perfTest.get(prefetch)));
        }
        cells.add(prefetches.stream().map(prefetch -> micros(drains.get(prefetch))).collect(Collectors.joining(" / ")));
        return cells.toArray();
    }

    private static String share(BrokerCeiling.Drain consumer, BrokerCeiling.Drain ceiling) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * consumer.perSecond() / ceiling.perSecond());
    }

    private static String micros(BrokerCeiling.Drain drain) {
        return String.format(Locale.ROOT, "%,.0f µs", drain.cpuNanos() / 1e3 / drain.messages());
    }
}
