package shop.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import course.testkit.ExperimentProperties;
import course.testkit.LatencyRecorder;
import course.testkit.Machine;
import course.testkit.Pacer;
import course.testkit.PayaraProcess;
import course.testkit.Percentiles;
import course.testkit.ResultTable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Latency from submit to done at a fixed rate: tasks are POSTed to the producer's REST API at a steady
 * 200 per second (an unthrottled sender would only measure how long the queue gets), two workers with
 * prefetch 1 do 0-5 ms of work each, and the test's tap on tasks.events sees each task.done. Prints
 * the percentiles and the deepest queue seen; asserts only that every accepted task was done exactly once.
 *
 * <p>Full size: {@code mvn -pl 02-rabbitmq-worker-queue verify -Dit.test=LatencyExperiment -Dexperiment.seconds=60}
 * (also {@code -Dexperiment.rate}, {@code -Dexperiment.workers}, {@code -Dexperiment.max-work-ms}).
 */
class LatencyExperiment extends DeployedProducer {

    private static final List<PayaraProcess> WORKERS = new ArrayList<>();
    /** Sent at the same rate before the measured ones, and not measured: JIT and connection set-up. */
    private static final int WARMUP_SECONDS = 2;

    @AfterAll
    static void stopWorkers() {
        WORKERS.forEach(PayaraProcess::close);
    }

    @Test
    void tasksSubmittedAtASteadyRateAreEachDoneOnceSoonAfterSubmit() throws Exception {
        double rate = ExperimentProperties.decimal("experiment.rate", 200);
        int seconds = ExperimentProperties.integer("experiment.seconds", 10);
        int workerCount = ExperimentProperties.integer("experiment.workers", 2);
        int maxWorkMs = ExperimentProperties.integer("experiment.max-work-ms", 5);
        int warmup = (int) Math.round(WARMUP_SECONDS * rate);
        int total = warmup + (int) Math.round(seconds * rate);

        for (int i = 1; i <= workerCount; i++) {
            WORKERS.add(startWorker("latency-w" + i, Map.of()));
        }
        WORKERS.forEach(w -> w.awaitLog(Pattern.compile(" \\[\\*] latency-w\\d+ waiting for tasks")));

        AtomicLongArray sentAt = new AtomicLongArray(total);
        AtomicLongArray answeredAt = new AtomicLongArray(total);
        AtomicReferenceArray<String> ids = new AtomicReferenceArray<>(total);
        Map<Integer, String> refused = new ConcurrentHashMap<>();
        AtomicLong maxDepth = new AtomicLong();
        AtomicReference<Throwable> samplerFailure = new AtomicReference<>();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI submit = URI.create(base.toString()).resolve("/api/tasks");
        SplittableRandom random = new SplittableRandom(42);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

        try (TestBroker broker = TestBroker.connect(); DoneTap tap = DoneTap.open(broker)) {
            // Queue depth (ready tasks) every 100 ms, by passive declare: "near empty" means nobody waits long.
            sampler.scheduleAtFixedRate(() -> {
                try {
                    maxDepth.accumulateAndGet(broker.ready(TaskTopology.QUEUE), Math::max);
                } catch (Exception | Error e) {
                    samplerFailure.compareAndSet(null, e);
                }
            }, 0, 100, TimeUnit.MILLISECONDS);

            Pacer pacer = Pacer.fixedRate(rate);
            long sendStart = 0;
            for (int seq = 0; seq < total; seq++) {
                pacer.awaitNext();
                int n = seq;
                String json = "{\"type\":\"email\",\"orderId\":\"LAT-" + seq + "\",\"to\":\"ada@example.com\","
                        + "\"simulate\":{\"workMs\":" + random.nextInt(maxWorkMs + 1) + "}}";
                HttpRequest request = HttpRequest.newBuilder(submit).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
                if (seq == warmup) {
                    sendStart = System.nanoTime();
                    maxDepth.set(0); // the measured part's depth only
                }
                sentAt.set(seq, System.nanoTime());
                http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                    answeredAt.set(n, System.nanoTime());
                    if (error != null) {
                        refused.put(n, String.valueOf(error));
                    } else if (response.statusCode() != 202) {
                        refused.put(n, response.statusCode() + " " + response.body());
                    } else {
                        ids.set(n, TaskApi.json(response).getString("id"));
                    }
                });
            }
            double sendSeconds = (System.nanoTime() - sendStart) / 1e9;

