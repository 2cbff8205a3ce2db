package shop.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import course.testkit.ExperimentProperties;
import course.testkit.FullJit;
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
import java.util.Arrays;
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
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Latency from submit to done at a fixed rate: tasks are POSTed to the producer's REST API at a steady
 * 200 per second (an unthrottled sender would only measure how long the queue gets), two workers (the CI size: one) with
 * prefetch 1, first with one consumer each and then with four (the default; the CI size runs four only), do 0-5 ms
 * of work per task, and the test's tap on tasks.events sees each task.done. Each latency is timed from the moment its POST was scheduled,
 * as load tools do, and the p99 also from the moment it was really sent, to show the difference once. Prints
 * the percentiles and the deepest queue seen; asserts only that every accepted task was done exactly once.
 *
 * <p>Full size: {@code mvn -pl 02-rabbitmq-worker-queue -am verify -Dit.test=LatencyExperiment -Dexperiment.seconds=60}
 * (also {@code -Dexperiment.rate}, {@code -Dexperiment.workers}, {@code -Dexperiment.max-work-ms},
 * {@code -Dexperiment.concurrency=1,4}).
 */
@ExtendWith(FullJit.class) // at full size its servers boot with the full JIT: their speed is what it measures
class LatencyExperiment extends DeployedProducer {

    private static final List<PayaraProcess> WORKERS = new ArrayList<>();
    /** Sent at the same rate before the measured ones, and not measured: JIT and connection set-up. */
    private static final int WARMUP_SECONDS = 2;
    /**
     * Consumers per worker, one run each: 1, then the default 4. At prefetch 1 every task costs a round
     * trip to the quorum queue besides its work, so one consumer does far fewer than 1000/workMs a second.
     * The CI size (5 s) runs the default only: each run boots its own workers, and 5 s shows no steady state.
     */
    private static final String FULL_SIZE_CONCURRENCY = "1,4";
    private static final String CI_CONCURRENCY = "4";
    /** From this many seconds on, a run compares both: the full size is 60. */
    private static final int FULL_SIZE_FROM_SECONDS = 30;
    /**
     * Worker processes: two at the full size. The CI size boots one (four consumers hold its 5 s at 200 tasks/s): a
     * second Payara Micro boot costs it more than its run, and its invariants hold for one worker as for two.
     */
    private static final int FULL_SIZE_WORKERS = 2;
    private static final int CI_WORKERS = 1;

    @AfterAll
    static void stopWorkers() {
        WORKERS.forEach(PayaraProcess::close);
    }

    @Test
    void everyTaskSubmittedAtASteadyRateIsDoneExactlyOnce() throws Exception {
        double rate = ExperimentProperties.decimal("experiment.rate", 200);
        // The CI size: 5 s per column, after the warm-up; the full size runs 60.
        int seconds = ExperimentProperties.integer("experiment.seconds", 5);
        boolean fullSize = seconds >= FULL_SIZE_FROM_SECONDS;
        int workerCount = ExperimentProperties.integer("experiment.workers", fullSize ? FULL_SIZE_WORKERS : CI_WORKERS);
        int maxWorkMs = ExperimentProperties.integer("experiment.max-work-ms", 5);
        String sized = fullSize ? FULL_SIZE_CONCURRENCY : CI_CONCURRENCY;
        List<Integer> concurrencies = Arrays.stream(System.getProperty("experiment.concurrency", sized).split(","))
                .map(c -> Integer.parseInt(c.strip())).toList();

        List<Run> runs = new ArrayList<>();
        long expected = 0;
        try (TestBroker broker = TestBroker.connect(); DoneTap tap = DoneTap.open(broker)) {
            for (int concurrency : concurrencies) {
                List<PayaraProcess> workers = new ArrayList<>();
                for (int i = 1; i <= workerCount; i++) {
                    workers.add(startWorker("latency-c" + concurrency + "-w" + i,
                            Map.of("tasks.worker.concurrency", String.valueOf(concurrency))));
                }
                WORKERS.addAll(workers);
                workers.forEach(w -> w.awaitLog(Pattern.compile(" \\[\\*] latency-c\\d+-w\\d+ waiting for tasks")));
                Run run = submitAtRate(broker, tap, rate, seconds, maxWorkMs, concurrency);
                runs.add(run);
                expected += run.total();
                workers.forEach(PayaraProcess::stop);
            }

            List<String> header = new ArrayList<>(List.of("measure"));
            runs.forEach(r -> header.add("concurrency " + r.concurrency()));
            header.add("target");
            ResultTable table = ResultTable.of(String.format(Locale.ROOT, "LatencyExperiment: %.0f tasks/s for %d s through "
                            + "POST /api/tasks, %d worker%s at prefetch 1 and tasks.worker.concurrency as shown, 0-%d ms of "
                            + "work per task", rate, seconds, workerCount, workerCount == 1 ? "" : "s", maxWorkMs), header.toArray(String[]::new));
            row(table, runs, "submit to done p50", r -> r.done().formatMillis(50), "");
            row(table, runs, "submit to done p90", r -> r.done().formatMillis(90), "");
            row(table, runs, "submit to done p99", r -> r.done().formatMillis(99), "<= 250 ms");
            row(table, runs, "submit to done max", r -> r.done().formatMillis(100), "");
            row(table, runs, "submit to done p99 / max, timed from the actual send",
                    r -> r.doneFromSend().formatMillis(99) + " / " + r.doneFromSend().formatMillis(100), "");
            row(table, runs, "sender behind schedule p99 / max", r -> r.lag().formatMillis(99) + " / " + r.lag().formatMillis(100), "");
            row(table, runs, "submit to 202 p50 / p99", r -> r.accepted().formatMillis(50) + " / " + r.accepted().formatMillis(99), "");
            row(table, runs, "max queue depth (ready, every 100 ms)", r -> String.valueOf(r.maxDepth()), "near empty");
            row(table, runs, "tasks measured", r -> String.valueOf(r.done().count()), "");
            row(table, runs, "offered rate achieved", r -> String.format(Locale.ROOT, "%.1f tasks/s", r.achievedRate()),
                    String.format(Locale.ROOT, "%.0f tasks/s", rate));
            table.note("Latency: System.nanoTime in the test JVM, from the time the task's POST was scheduled (the "
                            + "fixed rate's clock) to the arrival of its task.done event at the test's own queue on "
                            + "tasks.events. 'Timed from the actual send' starts when the sending loop really got to the "
                            + "POST instead: a sender that falls behind hides its own delay from it (coordinated omission). "
                            + "The 202 is sent after the broker's publisher confirm, so 'submit to 202' is the price of "
                            + "'the broker has it'.")
                    .note("The first " + WARMUP_SECONDS + " s of each run are sent at the same rate and not measured. "
                            + "The producer, the workers, the broker and this JVM share the machine.")
                    .note("Machine: " + Machine.describe())
                    .print();

            tap.assertHealthy();
            assertThat(tap.distinctDone()).as("accepted tasks seen done").isEqualTo(expected);
            assertThat(tap.duplicates()).as("tasks done more than once").isZero();
            assertThat(effects()).as("effects in the outbox").isEqualTo(expected);
        }
    }

