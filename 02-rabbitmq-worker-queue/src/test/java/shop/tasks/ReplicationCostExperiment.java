package shop.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static shop.tasks.BrokerCeiling.BODY_BYTES;
import static shop.tasks.BrokerCeiling.rate;
import static shop.tasks.BrokerCeiling.timeDrain;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.perf.PerfTest;
import course.testkit.ExperimentProperties;
import course.testkit.LatencyRecorder;
import course.testkit.Machine;
import course.testkit.Pacer;
import course.testkit.Percentiles;
import course.testkit.PrivateBroker;
import course.testkit.PrivateCluster;
import course.testkit.ResultTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What replication costs, in one run: one private RabbitMQ node against a private three-node cluster, both started by
 * this test with the same settings, for a quorum queue's confirmed publish latency (a publisher at a fixed rate, from
 * each message's scheduled send to its confirm, while a consumer acks them) and its consume throughput (RabbitMQ
 * PerfTest drains a preloaded queue, timed as {@link BrokerCeiling} times it). Then where the leaders of several quorum
 * queues land. The three nodes share this machine's cores and disk, so this measures the protocol's cost, not
 * throughput scaling. Asserts only what must hold: every message confirmed and consumed, every queue led by a node of
 * the cluster, with a copy on each node. No Payara Micro: it measures the broker.
 *
 * <p>Full size: {@code mvn -pl 02-rabbitmq-worker-queue -am verify -Dit.test=ReplicationCostExperiment -Dexperiment.replication.rounds=2 -Dexperiment.replication.seconds=30 -Dexperiment.replication.messages=20000}
 * (also {@code -Dexperiment.replication.rate} for the publisher's messages a second, {@code .prefetch} for PerfTest's,
 * {@code .queues} for the leaders' count).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationCostExperiment {

    /** The same rabbitmq.conf for the single node and for each of the cluster's three: RabbitMQ's defaults. */
    private static final List<String> SETTINGS = List.of();
    private static final String QUEUE = "replication.cost";
    private static final Map<String, Object> QUORUM = Map.of("x-queue-type", "quorum");
    private static final AMQP.BasicProperties PERSISTENT = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
    /** The latency phase's consumer: prefetch 100, RabbitMQ's advice for throughput; it acks every message. */
    private static final int CONSUMER_PREFETCH = 100;

    private static final int RATE = ExperimentProperties.integer("experiment.replication.rate", 200);
    private static final int SECONDS = ExperimentProperties.integer("experiment.replication.seconds", 3);
    /** Sent first and not timed: connections, the queue's log and the JIT warmed up. */
    private static final int WARMUP_SECONDS = ExperimentProperties.integer("experiment.replication.warmup-seconds", 1);
    private static final int MESSAGES = ExperimentProperties.integer("experiment.replication.messages", 2_000);
    /** Drained first and not timed, as in ThroughputExperiment: PerfTest is past its start when the clock starts. */
    private static final int WARMUP_MESSAGES = ExperimentProperties.integer("experiment.replication.warmup-messages",
            Math.max(500, MESSAGES / 4));
    private static final int PREFETCH = ExperimentProperties.integer("experiment.replication.prefetch", 100);
    private static final int QUEUES = ExperimentProperties.integer("experiment.replication.queues", 6);
    private static final int ROUNDS = ExperimentProperties.integer("experiment.replication.rounds", 1);

    private static CompletableFuture<PrivateBroker> singleStarting;
    private static PrivateBroker single;
    private static PrivateCluster cluster;
    private static Duration started;

    @BeforeAll
    static void startOneNodeBesideAThreeNodeCluster() {
        PrivateBroker.requireScripts(PrivateBroker.scripts()); // without them, skipped before any node starts
        String name = "course-replication-" + ProcessHandle.current().pid();
        int port = PrivateCluster.freePort();
        long start = System.nanoTime();
        // Side by side: the single node boots while the cluster's three boot and join, so it adds little to the run.
        singleStarting = CompletableFuture.supplyAsync(() -> PrivateBroker.start(name + "-single", port, SETTINGS), work -> {
            Thread thread = new Thread(work, name + "-single-start");
            thread.setDaemon(true);
            thread.start();
        });
        cluster = PrivateCluster.start(name, PrivateCluster.freePorts(), SETTINGS);
        single = singleStarting.join();
        started = Duration.ofNanos(System.nanoTime() - start);
    }

    @AfterAll
    static void stopTheNodes() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (singleStarting != null) {
                PrivateBroker node = singleStarting.handle((broker, failed) -> broker).join();
                if (node != null) {
                    node.close();
                }
            }
        }
    }

    @Test
    @Order(1)
    void oneNodeAndAThreeNodeClusterConfirmAndDeliverEveryMessage() throws Exception {
        boolean ciSize = System.getProperties().stringPropertyNames().stream().noneMatch(k -> k.startsWith("experiment.replication."));
        // The clients connect to the node that leads the queue (the first node; the queue is declared through it, and
        // RabbitMQ's default leader locator, client-local, places the leader there): one node and the cluster then
        // differ in the replication only, not in an extra hop from a follower to the leader.
        Side one = new Side("one node", single, List.of(single));
        Side three = new Side("three-node cluster", cluster.nodes().get(0), cluster.nodes());
        List<String> loads = new ArrayList<>();
        // Rounds in turn, one node first, then the cluster first (ABBA at two rounds): neither side always meets the
        // test JVM's colder client code, nor the other side's leftovers.
        for (int round = 1; round <= ROUNDS; round++) {
            for (Side side : round % 2 == 1 ? List.of(one, three) : List.of(three, one)) {
                loads.add("latency, " + side.label + ": " + Machine.loadAverage());
                confirmLatency(side, side == three && round == 1);
            }
        }
        for (int round = 1; round <= ROUNDS; round++) {
            for (Side side : round % 2 == 1 ? List.of(one, three) : List.of(three, one)) {
                loads.add("drain, " + side.label + ": " + Machine.loadAverage());
                drain(side);
            }
        }

        ResultTable table = ResultTable.of(String.format(Locale.ROOT, "ReplicationCostExperiment: one RabbitMQ node against "
                        + "a three-node cluster on the same machine, same run, same settings; a quorum queue, %,d-byte "
                        + "persistent messages", BODY_BYTES),
                "measure", "one node", "three-node cluster", "cluster / one node");
        Percentiles p1 = one.latencies.percentiles();
        Percentiles p3 = three.latencies.percentiles();
        String latency = String.format(Locale.ROOT, "confirmed publish latency %%s, %d msg/s for %d s", RATE, SECONDS);
        for (double percent : new double[] {50, 99}) {
            table.row(String.format(Locale.ROOT, latency, "p" + (int) percent), p1.formatMillis(percent), p3.formatMillis(percent),
                    ratio(p3.nanosAt(percent), p1.nanosAt(percent)));
        }
        table.row("confirmed publish latency max", p1.formatMillis(100), p3.formatMillis(100), ratio(p3.maxNanos(), p1.maxNanos()))
                .row(String.format(Locale.ROOT, "broker CPU meanwhile, all nodes (%d msg/s published, delivered and acked)", RATE),
                        cores(one.cores()), cores(three.cores()), ratio(three.cores(), one.cores()))
                .row(String.format(Locale.ROOT, "consume throughput, PerfTest, 1 consumer, prefetch %d, %,d messages", PREFETCH, MESSAGES),
                        rate(one.perSecond()) + " msg/s", rate(three.perSecond()) + " msg/s", ratio(three.perSecond(), one.perSecond()))
                .row("broker CPU per message consumed (all nodes)", micros(one.cpuNanosPerDrained()), micros(three.cpuNanosPerDrained()),
                        ratio(three.cpuNanosPerDrained(), one.cpuNanosPerDrained()));
        table.note("Three nodes on one 2-core machine measure the protocol's cost, not throughput scaling: a quorum queue "
                + "confirms a message once a majority (2 of 3) has written it, every ack is replicated too, three copies go "
                + "to one disk and three Erlang VMs share two cores. A queue still has one leader doing its work; a cluster "
                + "of three machines scales by spreading many queues' leaders over the nodes (the table below), not by "
                + "making one queue faster.");
        table.note(String.format(Locale.ROOT, "Latency: one publisher with confirms at a fixed %d msg/s, from each message's "
                        + "scheduled send to its confirm (HdrHistogram), after %d s untimed; meanwhile one consumer acks each "
                        + "message at prefetch %d: %,d and %,d messages confirmed and consumed.", RATE, WARMUP_SECONDS,
                        CONSUMER_PREFETCH, one.confirmed, three.confirmed))
                .note(String.format(Locale.ROOT, "Throughput: %,d messages preloaded with confirms, then PerfTest %s (own JVM) "
                        + "drains them with manual acks; timed from 'ready <= %,d' to 'ready = 0' (passive declares every 5 ms).",
                        WARMUP_MESSAGES + MESSAGES, PerfTest.class.getPackage().getImplementationVersion(), MESSAGES))
                .note("Every client connects to node 1 of the cluster, where the queue is declared; the other broker idles "
                        + "meanwhile. Broker CPU: the nodes' Erlang VMs, summed over the timed window (an idle node spends some too).")
                .note("The queue " + QUEUE + " on the cluster: leader " + three.leader + ", a copy on each of " + three.members + ".")
                .note(ROUNDS == 1 ? "One round: the single node first, then the cluster." : ROUNDS + " rounds, in turn the single "
                        + "node first and the cluster first; each column is over all its rounds.")
                .note(String.format(Locale.ROOT, "The single node and the cluster started side by side in %.0f s.", started.toMillis() / 1e3))
                .note("Load average as each phase started: " + String.join("; ", loads) + ".");
        if (ciSize) {
            table.note("CI size: a few seconds a phase, to check the invariants; its numbers are no measurement. The full "
                    + "size is any -Dexperiment.replication.* property, for example -Dexperiment.replication.seconds=30.");
        }
        table.note("Machine: " + Machine.describe()).print();
    }

    @Test
    @Order(2)
    void everyQuorumQueueIsLedByANodeOfTheCluster() throws Exception {
        // One connection, to node 1, declares every queue: as one application at start-up would. The default leader
        // locator, client-local, puts every leader on node 1; "balanced" puts each on the node that leads the fewest.
        List<String> locators = List.of("client-local", "balanced");
        Map<String, List<String>> queues = new LinkedHashMap<>();
        try (Connection connection = factory(cluster.nodes().get(0)).newConnection("replication-leaders");
                Channel channel = connection.createChannel()) {
            for (String locator : locators) {
                List<String> names = new ArrayList<>();
                for (int i = 1; i <= QUEUES; i++) {
                    String queue = "replication." + locator + "-" + i;
                    channel.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum", "x-queue-leader-locator", locator));
                    names.add(queue);
                }
                queues.put(locator, names);
            }
            Map<String, PrivateBroker> leaders = cluster.leaders("/"); // one rabbitmqctl for all: it fails on a stranger

            List<String> nodeNames = cluster.nodes().stream().map(PrivateBroker::nodeName).toList();
            String[] columns = new String[nodeNames.size() + 2];
            columns[0] = "x-queue-leader-locator";
            for (int n = 0; n < nodeNames.size(); n++) {
                columns[n + 1] = "leads on node " + (n + 1);
            }
            columns[columns.length - 1] = "leader of each queue";
            ResultTable table = ResultTable.of(String.format(Locale.ROOT, "ReplicationCostExperiment: the leaders of %d quorum "
                    + "queues declared through one connection to node 1 of the three-node cluster, for each leader locator", QUEUES), columns);
            for (String locator : locators) {
                Object[] row = new Object[columns.length];
                row[0] = locator + ("client-local".equals(locator) ? " (the default)" : "");
                List<Integer> leaderIndexes = new ArrayList<>();
                for (String queue : queues.get(locator)) {
                    assertThat(leaders).as("the leaders the cluster lists").containsKey(queue);
                    leaderIndexes.add(nodeNames.indexOf(leaders.get(queue).nodeName()) + 1);
                }
                for (int n = 0; n < nodeNames.size(); n++) {
                    int node = n + 1;
                    row[n + 1] = leaderIndexes.stream().filter(i -> i == node).count();
                }
                row[columns.length - 1] = leaderIndexes.stream().map(i -> "node " + i).collect(Collectors.joining(", "));
                table.row(row);
            }
            table.note("balanced counts the queues each node leads already, the client-local ones above included: "
                    + "it puts the next leader on the node that leads the fewest.");
            table.note("Node " + nodeNames.stream().map(n -> (nodeNames.indexOf(n) + 1) + " is " + n).collect(Collectors.joining(", node "))
                    + "; each queue has a copy on every node, only its leader takes the publishes and deliveries.");
            table.note("Machine: " + Machine.describe()).print();
            for (List<String> names : queues.values()) {
                for (String queue : names) {
                    channel.queueDelete(queue);
                }
            }
        }
    }

    /** A broker under test: the node its clients connect to, every node whose CPU it spends, and what it measured. */
    private static final class Side {
        final String label;
        final PrivateBroker entry;
        final List<PrivateBroker> nodes;
        /** The timed confirms of every round. */
        final LatencyRecorder latencies = new LatencyRecorder();
        /** Messages confirmed and consumed in the latency phase, warm-ups included. */
        long confirmed;
        long latencyCpuNanos;
        long latencyNanos;
        long drained;
        long drainNanos;
        long drainCpuNanos;
        /** The queue's leader and the nodes with a copy, as the broker lists them (the cluster: asked in round 1). */
        String leader;
        List<String> members;

        Side(String label, PrivateBroker entry, List<PrivateBroker> nodes) {
            this.label = label;
            this.entry = entry;
            this.nodes = nodes;
            this.leader = entry.nodeName();
            this.members = List.of(leader);
        }

        long cpuNanos() {
            return nodes.stream().mapToLong(node -> ProcessHandle.of(node.pid())
                    .flatMap(vm -> vm.info().totalCpuDuration()).map(Duration::toNanos)
                    .orElseThrow(() -> new IllegalStateException("no CPU time for " + node.nodeName()))).sum();
        }

        String uri() {
            return "amqp://guest:guest@localhost:" + entry.port() + "/%2F";
        }

        double cores() {
            return (double) latencyCpuNanos / latencyNanos;
        }

        double perSecond() {
            return drained * 1e9 / drainNanos;
        }

        double cpuNanosPerDrained() {
            return (double) drainCpuNanos / drained;
        }
    }

    /**
     * Publishes at a fixed rate with confirms, while one consumer acks every message; records each timed message's
     * latency from its scheduled send (so a publisher held up by the broker counts the wait) to its confirm.
     * {@code askMembers}: list the queue's leader and members first, and check that every node has a copy.
     */
    private static void confirmLatency(Side side, boolean askMembers) throws Exception {
        long warmup = (long) RATE * WARMUP_SECONDS;
        long total = warmup + (long) RATE * SECONDS;
        LatencyRecorder latencies = side.latencies;
        int timedBefore = latencies.count();
        ConcurrentNavigableMap<Long, Long> unconfirmed = new ConcurrentSkipListMap<>();
        AtomicLong confirmed = new AtomicLong();
        AtomicLong nacked = new AtomicLong();
        AtomicLong consumed = new AtomicLong();
        ConnectionFactory factory = factory(side.entry);
        try (Connection publishing = factory.newConnection("replication-publisher");
                Connection consuming = factory.newConnection("replication-consumer")) {
            Channel publisher = publishing.createChannel();
            publisher.queueDeclare(QUEUE, true, false, false, QUORUM);
            if (askMembers) { // a rabbitmqctl VM, before the clock starts
                String[] listed = listed(side.entry, QUEUE, "leader", "members");
                side.leader = listed[0];
                side.members = nodeNames(listed[1]);
                assertThat(side.members).as("the nodes with a copy of " + QUEUE)
                        .containsExactlyInAnyOrderElementsOf(side.nodes.stream().map(PrivateBroker::nodeName).toList());
            }
            Channel consumer = consuming.createChannel();
            consumer.basicQos(CONSUMER_PREFETCH);
            consumer.basicConsume(QUEUE, false, (tag, delivery) -> {
                consumer.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                consumed.incrementAndGet();
            }, tag -> { });

            publisher.confirmSelect();
            publisher.addConfirmListener((tag, multiple) -> settle(unconfirmed, tag, multiple, seqNo -> {
                confirmed.incrementAndGet();
                return seqNo > warmup; // the warm-up's confirms are counted, not timed
            }, latencies), (tag, multiple) -> settle(unconfirmed, tag, multiple, seqNo -> {
                nacked.incrementAndGet();
                return false;
            }, latencies));
            byte[] body = new byte[BODY_BYTES];
            Pacer pacer = Pacer.fixedRate(RATE);
            long cpuAtStart = 0;
            long timedFrom = 0;
            for (long i = 1; i <= total; i++) {
                long scheduled = pacer.awaitNext();
                if (i == warmup + 1) {
                    cpuAtStart = side.cpuNanos();
                    timedFrom = System.nanoTime();
                }
                unconfirmed.put(publisher.getNextPublishSeqNo(), scheduled);
                publisher.basicPublish("", QUEUE, PERSISTENT, body);
            }
            publisher.waitForConfirmsOrDie(60_000);
            await(side.label + ": every message consumed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> consumed.get() >= total);
            side.latencyCpuNanos += side.cpuNanos() - cpuAtStart;
            side.latencyNanos += System.nanoTime() - timedFrom;
            assertThat(nacked.get()).as(side.label + ": messages nacked").isZero();
            assertThat(confirmed.get()).as(side.label + ": messages confirmed").isEqualTo(total);
            assertThat(consumed.get()).as(side.label + ": messages consumed").isEqualTo(total);
            assertThat(latencies.count() - timedBefore).as(side.label + ": timed confirms").isEqualTo(total - warmup);
            side.confirmed += total;
            publisher.queueDelete(QUEUE);
        }
    }

    /**
     * A confirm (or nack) settles one message, or with {@code multiple} every one up to {@code tag}; {@code counted}
     * counts each and says whether its latency is recorded.
     */
    private static void settle(ConcurrentNavigableMap<Long, Long> unconfirmed, long tag, boolean multiple, LongPredicate counted,
            LatencyRecorder latencies) {
        long now = System.nanoTime();
        Map<Long, Long> done = multiple ? unconfirmed.headMap(tag, true) : unconfirmed.subMap(tag, true, tag, true);
        for (var it = done.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Long> message = it.next();
            if (counted.test(message.getKey())) {
                latencies.record(now - message.getValue());
            }
            it.remove();
        }
    }

    /** Preloads the queue with confirms, then times PerfTest's drain of it. */
    private static void drain(Side side) throws Exception {
        int total = WARMUP_MESSAGES + MESSAGES;
        try (Connection connection = factory(side.entry).newConnection("replication-drain");
                Channel channel = connection.createChannel()) {
            channel.queueDeclare(QUEUE, true, false, false, QUORUM);
            channel.confirmSelect();
            byte[] body = new byte[BODY_BYTES];
            for (int i = 0; i < total; i++) {
                channel.basicPublish("", QUEUE, PERSISTENT, body);
            }
            channel.waitForConfirmsOrDie(120_000 + total * 10L);
            assertThat(channel.queueDeclarePassive(QUEUE).getMessageCount()).as(side.label + ": preloaded").isEqualTo(total);

            String name = "replication-" + side.label.replace(' ', '-') + "-drain";
            BrokerCeiling.PerfTestRun draining = BrokerCeiling.PerfTestRun.start(name, "-h", side.uri(), "-x", "0", "-y", "1",
                    "-q", String.valueOf(PREFETCH), "-u", QUEUE, "-p");
            BrokerCeiling.Drain drain;
            try {
                drain = timeDrain(connection, QUEUE, MESSAGES, Duration.ofSeconds(120 + MESSAGES / 100), side::cpuNanos, () -> 0);
                // ready = 0 is every message delivered; consumed is every one acked too: the queue's total, ready and
                // unacked, which only the broker's own listing gives (a passive declare counts the ready ones)
                await(side.label + ": every message consumed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> listed(side.entry, QUEUE, "messages")[0].equals("0"));
            } finally {
                draining.close();
            }
            channel.queueDelete(QUEUE);
            side.drained += drain.messages();
            side.drainNanos += drain.nanos();
            side.drainCpuNanos += drain.cpuNanos();
        }
    }

    private static ConnectionFactory factory(PrivateBroker node) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("localhost");
        factory.setPort(node.port());
        factory.setUsername("guest");
        factory.setPassword("guest");
        return factory;
    }

    /** The Erlang node names in a listed cell, for example {@code [a@localhost, b@localhost]}. */
    private static List<String> nodeNames(String cell) {
        List<String> names = new ArrayList<>();
        Matcher name = Pattern.compile("[\\w.-]+@[\\w.-]+").matcher(cell);
        while (name.find()) {
            names.add(name.group());
        }
        return names;
    }

    /** Columns of {@code rabbitmqctl list_queues} for one queue of the default vhost, as it prints them. */
    private static String[] listed(PrivateBroker node, String queue, String... columns) {
        List<String> command = new ArrayList<>(List.of("list_queues", "-p", "/", "name"));
        command.addAll(List.of(columns));
        command.addAll(List.of("--quiet", "--no-table-headers"));
        String listing = node.rabbitmqctl(command.toArray(String[]::new));
        for (String line : listing.split("\n")) {
            String[] cells = line.split("\t");
            if (cells.length == columns.length + 1 && cells[0].equals(queue)) {
                return Arrays.stream(cells, 1, cells.length).map(String::strip).toArray(String[]::new);
            }
        }
        throw new IllegalStateException("No queue " + queue + " in:\n" + listing);
    }

    private static String ratio(double cluster, double one) {
        return String.format(Locale.ROOT, "%.1fx", cluster / one);
    }

    private static String micros(double nanos) {
        return String.format(Locale.ROOT, "%,.0f µs", nanos / 1e3);
    }

    private static String cores(double cores) {
        return String.format(Locale.ROOT, "%.2f cores", cores);
    }
}
