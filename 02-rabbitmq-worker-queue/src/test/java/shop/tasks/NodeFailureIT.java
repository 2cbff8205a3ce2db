package shop.tasks;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import course.testkit.Pacer;
import course.testkit.PayaraProcess;
import course.testkit.PrivateBroker;
import course.testkit.PrivateCluster;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failure lab 5: a node of a three-node RabbitMQ cluster dies under load. The producer and two workers are Payara
 * Micro processes given every node's address (rabbitmq.addresses); 200 tasks a second come in over HTTP, and the node
 * that leads the tasks queue is killed with SIGKILL. The cluster is private to the test (testkit's PrivateCluster), so
 * the shared broker stays up.
 */
class NodeFailureIT {

    private static final String EMAIL = "{\"type\":\"email\",\"orderId\":\"N-%d\",\"to\":\"ada@example.com\",\"simulate\":{\"workMs\":0}}";
    /** Tasks offered a second; {@code -Dnode-failure.rate} for a machine too busy to hold 200. */
    private static final int RATE = Integer.getInteger("node-failure.rate", 200);
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration BEFORE_KILL = Duration.ofSeconds(4);
    private static final Duration AFTER_KILL = Duration.ofSeconds(8);
    private static final Path OUTBOX = Path.of(System.getProperty("tasks.test-outbox"), "node-failure");
    /**
     * HTTP/1.1: the JDK client's default, HTTP/2 over an upgrade of a plain connection, lost answers under this load.
     * Its own threads: the test's answers are counted on them.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(16, work -> {
                Thread thread = new Thread(work, "node-failure-http");
                thread.setDaemon(true);
                return thread;
            })).build();

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
        cluster = PrivateCluster.start("course-tasks-" + ProcessHandle.current().pid(), ports);
        operatorSetsUp();
        producer.awaitReady();
        workers.forEach(worker -> worker.awaitLog(Pattern.compile(" \\[\\*\\] node-failure-w\\d waiting for tasks")));
        PrivateBrokerLab.connected(producer, "the cluster");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        PrivateBrokerLab.stop(workers, producer, cluster);
    }

    // tag::node-dies[]
    @Test
    void aNodeDiesUnderLoadAndEveryAcceptedTaskIsDoneOnceWithout503sTurningInto202s() throws Exception {
        URI tasks = URI.create("http://localhost:" + producer.port() + "/api/tasks");
        PrivateBroker leader = cluster.leaderOf("/", TaskTopology.QUEUE);
        Map<String, String> bodies = new ConcurrentHashMap<>();   // Idempotency-Key -> body
        Map<String, Integer> answers = new ConcurrentHashMap<>(); // Idempotency-Key -> first answer
        Map<String, String> accepted = new ConcurrentHashMap<>(); // Idempotency-Key -> task id, once a 202 came

        // A warm-up at the same rate, all answered before the lab starts: three JVMs that just booted are slow at first.
        offer(tasks, WARM_UP, Duration.ZERO, () -> { }, bodies, answers, accepted);
        // The lab: the node that leads the tasks queue dies (SIGKILL) while requests keep coming.
        offer(tasks, BEFORE_KILL.plus(AFTER_KILL), BEFORE_KILL, () -> cluster.kill(leader), bodies, answers, accepted);

        List<String> refused = answers.entrySet().stream().filter(a -> a.getValue() == 503).map(Map.Entry::getKey).toList();
        System.out.printf("| node failure: %d requests, %d answered 202, %d answered 503, other answers: %s%n", bodies.size(),
                accepted.size(), refused.size(), answers.values().stream().filter(code -> code != 202 && code != 503).toList());
        assertThat(answers).as("an answer to every request").hasSameSizeAs(bodies);
        assertThat(Set.copyOf(answers.values())).as("202 or 503, nothing else").isSubsetOf(202, 503);
        // A client retries a 503 with the same Idempotency-Key, as the README tells it to, until it is accepted.
        Set<String> waiting = ConcurrentHashMap.newKeySet();
        waiting.addAll(refused);
        await("every 503 retried until 202").atMost(60, SECONDS).pollInterval(Duration.ofMillis(500)).until(() -> {
            CompletableFuture.allOf(waiting.stream().map(key -> HTTP.sendAsync(post(tasks, bodies.get(key), key),
                    HttpResponse.BodyHandlers.ofString()).thenAccept(retry -> {
                        if (retry.statusCode() == 202) {
                            accepted.put(key, id(retry));
                            waiting.remove(key);
                        }
                    })).toArray(CompletableFuture[]::new)).get(60, SECONDS);
            return waiting.isEmpty();
        });

        // Every accepted task has exactly one effect, and no effect is there that no client asked for: a task that
        // got a 503 and did arrive, and then its retry, is one id, applied once by the outbox.
        Set<String> ids = Set.copyOf(accepted.values());
        assertThat(ids).as("one task per key").hasSize(bodies.size());
        await("every accepted task done").atMost(60, SECONDS).untilAsserted(() -> assertThat(effectIds()).isEqualTo(ids));

        long longestGapMs = longestGapMs(effectTimes());
        System.out.printf("| node failure: %d requests at %d/s (%d s of them a warm-up), %s (leader of tasks) killed %d s into "
                + "the lab: %d answered 503 and were retried until 202, %d tasks done once each; longest gap in completed "
                + "tasks %d ms (the failover time)%n", bodies.size(), RATE, WARM_UP.toSeconds(), leader.nodeName(),
                BEFORE_KILL.toSeconds(), refused.size(), ids.size(), longestGapMs);
        assertThat(longestGapMs).as("the cluster fails over within seconds").isLessThan(30_000);
    }
    // end::node-dies[]

    /**
     * Offers tasks at {@link #RATE} for {@code duration}, each with an Idempotency-Key of its own, runs {@code event}
     * once {@code eventAfter} has passed, and returns when every request has its answer.
     */
    private static void offer(URI tasks, Duration duration, Duration eventAfter, Runnable event, Map<String, String> bodies,
                              Map<String, Integer> answers, Map<String, String> accepted) throws Exception {
        List<CompletableFuture<?>> requests = new ArrayList<>();
        Pacer pacer = Pacer.fixedRate(RATE);
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
            requests.add(HTTP.sendAsync(post(tasks, bodies.get(key), key), HttpResponse.BodyHandlers.ofString())
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

    /** When each effect was written, in milliseconds, sorted. */
    private static List<Long> effectTimes() throws IOException {
        try (Stream<Path> files = Files.list(effects())) {
            return files.filter(f -> f.toString().endsWith(".txt")).map(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).sorted().toList();
        }
    }

    private static long longestGapMs(List<Long> times) {
        long longest = 0;
        for (int i = 1; i < times.size(); i++) {
            longest = Math.max(longest, times.get(i) - times.get(i - 1));
        }
        return longest;
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