    /** One run's results: latencies of the measured tasks, the deepest queue seen, and the rate really offered. */
    private record Run(int concurrency, int total, Percentiles done, Percentiles doneFromSend, Percentiles lag,
                       Percentiles accepted, long maxDepth, double achievedRate) {
    }

    private static void row(ResultTable table, List<Run> runs, String measure, Function<Run, String> cell, String target) {
        List<Object> cells = new ArrayList<>(List.of(measure));
        runs.forEach(r -> cells.add(cell.apply(r)));
        cells.add(target);
        table.row(cells.toArray());
    }

    /** POSTs tasks at a fixed rate, waits until every one is accepted and done, and measures each. */
    private Run submitAtRate(TestBroker broker, DoneTap tap, double rate, int seconds, int maxWorkMs, int concurrency)
            throws Exception {
        int warmup = (int) Math.round(WARMUP_SECONDS * rate);
        int total = warmup + (int) Math.round(seconds * rate);
        long[] scheduledAt = new long[total];
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
        try {
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
                scheduledAt[seq] = pacer.awaitNext();
                int n = seq;
                String json = "{\"type\":\"email\",\"orderId\":\"LAT-" + concurrency + "-" + seq + "\",\"to\":\"ada@example.com\","
                        + "\"simulate\":{\"workMs\":" + random.nextInt(maxWorkMs + 1) + "}}";
                HttpRequest request = HttpRequest.newBuilder(submit).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
                if (seq == warmup) {
                    sendStart = System.nanoTime();
                    maxDepth.set(0); // the measured part's depth only
                }
                sentAt.set(seq, System.nanoTime());
                http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                    if (error != null) {
                        refused.put(n, String.valueOf(error));
                    } else if (response.statusCode() != 202) {
                        refused.put(n, response.statusCode() + " " + response.body());
                    } else {
                        ids.set(n, TaskApi.json(response).getString("id"));
                    }
                    answeredAt.set(n, System.nanoTime());
                });
            }
            double sendSeconds = (System.nanoTime() - sendStart) / 1e9;

            await("every POST answered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> answered(answeredAt) == total);
            assertThat(refused).as("POSTs not answered 202").isEmpty();
            // A backlog (workers slower than the rate) drains after the last POST: allow for it.
            await("every accepted task done").atMost(Duration.ofSeconds(60 + 2L * seconds)).pollInterval(Duration.ofMillis(50))
                    .until(() -> allDone(ids, tap));
            sampler.shutdown();
            assertThat(samplerFailure.get()).as("queue depth sampler").isNull();

            LatencyRecorder doneLatency = new LatencyRecorder();
            LatencyRecorder doneFromSend = new LatencyRecorder();
            LatencyRecorder lag = new LatencyRecorder();
            LatencyRecorder acceptLatency = new LatencyRecorder();
            for (int seq = warmup; seq < total; seq++) {
                long done = tap.doneNanos(ids.get(seq));
                doneLatency.record(done - scheduledAt[seq]);
                doneFromSend.record(done - sentAt.get(seq));
                lag.record(sentAt.get(seq) - scheduledAt[seq]);
                acceptLatency.record(answeredAt.get(seq) - scheduledAt[seq]);
            }
            return new Run(concurrency, total, doneLatency.percentiles(), doneFromSend.percentiles(), lag.percentiles(),
                    acceptLatency.percentiles(), maxDepth.get(), (total - warmup - 1) / sendSeconds);
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