            await("every POST answered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> answered(answeredAt) == total);
            assertThat(refused).as("POSTs not answered 202").isEmpty();
            await("every accepted task done").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> allDone(ids, tap));
            sampler.shutdown();

            LatencyRecorder doneLatency = new LatencyRecorder();
            LatencyRecorder acceptLatency = new LatencyRecorder();
            for (int seq = warmup; seq < total; seq++) {
                doneLatency.record(tap.doneNanos(ids.get(seq)) - sentAt.get(seq));
                acceptLatency.record(answeredAt.get(seq) - sentAt.get(seq));
            }
            Percentiles done = doneLatency.percentiles();
            Percentiles accepted = acceptLatency.percentiles();
            ResultTable.of(String.format(Locale.ROOT, "LatencyExperiment: %.0f tasks/s for %d s through POST /api/tasks, "
                                    + "%d workers (concurrency 1, prefetch 1), 0-%d ms of work per task",
                            rate, seconds, workerCount, maxWorkMs),
                            "measure", "submit to done", "submit to 202", "target")
                    .row("p50", done.formatMillis(50), accepted.formatMillis(50), "")
                    .row("p90", done.formatMillis(90), accepted.formatMillis(90), "")
                    .row("p99", done.formatMillis(99), accepted.formatMillis(99), "<= 250 ms")
                    .row("max", done.formatMillis(100), accepted.formatMillis(100), "")
                    .row("max queue depth (ready, sampled every 100 ms)", maxDepth.get(), "", "near empty")
                    .row("tasks measured", done.count(), "", "")
                    .row("offered rate achieved", String.format(Locale.ROOT, "%.1f tasks/s", (total - warmup - 1) / sendSeconds),
                            "", String.format(Locale.ROOT, "%.0f tasks/s", rate))
                    .row("lost / done twice", (total - tap.distinctDone()) + " / " + tap.duplicates(), "", "0 / 0")
                    .note("Latency: System.nanoTime in the test JVM, from just before the POST to the arrival of the "
                            + "task's task.done event at the test's own queue on tasks.events. The 202 is sent after the "
                            + "broker's publisher confirm, so 'submit to 202' is the price of 'the broker has it'.")
                    .note("The first " + WARMUP_SECONDS + " s (" + warmup + " tasks) are sent at the same rate and not "
                            + "measured. The producer, both workers, the broker and this JVM share the machine.")
                    .note("Machine: " + Machine.describe())
                    .print();

            tap.assertHealthy();
            assertThat(samplerFailure.get()).as("queue depth sampler").isNull();
            assertThat(tap.distinctDone()).as("accepted tasks seen done").isEqualTo(total);
            assertThat(tap.duplicates()).as("tasks done more than once").isZero();
            assertThat(effects()).as("effects in the outbox").isEqualTo(total);
        } finally {
            sampler.shutdownNow();
            http.shutdownNow();
        }
    }

    private static int answered(AtomicLongArray answeredAt) {
        int count = 0;
        for (int i = 0; i < answeredAt.length(); i++) {
            if (answeredAt.get(i) != 0) {
                count++;
            }
        }
        return count;
    }

    private static boolean allDone(AtomicReferenceArray<String> ids, DoneTap tap) {
        for (int i = 0; i < ids.length(); i++) {
            if (!tap.isDone(ids.get(i))) {
                return false;
            }
        }
        return true;
    }
}
