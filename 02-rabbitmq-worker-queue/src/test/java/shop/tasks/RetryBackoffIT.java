package shop.tasks;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import course.testkit.PayaraProcess;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exercise 2, against the real broker: with {@code tasks.retry-backoff=true} a failed task waits 1 s, 2 s, then 4 s
 * in the delay queues {@code tasks.retry.1} to {@code .3} before its next attempt, and after its last attempt it
 * lands in {@code tasks.dead}. The gaps are measured on the worker's own clock, from its events.
 */
class RetryBackoffIT extends DeployedProducer {

    /** The header the worker counts attempts in, by name: the test compiles without the reference solution. */
    private static final String ATTEMPT = "attempt";

    private static PayaraProcess worker;

    @BeforeAll
    static void startWorkerWithBackoff() throws Exception {
        worker = startWorker("backoff-w1", Map.of("tasks.retry-backoff", "true")).awaitReady();
        // The worker declares the topology before it says it is waiting.
        worker.awaitLog(Pattern.compile(" \\[\\*] backoff-w1 waiting for tasks "));
        ExerciseCheck.assertDeclared(delayQueue(1), "Exercise 2 is not solved yet: a worker started with "
                + "tasks.retry-backoff=true declared no delay queue tasks.retry.1; "
                + "see 02-rabbitmq-worker-queue/README.md, Exercises, 2. Exponential backoff between retries");
    }

    /** The delay queue a task waits in after its failed attempt number {@code attempt}, as the exercise names it. */
    private static String delayQueue(int attempt) {
        return "tasks.retry." + attempt;
    }

    /**
     * How much shorter than its delay a measured wait may be. The worker stamps its events with its wall clock, in ms,
     * and the broker expires a waiting message by its own timer: in a clean-clone CI run a 2,000 ms wait measured
     * 1,992 ms. 50 ms is far below what would show a wrong delay (the next one is twice as long).
     */
    private static final long CLOCK_SLACK_MS = 50;

    /** 1 s after the first failed attempt, then twice as long after each next one. */
    private static long delayMs(int attempt) {
        return 1_000L << (attempt - 1);
    }

    @AfterAll
    static void stopWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void aTaskThatFailsThreeTimesWaitsOneThenTwoThenFourSecondsAndIsThenDone() throws Exception {
        try (TestBroker broker = TestBroker.connect(); EventTap events = EventTap.open(broker)) {
            String id = api().accepted(
                    "{\"type\":\"email\",\"orderId\":\"RB-1\",\"to\":\"ada@example.com\",\"simulate\":{\"workMs\":0,\"failAttempts\":3}}");

            await().atMost(30, SECONDS).untilAsserted(() -> {
                JsonObject status = api().status(id);
                assertThat(status.getString("status")).isEqualTo("DONE");
                assertThat(status.getInt("attempts")).isEqualTo(4);
            });
            await().atMost(5, SECONDS).until(() -> events.of(id).size() == 8); // running+failed x3, running+done

            StringBuilder gaps = new StringBuilder();
            for (int failed = 1; failed <= 3; failed++) {
                long gap = events.at(id, "running", failed + 1) - events.at(id, "failed", failed);
                gaps.append(failed == 1 ? "" : ", ").append(gap).append(" ms");
                assertThat(gap).as("wait after failed attempt %d", failed).isGreaterThanOrEqualTo(delayMs(failed) - CLOCK_SLACK_MS);
            }
            System.out.println(" [i] waits before attempts 2, 3, 4: " + gaps + " (at least 1000, 2000, 4000 ms)");
            assertThat(effectExists("email", id)).isTrue();
            assertThat(worker.count(Pattern.compile(" \\[x] Retrying '" + Pattern.quote(label(id, "email")) + "' in \\d+ ms"))).isEqualTo(3);
            assertEmpty(broker, TaskTopology.QUEUE, delayQueue(1), delayQueue(2), delayQueue(3));
        }
    }

    @Test
    void aTaskThatAlwaysFailsIsDeadLetteredAfterItsFourthAttemptAndWaitedSevenSecondsInAll() throws Exception {
        try (TestBroker broker = TestBroker.connect(); EventTap events = EventTap.open(broker)) {
            String id = api().accepted("{\"type\":\"report\",\"orderId\":\"RB-poison\",\"simulate\":{\"workMs\":0,\"failAttempts\":99}}");

            await().atMost(30, SECONDS).untilAsserted(() -> {
                JsonObject status = api().status(id);
                assertThat(status.getString("status")).isEqualTo("DEAD_LETTERED");
                assertThat(status.getInt("attempts")).isEqualTo(4);
            });
            // The events travel on a channel of their own: wait for the last one too.
            await().atMost(5, SECONDS).until(() -> events.of(id).size() == 8); // running+failed x4
            assertThat(events.at(id, "failed", 4) - events.at(id, "failed", 1))
                    .as("1 s + 2 s + 4 s between the first and the last failure").isGreaterThanOrEqualTo(7_000 - CLOCK_SLACK_MS);
            assertThat(effectExists("report", id)).as("a dead-lettered task has no effect").isFalse();
            assertEmpty(broker, TaskTopology.QUEUE, delayQueue(1), delayQueue(2), delayQueue(3));

            try (Channel channel = broker.connection().createChannel()) {
                // The worker put it there, not the broker's delivery limit: no x-death, but the attempt count.
                GetResponse dead = channel.basicGet(TaskTopology.DEAD_LETTER_QUEUE, false);
                assertThat(dead).isNotNull();
                assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).contains(id).contains("RB-poison");
                assertThat(String.valueOf(dead.getProps().getHeaders().get(ATTEMPT))).isEqualTo("5");
                channel.basicNack(dead.getEnvelope().getDeliveryTag(), false, true); // leave it there
            }
        }
    }

    private static String label(String id, String type) {
        return type + " #" + id.substring(0, 8);
    }

    private static void assertEmpty(TestBroker broker, String... queues) throws Exception {
        for (String queue : queues) {
            assertThat(broker.ready(queue)).as("ready in %s", queue).isZero();
        }
    }
}
