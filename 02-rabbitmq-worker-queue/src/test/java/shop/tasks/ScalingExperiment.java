package shop.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import course.testkit.ExperimentProperties;
import course.testkit.FullJit;
import course.testkit.Machine;
import course.testkit.PayaraProcess;
import course.testkit.ResultTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The article's "add more consumers to process faster", measured: the same kind of batch (50 ms of work
 * per task) drained by 1 and 2 worker processes (full size 1, 2, 4 and 8), each with one consumer (concurrency 1)
 * at prefetch 1. Workers are added between phases (1, +1, +2, +4), so each boots once. Prints the
 * speedup over one worker; asserts only that every task was done exactly once.
 *
 * <p>Full size: {@code mvn -pl 02-rabbitmq-worker-queue -am verify -Dit.test=ScalingExperiment -Dexperiment.max-workers=8 -Dexperiment.tasks-per-worker=200}
 * (also {@code -Dexperiment.work-ms}).
 */
@ExtendWith(FullJit.class) // at full size its servers boot with the full JIT: their speed is what it measures
class ScalingExperiment extends DeployedProducer {

    private static final List<PayaraProcess> WORKERS = new ArrayList<>();
    private static final int WARMUP_PER_WORKER = 10;

    @AfterAll
    static void stopWorkers() {
        WORKERS.forEach(PayaraProcess::close);
    }

    @Test
    void everyBatchIsDoneExactlyOnceAsWorkersAreAdded() throws Exception {
        // The CI size stops at 2 workers: each worker is a Payara Micro boot, the largest part of this test's time.
        int maxWorkers = ExperimentProperties.integer("experiment.max-workers", 2);
        // Each phase's batch grows with its workers, so every phase lasts about as long.
        int perWorker = ExperimentProperties.integer("experiment.tasks-per-worker", 60);
        int workMs = ExperimentProperties.integer("experiment.work-ms", 50);
        ResultTable table = ResultTable.of(String.format(Locale.ROOT, "ScalingExperiment: batches of %d tasks per worker, "
                        + "%d ms of work each, workers at concurrency 1 and prefetch 1", perWorker, workMs),
                "workers", "tasks", "drain time", "tasks/s", "speedup vs 1 worker", "ideal", "target");
        double oneWorker = 0;
        long published = 0;

        try (TestBroker broker = TestBroker.connect(); DoneTap tap = DoneTap.open(broker)) {
            for (int workers = 1; workers <= maxWorkers; workers *= 2) {
                addWorkers(workers - WORKERS.size());
                // Untimed: the new workers' first tasks (JIT, first connections) would count against them.
                List<Task> warmup = batch(WARMUP_PER_WORKER * workers, workMs);
                broker.publishAll(warmup);
                await("warm-up batch done").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> warmup.stream().allMatch(t -> tap.isDone(t.id())));
                published += warmup.size();

                int batch = perWorker * workers;
                List<Task> tasks = batch(batch, workMs);

                // The clock runs from the first publish to the last task.done: the batch's makespan.
                long start = System.nanoTime();
                broker.publishAll(tasks);
                await("a batch of " + batch + " drained by " + workers + " worker(s)")
                        .atMost(Duration.ofSeconds(60 + 3L * perWorker * workMs / 1000))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> tasks.stream().allMatch(t -> tap.isDone(t.id())));
                long end = tasks.stream().mapToLong(t -> tap.doneNanos(t.id())).max().orElseThrow();
                published += batch;

                double seconds = (end - start) / 1e9;
                double rate = batch / seconds;
                if (workers == 1) {
                    oneWorker = rate;
                }
                table.row(workers, batch, String.format(Locale.ROOT, "%.2f s", seconds), String.format(Locale.ROOT, "%.1f", rate),
                        String.format(Locale.ROOT, "%.2fx", rate / oneWorker), workers + "x", workers == 4 ? ">= 3.5x" : "");
                tap.assertHealthy();
                assertThat(tap.duplicates()).as("tasks done more than once").isZero();
            }
            assertThat(tap.distinctDone()).as("tasks seen done").isEqualTo(published);
            assertThat(effects()).as("effects in the outbox").isEqualTo(published);
            assertThat(broker.ready(TaskTopology.QUEUE)).isZero();
        }
        table.note(String.format(Locale.ROOT, "One worker's ceiling is 1000 / (%d ms + overhead) tasks/s; prefetch 1 "
                        + "dispatches fairly, so N idle workers take N tasks at a time.", workMs))
                .note("Before each timed batch, an untimed warm-up batch of " + WARMUP_PER_WORKER + " tasks per worker. "
                        + "Drain time: from the first publish (the whole batch is published at once, with confirms) "
                        + "to the last task.done seen on tasks.events.")
                .note("Each worker is its own Payara Micro process (~400 MB); the work is a sleep, so the 2 cores "
                        + "are not the limit until the per-task overhead adds up.")
                .note("Machine: " + Machine.describe())
                .print();
    }

    private static List<Task> batch(int size, int workMs) {
        return IntStream.range(0, size).mapToObj(i -> new Task(UUID.randomUUID().toString(),
                TaskType.EMAIL, "S-" + i, "ada@example.com", workMs, 0)).toList();
    }

    /** Boots {@code count} more workers at once and waits until each is consuming. */
    private static void addWorkers(int count) {
        List<PayaraProcess> booting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "scaling-w" + (WORKERS.size() + 1);
            // One consumer each, not the default 4: the lesson adds processes, so each adds exactly one consumer.
            PayaraProcess worker = startWorker(id, Map.of("tasks.worker.concurrency", "1"));
            WORKERS.add(worker);
            booting.add(worker);
        }
        booting.forEach(w -> w.awaitLog(Pattern.compile(" \\[\\*] scaling-w\\d+ waiting for tasks")));
    }
}
