package shop.tasks;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import course.testkit.PayaraProcess;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * never succeed. The lessons build on each other, so they run in order, with the same workers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerFailuresIT extends DeployedProducer {

    private static final List<PayaraProcess> WORKERS = new ArrayList<>();

    @AfterAll
    static void stopWorkers() {
        WORKERS.forEach(PayaraProcess::close);
    }

    @Test
    @Order(1)
    void aThousandTasksWaitForWorkersAndAreEachDoneOnceWhenTheyStart() throws Exception {
        List<String> ids = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            List<Future<String>> submitted = IntStream.range(0, 1_000)
                    .mapToObj(i -> clients.submit(() -> api().accepted(
                            "{\"type\":\"email\",\"orderId\":\"L1-" + i + "\",\"to\":\"ada@example.com\",\"simulate\":{\"workMs\":0}}")))
                    .toList();
            for (Future<String> id : submitted) {
                ids.add(id.get());
            }
        }
        try (TestBroker broker = TestBroker.connect()) {
            assertThat(broker.ready(TaskTopology.QUEUE)).as("all 1,000 accepted and waiting").isEqualTo(1_000);

            WORKERS.add(startWorker("w1", Map.of()));
            WORKERS.add(startWorker("w2", Map.of()));
            WORKERS.forEach(PayaraProcess::awaitReady);

            await().atMost(120, SECONDS).untilAsserted(() -> assertThat(effects()).isEqualTo(1_000));
            assertThat(broker.ready(TaskTopology.QUEUE)).isZero();
        }
        await().atMost(10, SECONDS).untilAsserted(() ->
                assertThat(ids).allSatisfy(id -> assertThat(api().status(id).getString("status")).isEqualTo("DONE")));
        // Exactly once: 1,000 "Done" lines across both workers, and each task's effect exists.
        assertThat(WORKERS.stream().mapToLong(w -> w.count(Pattern.compile(" \\[x\\] Done 'email #"))).sum()).isEqualTo(1_000);
        assertThat(ids).allSatisfy(id -> assertThat(effectExists("email", id)).isTrue());
        // Fair dispatch: with prefetch 1 both workers got a share.
        assertThat(WORKERS).allSatisfy(w -> assertThat(w.count(Pattern.compile(" \\[x\\] Done "))).isGreaterThan(100));
    }

    @Test
    @Order(2)
    void aTaskSurvivesAWorkerThatIsKilledMidWay() throws Exception {
        String id = api().accepted("{\"type\":\"report\",\"orderId\":\"L2-1\",\"simulate\":{\"workMs\":8000}}");
        Pattern received = Pattern.compile(" \\[x\\] Received 'report #" + id.substring(0, 8) + "' \\(attempt 1 ");
        await().atMost(10, SECONDS).until(() -> WORKERS.stream().anyMatch(w -> w.count(received) == 1));
        PayaraProcess victim = WORKERS.stream().filter(w -> w.count(received) == 1).findFirst().orElseThrow();
        assertThat(api().status(id).getString("status")).isEqualTo("RUNNING");

        victim.kill(); // kill -9: no goodbye, no ack; the broker sees the connection drop
        WORKERS.remove(victim);

        // The broker requeues the unacknowledged task; the surviving worker does it, as attempt 2.
        await().atMost(30, SECONDS).untilAsserted(() -> {
            JsonObject status = api().status(id);
            assertThat(status.getString("status")).isEqualTo("DONE");
            assertThat(status.getInt("attempts")).isEqualTo(2);
        });
        assertThat(effectExists("report", id)).isTrue();
        assertThat(victim.lines()).noneMatch(l -> l.contains(" [x] Done 'report #" + id.substring(0, 8)));
    }

    @Test
    @Order(3)
    void aPoisonTaskIsDeadLetteredAfterFourAttemptsWhileTheOthersFlow() throws Exception {
        String poison = api().accepted("{\"type\":\"report\",\"orderId\":\"L3-poison\",\"simulate\":{\"workMs\":0,\"failAttempts\":99}}");
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

        try (TestBroker broker = TestBroker.connect(); Channel channel = broker.connection().createChannel()) {
            // The task waits in tasks.dead, readable, with the broker's note on why it is there.
            GetResponse dead = channel.basicGet(TaskTopology.DEAD_LETTER_QUEUE, false);
            assertThat(dead).isNotNull();
            assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).contains(poison).contains("L3-poison");
            assertThat(dead.getProps().getHeaders().get("x-death").toString()).contains("delivery_limit");
            channel.basicNack(dead.getEnvelope().getDeliveryTag(), false, true); // leave it there
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

    private JsonObject dashboard() {
        return TaskApi.json(api().get("/api/dashboard"));
    }
}
