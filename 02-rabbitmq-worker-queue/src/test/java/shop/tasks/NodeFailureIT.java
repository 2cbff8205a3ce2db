package shop.tasks;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import course.testkit.EffectGaps;
import course.testkit.Pacer;
import course.testkit.PayaraProcess;
import course.testkit.PrivateBroker;
import course.testkit.PrivateCluster;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Failure labs 6-8, on one three-node RabbitMQ cluster, private to the test (testkit's PrivateCluster), so the shared
 * broker stays up. The producer and two workers are Payara Micro processes given every node's address
 * (rabbitmq.addresses), and tasks come in over HTTP while a node is frozen (lab 7), killed (lab 6) and lost for good
 * (lab 8). In that order: each lab starts from the cluster the one before left, as an operator's week would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Beside the other classes, on a broker of its own (junit-platform.properties). A lock of its own keeps its labs in
// one thread, one after another in order: without it, a concurrent class runs its methods at once too.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("NodeFailureIT")
class NodeFailureIT {

    private static final String EMAIL = "{\"type\":\"email\",\"orderId\":\"N-%d\",\"to\":\"ada@example.com\",\"simulate\":{\"workMs\":0}}";
    /** Tasks offered a second; {@code -Dnode-failure.rate} for a machine too busy to hold 200. */
    private static final int RATE = Integer.getInteger("node-failure.rate", 200);
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration BEFORE_KILL = Duration.ofSeconds(4);
    private static final Duration AFTER_KILL = Duration.ofSeconds(8);
    /**
     * The nodes' settings. A net tick time of 10 s instead of Erlang's 60 s, so that the frozen node is cut off within
     * seconds (a node not heard from for 10-12.5 s is down). pause_minority, RabbitMQ's advice for a cluster across
     * zones: a node that sees itself in a minority stops serving until it sees the majority again.
     */
    // tag::node-settings[]
    private static final List<String> NODE_SETTINGS = List.of("net_ticktime = 10", "cluster_partition_handling = pause_minority");
    // end::node-settings[]
    /** Longer than the net tick time, so the majority marks the frozen node down. */
    private static final Duration FROZEN = Duration.ofSeconds(15);
    private static final Path OUTBOX = Path.of(System.getProperty("tasks.test-outbox") + "-node-failure");
    /** The test's threads for HTTP answers: they are counted on them. */
    private static final ExecutorService HTTP_THREADS = Executors.newFixedThreadPool(16, work -> {
        Thread thread = new Thread(work, "node-failure-http");
        thread.setDaemon(true);
        return thread;
    });
    /**
     * The HTTP client of the lab now running: a new one per lab, whose connections are all fresh. A connection kept
     * from the lab before may have idled past the server's keep-alive, and a request sent on it as the server closes
     * it gets no answer. HTTP/1.1: the JDK client's default, HTTP/2 over an upgrade of a plain connection, lost
     * answers under this load.
     */
    private static HttpClient http;

    /** Every task id accepted in this class's labs, across the labs: their effects are counted together. */
    private static final Set<String> ACCEPTED = ConcurrentHashMap.newKeySet();

    private static PrivateCluster cluster;
    private static PayaraProcess producer;
    private static final List<PayaraProcess> workers = new ArrayList<>();

    @BeforeAll
    static void startClusterProducerAndWorkers() throws IOException {
        PrivateBroker.requireScripts(PrivateBroker.scripts()); // without them, skipped before any boot
        deleteOutbox(); // this lab's effects only: each run counts them
        // The Payara processes boot (12 s and more) while the nodes start: they are built to start with the broker
        // down, and connect once it is up.
        List<Integer> ports = PrivateCluster.freePorts();
        String addresses = PrivateCluster.addresses(ports);
        producer = PayaraProcess.start("node-failure-producer", "tasks", settings("producer", "producer", addresses));
        for (String id : List.of("node-failure-w1", "node-failure-w2")) {
            workers.add(PayaraProcess.start(id, "tasks", settings("worker", id, addresses)));
        }
        cluster = PrivateCluster.start("course-tasks-" + ProcessHandle.current().pid(), ports, NODE_SETTINGS);
        operatorSetsUp();
        producer.awaitReady();
        workers.forEach(worker -> worker.awaitLog(Pattern.compile(" \\[\\*\\] node-failure-w\\d waiting for tasks")));
        PrivateBrokerLab.connected(producer, "the cluster");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        PrivateBrokerLab.stop(workers, producer, cluster);
    }

    // tag::minority[]
    @Test
    @Order(1)
    void aFrozenNodeIsCutOffTheMajorityKeepsAcceptingAndTheNodeRejoinsAndCatchesUpAfterItWakes() throws Exception {
        URI tasks = URI.create("http://localhost:" + producer.port() + "/api/tasks");
        PrivateBroker leader = cluster.leaderOf("/", TaskTopology.QUEUE);
        // A node the clients are not connected to (they took the first address) and that does not lead the queue:
        // this lab is about the minority; lab 6 is about the leader.
        PrivateBroker frozen = cluster.nodes().stream().filter(node -> node != leader && node != cluster.nodes().get(0))
                .reduce((first, last) -> last).orElseThrow();
        frozen.freeze(); // SIGSTOP: its sockets stay open, it answers nothing
        Offered whileUp;
        Offered onceDown;
        try {
            whileUp = offerAndRetry(tasks, RATE, FROZEN, Duration.ZERO, () -> { });
            await("the majority marks the frozen node down").atMost(30, SECONDS).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofSeconds(1)).until(() -> !runningNodes(cluster.live()).contains(frozen.nodeName()));
            // still frozen, but counted out: the two others are a majority of their own
            onceDown = offerAndRetry(tasks, RATE, Duration.ofSeconds(3), Duration.ZERO, () -> { });
        } finally {
            frozen.thaw(); // SIGCONT: it goes on where it stopped
        }
        // Both sides thought the other gone: a partition. pause_minority cannot help here: a node that was suspended
        // never saw the others leave (RabbitMQ's partitions guide). The operator's fix: restart the woken node's
        // RabbitMQ application; it takes the cluster's state from the majority, and its replica catches up. On a box
        // at load 20-30 the woken node sometimes came back with no partition reported (3 of 4 runs): nothing to restart.
        boolean partitioned = reportedWithin(Duration.ofSeconds(30), () -> partitioned(frozen));
        if (partitioned) {
            frozen.rabbitmqctl("stop_app");
            frozen.rabbitmqctl("start_app");
        }
        awaitCluster("the woken node rejoins, no partition remains, and its replica of tasks catches up", Duration.ofSeconds(90),
                () -> runningNodes(cluster.live()).contains(frozen.nodeName()) && !partitioned(frozen)
                        && replicasCaughtUp(TaskTopology.QUEUE, 3));
        System.out.printf("| minority: %s frozen %d s (net tick time 10 s), %d requests at %d/s: %d answered 503 (retried "
                + "until 202) while the others still waited for it; once they had marked it down, %d requests, %d answered "
                + "503; %s, it rejoined and its replica of %s caught up%n", frozen.nodeName(), FROZEN.toSeconds(),
                whileUp.requests(), RATE, whileUp.refused(), onceDown.requests(), onceDown.refused(),
                partitioned ? "restarted after it woke" : "no partition reported within 30 s of waking, not restarted",
                TaskTopology.QUEUE);
        assertThat(onceDown.refused()).as("the majority accepts every task once the frozen node is counted out").isZero();
        assertEveryAcceptedTaskDoneOnce();
    }
    // end::minority[]

    // tag::node-dies[]
    @Test
    @Order(2)
    void aNodeDiesUnderLoadAndEveryAcceptedTaskIsDoneOnceWithout503sTurningInto202s() throws Exception {
        URI tasks = URI.create("http://localhost:" + producer.port() + "/api/tasks");
        PrivateBroker leader = cluster.leaderOf("/", TaskTopology.QUEUE);

        // A warm-up at the same rate, all answered before the lab starts: three JVMs that just booted are slow at first.
        Offered warmUp = offerAndRetry(tasks, RATE, WARM_UP, Duration.ZERO, () -> { });
        // The lab: the node that leads the tasks queue dies (SIGKILL) while requests keep coming.
        Offered offered = offerAndRetry(tasks, RATE, BEFORE_KILL.plus(AFTER_KILL), BEFORE_KILL, () -> cluster.kill(leader));
        assertEveryAcceptedTaskDoneOnce();

        long longestGapMs = EffectGaps.longestGapMs(effects(), f -> { // this lab's tasks only
            String id = f.getFileName().toString().replace(".txt", "");
            return f.toString().endsWith(".txt") && (warmUp.ids().contains(id) || offered.ids().contains(id));
        });
        System.out.printf("| node failure: %d requests at %d/s (%d s of them a warm-up), %s (leader of tasks) killed %d s into "
                + "the lab: %d answered 503 and were retried until 202, %d tasks done once each; longest gap in completed "
                + "tasks %d ms (the failover time)%n", offered.requests() + (int) (RATE * WARM_UP.toSeconds()), RATE,
                WARM_UP.toSeconds(), leader.nodeName(), BEFORE_KILL.toSeconds(), offered.refused(), ACCEPTED.size(),
                longestGapMs);
        assertThat(longestGapMs).as("the cluster fails over within seconds").isLessThan(30_000);
    }
    // end::node-dies[]

    // tag::lost-for-good[]
    @Test
    @Order(3)
    void aNodeLostForGoodIsForgottenAFreshOneJoinsAndTheQueueGrowsBackToThreeReplicas() throws Exception {
        URI tasks = URI.create("http://localhost:" + producer.port() + "/api/tasks");
        // The node lab 6 killed (run alone, this lab kills one itself) will not come back: the machine is gone.
        PrivateBroker lost = cluster.nodes().stream().filter(PrivateBroker::isKilled).findFirst().orElseGet(() -> {
            PrivateBroker last = cluster.nodes().get(cluster.nodes().size() - 1);
            cluster.kill(last);
            return last;
        });
        cluster.forget(lost); // rabbitmqctl forget_cluster_node: the cluster and the queue stop counting on it
        await("the queue drops the lost node's replica").atMost(30, SECONDS).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofSeconds(1)).until(() -> !replicas(TaskTopology.QUEUE).contains(lost.nodeName()));

        PrivateBroker fresh = cluster.add(); // a new machine: a node that joins the cluster, holding no replica yet
        fresh.rabbitmqQueues("grow", fresh.nodeName(), "all"); // a replica of every quorum queue on it
        awaitCluster("the queue is back to three replicas, the fresh one caught up", Duration.ofSeconds(60),
                () -> replicas(TaskTopology.QUEUE).contains(fresh.nodeName()) && replicasCaughtUp(TaskTopology.QUEUE, 3));

        // The proof that the fresh replica counts: one more original node dies, and the queue keeps its majority.
        PrivateBroker next = cluster.nodes().stream().filter(node -> !node.isKilled() && node != fresh).findFirst().orElseThrow();
        Offered offered = offerAndRetry(tasks, RATE, AFTER_KILL, Duration.ofSeconds(2), () -> cluster.kill(next));
        assertEveryAcceptedTaskDoneOnce();
        System.out.printf("| lost for good: %s forgotten, %s joined and grown to (3 replicas of %s again); then %s killed "
                + "under %d requests at %d/s: %d answered 503 and were retried until 202, all %d accepted tasks done once%n",
                lost.nodeName(), fresh.nodeName(), TaskTopology.QUEUE, next.nodeName(), offered.requests(), RATE,
                offered.refused(), ACCEPTED.size());
    }
    // end::lost-for-good[]

    /** What {@link #offerAndRetry} offered: requests, and how many were answered 503 (and retried until 202). */
    private record Offered(int requests, int refused, Set<String> ids) {
    }

    /**
     * Offers {@code rate} tasks a second for {@code duration}, each with an Idempotency-Key of its own, runs {@code event}
     * once {@code eventAfter} has passed, checks that each request is answered 202 or 503 (never a false 202: a 503
     * may still arrive, and its retry then makes no second task), and retries each 503 with its key until it is
     * accepted, as the README tells a client to. Every accepted task id goes to {@link #ACCEPTED}.
     */
    private static Offered offerAndRetry(URI tasks, int rate, Duration duration, Duration eventAfter, Runnable event)
            throws Exception {
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .executor(HTTP_THREADS).build();
        Map<String, String> bodies = new ConcurrentHashMap<>();   // Idempotency-Key -> body
        Map<String, Integer> answers = new ConcurrentHashMap<>(); // Idempotency-Key -> first answer
        Map<String, String> accepted = new ConcurrentHashMap<>(); // Idempotency-Key -> task id, once a 202 came
        offer(tasks, rate, duration, eventAfter, event, bodies, answers, accepted);

        List<String> refused = answers.entrySet().stream().filter(a -> a.getValue() == 503).map(Map.Entry::getKey).toList();
        assertThat(answers).as("an answer to every request").hasSameSizeAs(bodies);
        assertThat(Set.copyOf(answers.values())).as("202 or 503, nothing else").isSubsetOf(202, 503);
        Set<String> waiting = ConcurrentHashMap.newKeySet();
        waiting.addAll(refused);
        await("every 503 retried until 202").atMost(60, SECONDS).pollInterval(Duration.ofMillis(500)).until(() -> {
            CompletableFuture.allOf(waiting.stream().map(key -> http.sendAsync(post(tasks, bodies.get(key), key),
                    HttpResponse.BodyHandlers.ofString()).thenAccept(retry -> {
                        if (retry.statusCode() == 202) {
                            accepted.put(key, id(retry));
                            waiting.remove(key);
                        }
                    })).toArray(CompletableFuture[]::new)).get(60, SECONDS);
            return waiting.isEmpty();
        });
        // A task that got a 503 and did arrive, and then its retry, is one id: one task per key.
        assertThat(Set.copyOf(accepted.values())).as("one task per key").hasSize(bodies.size());
        ACCEPTED.addAll(accepted.values());
        return new Offered(bodies.size(), refused.size(), Set.copyOf(accepted.values()));
    }

    /**
     * Every task accepted so far has exactly one effect, and no effect is there that no client asked for: the outbox
     * applies a task id once, whichever worker, and however often it was delivered.
     */
    private static void assertEveryAcceptedTaskDoneOnce() {
        await("every accepted task done").atMost(60, SECONDS).untilAsserted(() -> assertThat(effectIds()).isEqualTo(ACCEPTED));
    }

    /** The nodes that run the RabbitMQ application now, as {@code node} sees the cluster. */
    private static List<String> runningNodes(PrivateBroker node) {
        return clusterStatus(node).getJsonArray("running_nodes").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).toList();
    }

    /** The partitions {@code node} knows of: each node, with the nodes it could not reach; empty when there was none. */
    private static JsonObject partitions(PrivateBroker node) {
        return clusterStatus(node).getJsonObject("partitions");
    }

    private static JsonObject clusterStatus(PrivateBroker node) {
        return Json.createReader(new StringReader(node.rabbitmqctl("cluster_status", "--formatter", "json"))).readObject();
    }

    /** The nodes that hold a replica of the quorum queue (its members), as a live node lists them. */
    private static List<String> replicas(String queue) {
        String listing = cluster.live().rabbitmqctl("list_queues", "-p", "/", "name", "members", "--quiet", "--no-table-headers");
        return listing.lines().map(line -> line.split("\t")).filter(columns -> columns.length == 2 && columns[0].equals(queue))
                .findFirst().map(columns -> List.of(columns[1].replaceAll("[\\[\\] ]", "").split(",")))
                .orElseThrow(() -> new IllegalStateException("No queue " + queue + ":\n" + listing));
    }

    /**
     * Whether the quorum queue has {@code count} replicas, each the leader or a follower, and each with the same last
     * log index: every replica holds the whole log ({@code rabbitmq-queues quorum_status}). Not the commit index: a
     * follower learns it with the leader's next append, and an idle queue sends none.
     */
    private static boolean replicasCaughtUp(String queue, int count) {
        List<JsonObject> members = Json.createReader(new StringReader(quorumStatus(queue))).readArray().getValuesAs(JsonObject.class);
        return members.size() == count
                && members.stream().allMatch(m -> Set.of("leader", "follower").contains(m.getString("Raft State", "")))
                && members.stream().map(m -> m.get("Log Index").toString()).distinct().count() == 1;
    }

    private static String quorumStatus(String queue) {
        return cluster.live().rabbitmqQueues("quorum_status", "-p", "/", queue, "--formatter", "json");
    }

    /** Waits for a state of the cluster; if it does not come, fails with what the cluster and the queue say. */
    /** Whether {@code state} holds within {@code atMost}: for what may or may not happen, unlike {@link #awaitCluster}. */
    private static boolean reportedWithin(Duration atMost, Callable<Boolean> state) {
        try {
            await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(state);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** Whether the cluster reports a partition, as the woken node or a node of the majority sees it. */
    private static boolean partitioned(PrivateBroker woken) {
        return !partitions(cluster.live()).isEmpty() || !partitions(woken).isEmpty();
    }

    private static void awaitCluster(String what, Duration atMost, Callable<Boolean> state) {
        try {
            // ignoring errors: a node that restarts its application answers none of rabbitmqctl's questions meanwhile.
            // Asked at once, then each second: each question is a rabbitmqctl VM (about 1 s of CPU), so not more often.
            await(what).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(state);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + ": not within " + atMost.toSeconds() + " s. The cluster, as "
                    + cluster.live().nodeName() + " sees it:\n" + cluster.live().rabbitmqctl("cluster_status")
                    + "\nThe queue's replicas:\n" + quorumStatus(TaskTopology.QUEUE), e);
        }
    }

    /**
     * Offers {@code rate} tasks a second for {@code duration}, each with an Idempotency-Key of its own, runs {@code event}
     * once {@code eventAfter} has passed, and returns when every request has its answer.
     */
    private static void offer(URI tasks, int rate, Duration duration, Duration eventAfter, Runnable event, Map<String, String> bodies,
                              Map<String, Integer> answers, Map<String, String> accepted) throws Exception {
        List<CompletableFuture<?>> requests = new ArrayList<>();
        Pacer pacer = Pacer.fixedRate(rate);
        long start = System.nanoTime();
        long eventAt = start + eventAfter.toNanos();
        long end = start + duration.toNanos();
        boolean happened = false;
        while (System.nanoTime() < end) {
            pacer.awaitNext();
            if (!happened && System.nanoTime() >= eventAt) {
                event.run();
                happened = true;
            }
            String key = "\"" + UUID.randomUUID() + "\"";
            bodies.put(key, EMAIL.formatted(bodies.size()));
            requests.add(http.sendAsync(post(tasks, bodies.get(key), key), HttpResponse.BodyHandlers.ofString())
                    .thenAccept(response -> {
                        answers.put(key, response.statusCode());
                        if (response.statusCode() == 202) {
                            accepted.put(key, id(response));
                        }
                    }));
        }
        CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(60, SECONDS);
    }

    private static HttpRequest post(URI tasks, String body, String key) {
        return HttpRequest.newBuilder(tasks).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String id(HttpResponse<String> response) {
        return jakarta.json.Json.createReader(new StringReader(response.body())).readObject().getString("id");
    }

    private static void deleteOutbox() throws IOException {
        if (Files.isDirectory(OUTBOX)) {
            try (Stream<Path> files = Files.walk(OUTBOX)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Path effects() {
        return OUTBOX.resolve(TaskType.EMAIL.routingKey());
    }

    private static Set<String> effectIds() throws IOException {
        if (!Files.isDirectory(effects())) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(effects())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".txt"))
                    .map(n -> n.substring(0, n.length() - ".txt".length())).collect(Collectors.toSet());
        }
    }

    /**
     * The private nodes have no management API to create users with: the topology is declared here, as an operator
     * would once, and the producer and the workers run with rabbitmq.provision=false, as the nodes' administrator.
     */
    private static void operatorSetsUp() {
        try (TestBroker amqp = TestBroker.connect(cluster.nodes().get(0).port(), "/")) {
            TaskTopology.declare(amqp.connection(), Integer.parseInt(BrokerUsers.defaults().getProperty("tasks.max-attempts")),
                    Integer.parseInt(BrokerUsers.defaults().getProperty("tasks.max-length")));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot declare the topology on the private cluster: " + e, e);
        }
    }

    private static Map<String, String> settings(String role, String id, String addresses) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "tasks.role", role,
                "tasks.worker.id", id,
                "rabbitmq.addresses", addresses,
                "rabbitmq.virtual-host", "/",
                "tasks.outbox-dir", OUTBOX.toString(),
                // 1 s between attempts to reach the cluster, not up to 10 s: the processes boot while the nodes start,
                // and then connect within a second of the cluster being up. The failover it measures is the same:
                // after the kill each attempt tries every node's address, and a survivor answers the first one.
                "tasks.reconnect-max-ms", "1000",
                "rabbitmq.provision", "false"));
        for (BrokerUser user : BrokerUser.values()) {
            settings.put("rabbitmq." + user.key() + ".username", "guest");
            settings.put("rabbitmq." + user.key() + ".password", "guest");
        }
        return settings;
    }
}
