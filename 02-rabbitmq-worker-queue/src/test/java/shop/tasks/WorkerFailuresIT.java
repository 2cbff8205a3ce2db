package shop.tasks;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import course.testkit.AccessRefused;
import course.testkit.LabScript;
import course.testkit.PayaraProcess;
import course.testkit.RabbitVhost;
import com.rabbitmq.client.AMQP;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Failure labs 1-3 and idempotency: workers that are not there, that die mid-task, and tasks that
 * never succeed. The lessons build on each other, so they run in order, with the same workers. The
 * labs' commands are the README's scripts ({@code labs/*.sh}), run from the course folder as printed,
 * pointed at this test's producer, outbox and vhost.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerFailuresIT extends DeployedProducer {

    private static final List<PayaraProcess> WORKERS = new ArrayList<>();
    /**
     * The README's w1 and w2, with this run's process id: kill-worker.sh finds a worker by its id on the
     * command line, and another run of these tests on the same machine must not be the one it finds.
     */
    private static final String W1 = "w1-" + ProcessHandle.current().pid();
    private static final String W2 = "w2-" + ProcessHandle.current().pid();
    private static final Map<PayaraProcess, String> IDS = new HashMap<>();

    @AfterAll
    static void stopWorkers() {
        WORKERS.forEach(PayaraProcess::close);
    }

    @Test
    @Order(1)
    void aThousandTasksWaitForWorkersAndAreEachDoneOnceWhenTheyStart() throws Exception {
        List<String> ids = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            List<Future<String>> submitted = IntStream.range(0, 900)
                    .mapToObj(i -> clients.submit(() -> api().accepted(
                            "{\"type\":\"email\",\"orderId\":\"L1-" + i + "\",\"to\":\"ada@example.com\",\"simulate\":{\"workMs\":0}}")))
                    .toList();
            for (Future<String> id : submitted) {
                ids.add(id.get());
            }
        }
        // Lab 1 as printed: 100 reports while no worker runs, and the outbox's count of done reports.
        List<String> reports = lab("submit-tasks.sh", "100", "{\"workMs\":50}").lines().toList();
        assertThat(reports).hasSize(100);
        ids.addAll(reports);
        assertThat(lab("count-effects.sh")).isEqualTo("0\n");
        try (TestBroker broker = TestBroker.connect()) {
            assertThat(broker.ready(TaskTopology.QUEUE)).as("all 1,000 accepted and waiting").isEqualTo(1_000);

            WORKERS.add(startWorker(W1));
            WORKERS.add(startWorker(W2));
            WORKERS.forEach(PayaraProcess::awaitReady);

            await().atMost(120, SECONDS).untilAsserted(() -> assertThat(effects()).isEqualTo(1_000));
            assertThat(broker.ready(TaskTopology.QUEUE)).isZero();
        }
        assertThat(lab("count-effects.sh")).as("grows by exactly 100").isEqualTo("100\n");
        await().atMost(10, SECONDS).untilAsserted(() ->
                assertThat(ids).allSatisfy(id -> assertThat(api().status(id).getString("status")).isEqualTo("DONE")));
        // Exactly once: 1,000 "Done" lines across both workers, and each task's effect exists.
        assertThat(WORKERS.stream().mapToLong(w -> w.count(Pattern.compile(" \\[x\\] Done '"))).sum()).isEqualTo(1_000);
        assertThat(ids.subList(0, 900)).allSatisfy(id -> assertThat(effectExists("email", id)).isTrue());
        assertThat(reports).allSatisfy(id -> assertThat(effectExists("report", id)).isTrue());
        // Fair dispatch: with prefetch 1 both workers got a share.
        assertThat(WORKERS).allSatisfy(w -> assertThat(w.count(Pattern.compile(" \\[x\\] Done "))).isGreaterThan(100));
    }

    @Test
    @Order(2)
    void aTaskSurvivesAWorkerThatIsKilledMidWay() throws Exception {
        // Lab 2 as printed: a 20 s report, the worker that logged Received for it killed by its id.
        String id = lab("submit-tasks.sh", "1", "{\"workMs\":20000}").strip();
        Pattern received = Pattern.compile(" \\[x\\] Received 'report #" + id.substring(0, 8) + "' \\(attempt 1 ");
        await().atMost(10, SECONDS).until(() -> WORKERS.stream().anyMatch(w -> w.count(received) == 1));
        PayaraProcess victim = WORKERS.stream().filter(w -> w.count(received) == 1).findFirst().orElseThrow();
        // The worker's "running" event reaches the producer's board a moment after its log line.
        await().atMost(10, SECONDS).untilAsserted(() -> assertThat(api().status(id).getString("status")).isEqualTo("RUNNING"));

        // kill -9: no goodbye, no ack; the broker sees the connection drop
        assertThat(lab("kill-worker.sh", IDS.get(victim))).startsWith("Killed worker " + IDS.get(victim) + " (process ");
        await().atMost(10, SECONDS).until(() -> !victim.isAlive());
        assertThat(WORKERS).filteredOn(PayaraProcess::isAlive).hasSize(1); // the other worker lives on
        WORKERS.remove(victim);
        victim.close();

        // The broker requeues the unacknowledged task; the surviving worker does it, as attempt 2.
        await().atMost(60, SECONDS).untilAsserted(() -> {
            JsonObject status = api().status(id);
            assertThat(status.getString("status")).isEqualTo("DONE");
            assertThat(status.getInt("attempts")).isEqualTo(2);
        });
        assertThat(lab("task-status.sh", id)).contains("\"status\":\"DONE\"").contains("\"attempts\":2")
                .contains("\"worker\":\"" + IDS.get(WORKERS.get(0)) + "\"");
        assertThat(effectExists("report", id)).isTrue();
        assertThat(victim.lines()).noneMatch(l -> l.contains(" [x] Done 'report #" + id.substring(0, 8)));
    }

    @Test
    @Order(3)
    void aPoisonTaskIsDeadLetteredAfterFourAttemptsWhileTheOthersFlow() throws Exception {
        // Lab 3 as printed: a report that fails its first 99 attempts.
        String poison = lab("submit-tasks.sh", "1", "{\"failAttempts\":99}").strip();
        List<String> healthy = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            healthy.add(api().accepted("{\"type\":\"report\",\"orderId\":\"L3-" + i + "\",\"simulate\":{\"workMs\":10}}"));
        }

        await().atMost(30, SECONDS).untilAsserted(() -> {
            JsonObject status = api().status(poison);
            assertThat(status.getString("status")).isEqualTo("DEAD_LETTERED");
            assertThat(status.getInt("attempts")).isEqualTo(4);
        });
        await().atMost(30, SECONDS).untilAsserted(() ->
                assertThat(healthy).allSatisfy(id -> assertThat(api().status(id).getString("status")).isEqualTo("DONE")));
        assertThat(effectExists("report", poison)).as("a dead-lettered task has no effect").isFalse();
        assertThat(lab("task-status.sh", poison)).contains("\"status\":\"DEAD_LETTERED\"").contains("\"attempts\":4");

        // The task waits in tasks.dead, readable, with the broker's note on why it is there; the peek leaves it there.
        String dead = lab("peek-dead-letters.sh");
        assertThat(dead).contains(poison).contains("\"reason\":\"failed 4 of 4 attempts: simulated failure");
        try (TestBroker broker = TestBroker.connect()) {
            await().atMost(5, SECONDS).untilAsserted(() -> assertThat(broker.ready(TaskTopology.DEAD_LETTER_QUEUE)).isEqualTo(1));
        }
    }

    @Test
    @Order(4)
    void aTaskDeliveredTwiceHasItsEffectAppliedOnce() throws Exception {
        Task task = new Task(java.util.UUID.randomUUID().toString(), TaskType.EMAIL, "L4-1", "ada@example.com", 0, 0);
        long skippedBefore = dashboard().getJsonNumber("duplicatesSkipped").longValue();
        try (TestBroker broker = TestBroker.connect()) {
            broker.publish(task); // the same task twice: as after a producer retry
            broker.publish(task);
        }

        Pattern done = Pattern.compile(" \\[x\\] Done '" + Pattern.quote(task.label()) + "'");
        await().atMost(30, SECONDS).untilAsserted(() ->
                assertThat(WORKERS.stream().mapToLong(w -> w.count(done)).sum()).isEqualTo(2));
        assertThat(WORKERS.stream().flatMap(w -> w.lines().stream()))
                .filteredOn(l -> done.matcher(l).find())
                .satisfiesOnlyOnce(l -> assertThat(l).contains("already applied"));
        assertThat(effectExists("email", task.id())).isTrue();
        await().atMost(5, SECONDS).untilAsserted(() ->
                assertThat(dashboard().getJsonNumber("duplicatesSkipped").longValue()).isEqualTo(skippedBefore + 1));
    }

    @Test
    @Order(5)
    void aMessageTheWorkerCannotHandleGoesToTasksDeadWithOneLogLineAndTheConsumerGoesOn() throws Exception {
        long consumers = awaitConsumers(1);
        try (TestBroker broker = TestBroker.connect()) {
            long deadBefore = broker.ready(TaskTopology.DEAD_LETTER_QUEUE);
            String valid = "{\"id\":\"%s\",\"type\":\"report\",\"orderId\":\"L5-1\"%s}";
            // What any AMQP client can publish to the tasks exchange, past the REST API's checks.
            Map<String, byte[]> poison = new java.util.LinkedHashMap<>();
            poison.put("no body", new byte[0]);
            poison.put("a body that is not JSON", "hello, worker".getBytes(StandardCharsets.UTF_8));
            poison.put("JSON of the wrong shape", "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8));
            poison.put("a body of 20000 bytes, over the worker's limit of 16384",
                    String.format(valid, UUID.randomUUID(), ",\"to\":\"" + "x".repeat(19_900) + "\"").getBytes(StandardCharsets.UTF_8));
            poison.put("\"simulate.workMs\" outside the worker's limit of 0 to 60000",
                    String.format(valid, UUID.randomUUID(), ",\"simulate\":{\"workMs\":600000}").getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, byte[]> message : poison.entrySet()) {
                byte[] body = message.getValue();
                if (message.getKey().startsWith("a body of")) {
                    body = java.util.Arrays.copyOf(body, 20_000); // exactly 20,000 bytes, whatever the id
                    java.util.Arrays.fill(body, body.length - 120, body.length, (byte) ' ');
                }
                broker.publishRaw(TaskType.REPORT.routingKey(), new AMQP.BasicProperties(), body);
            }
            // The JMS client's own format of another type: its JMSType header says ObjectMessage.
            broker.publishRaw(TaskType.REPORT.routingKey(), new AMQP.BasicProperties.Builder()
                    .headers(Map.of("JMSType", "ObjectMessage")).build(), new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5});
            poison.put("a JMS ObjectMessage, not JSON text", null);

            // Two tasks that fail every time, then a good one, all by anonymous HTTP: this silenced the worker once.
            String failing1 = api().accepted("{\"type\":\"report\",\"orderId\":\"L5-f1\",\"simulate\":{\"workMs\":0,\"failAttempts\":99}}");
            String failing2 = api().accepted("{\"type\":\"report\",\"orderId\":\"L5-f2\",\"simulate\":{\"workMs\":0,\"failAttempts\":99}}");
            String good = api().accepted("{\"type\":\"report\",\"orderId\":\"L5-good\",\"simulate\":{\"workMs\":0}}");

            await().atMost(60, SECONDS).untilAsserted(() -> assertThat(api().status(good).getString("status")).isEqualTo("DONE"));
            await().atMost(60, SECONDS).untilAsserted(() -> {
                for (String id : List.of(failing1, failing2)) {
                    JsonObject status = api().status(id);
                    assertThat(status.getString("status")).isEqualTo("DEAD_LETTERED");
                    assertThat(status.getInt("attempts")).isEqualTo(4);
                }
            });
            await().atMost(30, SECONDS).untilAsserted(() ->
                    assertThat(broker.ready(TaskTopology.DEAD_LETTER_QUEUE)).isEqualTo(deadBefore + poison.size() + 2));

            // One line per message, naming the queue and why: the README's marker.
            for (String reason : poison.keySet()) {
                Pattern line = Pattern.compile(" \\[!] Moved an unreadable message to tasks\\.dead: unreadable: " + Pattern.quote(reason));
                assertThat(logCount(line)).as("log lines for %s", reason).isEqualTo(1);
            }
            for (String id : List.of(failing1, failing2)) {
                assertThat(logCount(Pattern.compile(" \\[!] Moved 'report #" + id.substring(0, 8)
                        + "' to tasks\\.dead: failed 4 of 4 attempts: simulated failure"))).isEqualTo(1);
            }
            String dead = lab("peek-dead-letters.sh");
            assertThat(dead).contains("\"reason\":\"failed 4 of 4 attempts: simulated failure");
        }
        // The consumer went on: the same consumers, none restarted.
        assertThat(awaitConsumers(consumers)).isEqualTo(consumers);
        assertThat(logCount(Pattern.compile(" has no live consumer on tasks"))).isZero();
        assertThat(dashboard().getJsonNumber("failedAttempts").longValue()).isGreaterThanOrEqualTo(8);
    }

    @Test
    @Order(6)
    void aFailedTaskShowsFailedUntilItsNextAttemptIsDone() throws Exception {
        // One worker, busy with a 3 s report while two more tasks queue up behind it. The first of them fails
        // once; its retry goes to the back of the queue, behind the second 3 s report, and shows FAILED meanwhile.
        String busy = api().accepted("{\"type\":\"report\",\"orderId\":\"L6-0\",\"simulate\":{\"workMs\":3000}}");
        String flaky = api().accepted("{\"type\":\"email\",\"orderId\":\"L6-1\",\"to\":\"ada@example.com\",\"simulate\":{\"workMs\":0,\"failAttempts\":1}}");
        String slow = api().accepted("{\"type\":\"report\",\"orderId\":\"L6-2\",\"simulate\":{\"workMs\":3000}}");
        assertThat(api().status(flaky).getString("status")).as("queued behind the busy report").isEqualTo("QUEUED");
        await().atMost(15, SECONDS).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonObject status = api().status(flaky);
            assertThat(status.getString("status")).isEqualTo("FAILED");
            assertThat(status.getInt("attempts")).isEqualTo(1);
            assertThat(status.getString("error")).contains("simulated failure");
        });
        await().atMost(30, SECONDS).untilAsserted(() -> {
            JsonObject status = api().status(flaky);
            assertThat(status.getString("status")).isEqualTo("DONE");
            assertThat(status.getInt("attempts")).isEqualTo(2);
        });
        assertThat(List.of(busy, slow)).allSatisfy(id -> assertThat(api().status(id).getString("status")).isEqualTo("DONE"));
    }

    @Test
    @Order(7)
    void aWorkerWhoseConnectionIsKilledIsRestartedByItsWatchdogAndReportsIt() throws Exception {
        PayaraProcess worker = WORKERS.get(0);
        long consumers = awaitConsumers(1);
        Pattern waiting = Pattern.compile(" \\[\\*] " + IDS.get(worker) + " waiting for tasks");
        long started = worker.count(waiting);
        // The worker's consumer, as the broker lists it; its connection closed from the management API.
        String connection = RabbitVhost.management().getConsumers(RabbitVhost.name()).stream()
                .filter(c -> c.getQueueDetails().getName().equals(TaskTopology.QUEUE))
                .map(c -> c.getChannelDetails().getConnectionName())
                .findFirst().orElseThrow();
        RabbitVhost.management().closeConnection(connection);

        worker.awaitLog(Pattern.compile(" \\[!] Lost the broker connection"));
        await().atMost(30, SECONDS).until(() -> worker.count(waiting) == started + 1);
        assertThat(awaitConsumers(consumers)).isEqualTo(consumers);
        // Reported: the worker's own health endpoint, the producer's, and the dashboard.
        TaskApi own = new TaskApi(java.net.URI.create("http://localhost:" + worker.port()));
        await().atMost(10, SECONDS).untilAsserted(() -> {
            HttpResponse<String> health = own.get("/api/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(TaskApi.json(health).getInt("restarts")).isEqualTo(1);
        });
        await().atMost(10, SECONDS).untilAsserted(() -> {
            assertThat(api().get("/api/health").statusCode()).isEqualTo(200);
            JsonObject beat = dashboard().getJsonArray("workers").getValuesAs(JsonObject.class).stream()
                    .filter(w -> w.getString("worker").equals(IDS.get(worker))).findFirst().orElseThrow();
            assertThat(beat.getBoolean("consuming")).isTrue();
            assertThat(beat.getInt("restarts")).isEqualTo(1);
        });
        // And it works: a task after the restart is done.
        String after = api().accepted("{\"type\":\"report\",\"orderId\":\"L7-1\",\"simulate\":{\"workMs\":0}}");
        await().atMost(30, SECONDS).untilAsserted(() -> assertThat(api().status(after).getString("status")).isEqualTo("DONE"));
    }

    // tag::least-privilege[]
    /**
     * With the broker's own permissions, not the app's goodwill: a worker's user can report only as itself, read only
     * its own queue, and the producer's user cannot report at all. What the broker lets through but the body lies
     * about (an event on w1's key that names another worker) the board drops.
     */
    @Test
    @Order(8)
    void aWorkerCanReportOnlyAsItselfAndReadOnlyItsOwnQueueAndTheProducerCannotReport() throws Exception {
        String me = IDS.get(WORKERS.get(0));
        String other = me.equals(W1) ? W2 : W1; // lab 2 killed whichever worker took its task first: either may be left
        String user = BrokerUsers.workerName().replace("{id}", me);
        String forged = UUID.randomUUID().toString();
        String in = "' in vhost '" + RabbitVhost.name() + "' refused for user '";
        try (com.rabbitmq.client.Connection asWorker = BrokerUsers.connect(BrokerUser.WORKER, me);
             com.rabbitmq.client.Connection asProducer = BrokerUsers.connect(BrokerUser.PRODUCER, null)) {
            for (String key : List.of("task.done." + other, "worker.heartbeat." + other, "task.done")) {
                assertThat(AccessRefused.refusal(asWorker, channel -> publishEvent(channel, key, event(forged, other))))
                        .isEqualTo("ACCESS_REFUSED - access to topic '" + key + "' in exchange 'tasks.events" + in + user + "'");
            }
            assertThat(AccessRefused.refusal(asWorker, channel -> channel.basicGet(TaskTopology.DEAD_LETTER_QUEUE, false)))
                    .isEqualTo("ACCESS_REFUSED - access to queue 'tasks.dead" + in + user + "'");
            assertThat(AccessRefused.refusal(asWorker, channel -> channel.queueDelete(TaskTopology.QUEUE)))
                    .isEqualTo("ACCESS_REFUSED - access to queue 'tasks" + in + user + "'");
            assertThat(AccessRefused.refusal(asProducer, channel -> publishEvent(channel, "task.done." + me, event(forged, me))))
                    .isEqualTo("ACCESS_REFUSED - access to exchange 'tasks.events" + in + BrokerUsers.name(BrokerUser.PRODUCER) + "'");
            assertThat(AccessRefused.refusal(asProducer, channel -> channel.basicGet(TaskTopology.QUEUE, false)))
                    .isEqualTo("ACCESS_REFUSED - access to queue 'tasks" + in + BrokerUsers.name(BrokerUser.PRODUCER) + "'");

            // On its own key the broker lets it through: the body's claim to be the other worker is what the board checks.
            String marker = UUID.randomUUID().toString();
            try (com.rabbitmq.client.Channel channel = asWorker.createChannel()) {
                publishEvent(channel, "task.done." + me, event(forged, other));
                publishEvent(channel, "task.done." + me, event(marker, me)); // behind it in the board's queue: applied
            }
            await().atMost(10, SECONDS).until(() -> api().get("/api/tasks/" + marker).statusCode() == 200);
            assertThat(api().get("/api/tasks/" + forged).statusCode()).as("the forged event was applied").isEqualTo(404);
        }
    }
    // end::least-privilege[]

    private static String event(String taskId, String worker) {
        return "{\"event\":\"done\",\"taskId\":\"" + taskId + "\",\"type\":\"report\",\"worker\":\"" + worker
                + "\",\"attempt\":1,\"ms\":1,\"duplicate\":false}";
    }

    private static void publishEvent(com.rabbitmq.client.Channel channel, String routingKey, String body) throws Exception {
        channel.confirmSelect();
        channel.basicPublish(TaskTopology.EVENTS_EXCHANGE, routingKey, null, body.getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5_000);
    }

    /** The consumers on the tasks queue, as the management API reports them, once they equal {@code expected}. */
    private static long awaitConsumers(long expected) {
        // The management API's numbers lag by up to its 5 s statistics interval.
        return await().atMost(30, SECONDS).until(
                () -> RabbitVhost.management().getQueue(RabbitVhost.name(), TaskTopology.QUEUE).getConsumerCount(), n -> n == expected);
    }

    private static long logCount(Pattern pattern) {
        return WORKERS.stream().mapToLong(w -> w.count(pattern)).sum();
    }

    private static PayaraProcess startWorker(String id) {
        // One consumer each, not the default 4: the labs hold either way, but the lessons after them count
        // consumers and queue one task behind another, and one consumer per worker keeps that countable.
        PayaraProcess worker = startWorker(id, Map.of("tasks.worker.concurrency", "1"));
        IDS.put(worker, id);
        return worker;
    }

    /** Runs {@code labs/<script>} from the course folder, as the README prints it, against this test's producer. */
    private String lab(String script, String... args) {
        Map<String, String> env = Map.of(
                "PRODUCER", base.getHost() + ":" + base.getPort(),
                "OUTBOX", OUTBOX.toString(),
                "RABBITMQ_VIRTUAL_HOST", RabbitVhost.name());
        return LabScript.of("labs/" + script).fromCourseFolder().run(env, Duration.ofSeconds(60), args)
                .assertSucceeded().output();
    }

    private JsonObject dashboard() {
        return TaskApi.json(api().get("/api/dashboard"));
    }
}
