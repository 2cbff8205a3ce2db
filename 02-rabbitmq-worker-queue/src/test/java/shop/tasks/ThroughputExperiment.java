package shop.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static shop.tasks.BrokerCeiling.BODY_BYTES;
import static shop.tasks.BrokerCeiling.cpuNanos;
import static shop.tasks.BrokerCeiling.drainWithPerfTest;
import static shop.tasks.BrokerCeiling.preloadTasks;
import static shop.tasks.BrokerCeiling.rate;
import static shop.tasks.BrokerCeiling.timeDrain;

import com.rabbitmq.perf.PerfTest;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Throughput against the broker's own ceiling, in the same run: one worker process drains a preloaded
 * queue of zero-work 1,000-byte tasks at prefetch 1 and at prefetch 100 (with one consumer, and at the full size
 * also with four through tasks.worker.concurrency), and RabbitMQ PerfTest drains the same amount from a quorum
 * queue with the same arguments, message size, persistence, manual acks and number of consumers. Prints the
 * ratio; asserts only that every task was done exactly once. The CI size runs 1 x 1 and no PerfTest.
 *
 * <p>Full size: {@code mvn -pl 02-rabbitmq-worker-queue -am verify -Dit.test=ThroughputExperiment -Dexperiment.tasks=20000 -Dexperiment.settings=1x1,100x1,100x4}
 * (also {@code -Dexperiment.warmup}, and for example {@code -Dexperiment.settings=100x2} for other prefetch x consumer settings).
 */
@ExtendWith(FullJit.class) // at full size its servers boot with the full JIT: their speed is what it measures
class ThroughputExperiment extends DeployedProducer {

    /**
     * prefetch x consumers (tasks.worker.concurrency for the worker, -y for PerfTest). Each setting boots a worker of
     * its own (a Payara Micro boot), so the CI size runs the worker's defaults' prefetch only, one consumer, and the
     * comparison with prefetch 100 is left to the full size.
     */
    private static final String SETTINGS = "1x1";
    /**
     * From this many timed tasks on, a run drains PerfTest's queue too: the full size is 20,000. The CI size leaves it
     * out: it asserts nothing about PerfTest, and WorkerCostExperiment's CI size runs the same PerfTest drain (one
     * consumer, prefetch 1, the same message size and queue arguments) in the same build; its two JVMs and its drain
     * were a fifth of this class's time.
     */
    private static final int PERF_TEST_FROM_TASKS = 5_000;
    private static final List<PayaraProcess> WORKERS = new ArrayList<>();

    @AfterAll
    static void stopWorkers() {
        WORKERS.forEach(PayaraProcess::close);
    }

    @Test
    void oneWorkerDrainsAPreloadedQueueAtAShareOfWhatPerfTestDrains() throws Exception {
        int tasks = ExperimentProperties.integer("experiment.tasks", 2_000);
        // Drained first and not timed: both consumers are past connection set-up and JIT warm-up when
        // the clock starts, and the queue still holds `tasks` more behind them.
        int warmup = ExperimentProperties.integer("experiment.warmup", 500);
        ResultTable table = ResultTable.of(String.format(Locale.ROOT, "ThroughputExperiment: drain %,d preloaded zero-work "
                        + "%,d-byte persistent tasks (after %,d untimed), one consumer process, manual ack", tasks, BODY_BYTES, warmup),
                "prefetch x consumers", "worker msg/s", "PerfTest msg/s", "ratio", "target");
        List<String> notes = new ArrayList<>();
        long expectedEffects = 0;

        try (TestBroker broker = TestBroker.connect(); DoneTap tap = DoneTap.open(broker)) {
            // The full size preloads more than the default x-max-length (tasks.max-length, 10,000): the queue
            // is declared again with room for the preload, and the workers are told the same length.
            int maxLength = Math.max(10_000, warmup + tasks);
            broker.redeclareWorkQueue(maxLength);
            for (String setting : System.getProperty("experiment.settings", SETTINGS).split(",")) {
                int prefetch = Integer.parseInt(setting.strip().split("x")[0]);
                int concurrency = Integer.parseInt(setting.strip().split("x")[1]);
                String name = "throughput-p" + prefetch + "-c" + concurrency;
                double perfTest = tasks >= PERF_TEST_FROM_TASKS
                        ? drainWithPerfTest(broker, prefetch, concurrency, warmup + tasks, tasks, notes).perSecond() : Double.NaN;

                List<String> ids = preloadTasks(broker, warmup + tasks);
                PayaraProcess worker = startWorker(name, Map.of(
                        "tasks.max-length", String.valueOf(maxLength),
                        "tasks.worker.prefetch", String.valueOf(prefetch),
                        "tasks.worker.concurrency", String.valueOf(concurrency)));
                WORKERS.add(worker);
                BrokerCeiling.Drain drain = timeDrain(broker, TaskTopology.QUEUE, tasks, Duration.ofSeconds(180 + tasks / 100),
                        () -> cpuNanos("-Dtasks.worker.id=" + name + " "), () -> cpuNanos("-Dtasks.role=producer"));
                await("every preloaded task is seen done").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> ids.stream().allMatch(tap::isDone));
                worker.stop();
                expectedEffects += ids.size();

                double workers = drain.perSecond();
                table.row(prefetch + " x " + concurrency, rate(workers), Double.isNaN(perfTest) ? "(full size only)" : rate(perfTest),
                        Double.isNaN(perfTest) ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * workers / perfTest),
                        ">= 50% (stretch 80%)");
                notes.add(String.format(Locale.ROOT, "%d x %d: the worker process used %.2f cores while timed, "
                        + "the producer (which reads every event) %.2f", prefetch, concurrency, drain.cores(), drain.otherCores()));
                tap.assertHealthy();
                assertThat(tap.duplicates()).as("tasks done more than once").isZero();
            }
            assertThat(tap.distinctDone()).as("tasks seen done").isEqualTo(expectedEffects);
            assertThat(effects()).as("effects in the outbox").isEqualTo(expectedEffects);
            assertThat(broker.ready(TaskTopology.QUEUE)).isZero();
        }
        table.note("Worker: one Payara Micro process; consumers = tasks.worker.concurrency sessions, each with "
                        + "that prefetch; a transacted session committed after the work, 2 events and one outbox file per task, 2 log lines per task.")
                .note("PerfTest " + PerfTest.class.getPackage().getImplementationVersion() + " (own JVM): -x 0 -y <consumers> --qos <prefetch>, manual ack, "
                        + "its own 1,000-byte persistent messages, on a quorum queue with the tasks queue's arguments.")
                .note("Both timed the same way: passive declares every 5 ms, from 'ready <= tasks' to 'ready = 0'.");
        notes.forEach(table::note);
        table.note("Machine: " + Machine.describe()).print();
    }
}
