package shop.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.perf.PerfTest;
import course.testkit.RabbitVhost;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The throughput experiments' same-run baseline and their stopwatch: RabbitMQ PerfTest drains a preloaded copy of the
 * tasks queue, and both it and the worker under test are timed with the same stick, the queue's ready count.
 */
final class BrokerCeiling {

    /** PerfTest's queue, next to the tasks queue in this run's vhost; deleted after each drain. */
    static final String PERF_QUEUE = "perftest.tasks";
    /** PerfTest's -s and our task bodies: the same number of bytes. */
    static final int BODY_BYTES = 1_000;

    private BrokerCeiling() {
    }

    /** Publishes tasks straight to the tasks exchange, as a foreign producer would, and waits for the broker's confirms. */
    static List<String> preloadTasks(TestBroker broker, int count) throws Exception {
        List<String> ids = new ArrayList<>(count);
        try (Channel channel = broker.connection().createChannel()) {
            channel.confirmSelect();
            AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder()
                    .deliveryMode(2).contentType("application/json").build();
            for (int i = 0; i < count; i++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                channel.basicPublish(TaskTopology.EXCHANGE, "email", persistent, paddedTask(id, i));
            }
            channel.waitForConfirmsOrDie(120_000);
        }
        return ids;
    }

    /**
     * A zero-work e-mail task of exactly {@link #BODY_BYTES} bytes. The REST API caps a recipient at 318
     * characters and refuses unknown fields, so a valid task stays under 500 bytes; this one carries an
     * extra "padding" field instead, which the worker's {@link Task#fromJson} ignores, as it ignores any
     * field it does not know.
     */
    static byte[] paddedTask(String id, int n) {
        String head = "{\"id\":\"" + id + "\",\"type\":\"email\",\"orderId\":\"T-" + n + "\",\"to\":\"ada@example.com\","
                + "\"simulate\":{\"workMs\":0},\"padding\":\"";
        String json = head + "x".repeat(BODY_BYTES - head.length() - 2) + "\"}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        if (body.length != BODY_BYTES) {
            throw new IllegalStateException("padded task is " + body.length + " bytes");
        }
        return body;
    }

    /** Preloads PerfTest's queue with PerfTest's own producer, then drains it with one PerfTest consumer. */
    static Drain drainWithPerfTest(TestBroker broker, int prefetch, int consumers, int total, int timed,
                                            List<String> notes)
            throws Exception {
        Map<String, Object> arguments = tasksQueueArguments();
        int preload = total;
        try (Channel channel = broker.connection().createChannel()) {
            channel.queueDeclare(PERF_QUEUE, true, false, false, arguments);
        }
        try {
            String uri = "amqp://" + RabbitVhost.username() + ":" + RabbitVhost.password() + "@" + RabbitVhost.host() + ":"
                    + RabbitVhost.port() + "/" + RabbitVhost.encode(RabbitVhost.name());
            PerfTestRun preloading = PerfTestRun.start("preload-" + prefetch + "x" + consumers, "-h", uri, "-x", "1", "-y", "0",
                    "-C", String.valueOf(preload), "-s", String.valueOf(BODY_BYTES), "-f", "persistent", "-c", "1000",
                    "-u", PERF_QUEUE, "-p");
            preloading.awaitExit(Duration.ofSeconds(120 + preload / 100));
            assertThat(broker.ready(PERF_QUEUE)).as("PerfTest's preloaded queue").isEqualTo(preload);

            // No -D: a consumer that reaches its -D quota stops acking while holding its prefetch, so the
            // others starved and PerfTest never ended (seen with 4 consumers). It is stopped once drained.
            PerfTestRun draining = PerfTestRun.start("drain-" + prefetch + "x" + consumers, "-h", uri, "-x", "0",
                    "-y", String.valueOf(consumers), "-q", String.valueOf(prefetch), "-u", PERF_QUEUE, "-p");
            Drain drain;
            try {
                drain = timeDrain(broker, PERF_QUEUE, timed, Duration.ofSeconds(120 + timed / 100),
                        () -> draining.process().info().totalCpuDuration().map(Duration::toNanos).orElse(0L), () -> 0);
            } finally {
                draining.close();
            }
            notes.add("PerfTest " + prefetch + " x " + consumers + " says: " + draining.output().lines()
                    .filter(l -> l.contains("receiving rate avg")).map(String::strip).findFirst().orElse("(no summary)"));
            return drain;
        } finally {
            try (Channel channel = broker.connection().createChannel()) {
                channel.queueDelete(PERF_QUEUE);
            }
        }
    }

    /**
     * PerfTest in a JVM of its own, as from a terminal, on this test's class path; its output goes to
     * target/perftest-NAME.log. A drain runs until it is stopped, which prints its summary.
     */
    record PerfTestRun(String name, Process process, Path log) implements AutoCloseable {

        static PerfTestRun start(String name, String... args) throws java.io.IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), PerfTest.class.getName()));
            command.addAll(List.of(args));
            Path log = Path.of("target", "perftest-" + name + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new PerfTestRun(name, process, log);
        }

        /** Waits for PerfTest to stop by itself; fails with its output when it does not, or fails. */
        void awaitExit(Duration atMost) throws Exception {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("PerfTest " + name + " still runs after " + atMost.toSeconds() + " s:\n" + output());
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("PerfTest " + name + " exited with " + process.exitValue() + ":\n" + output());
            }
        }

        String output() {
            try {
                return Files.readString(log);
            } catch (java.io.IOException e) {
                return "(no output: " + e + ")";
            }
        }

        /** SIGTERM: PerfTest prints its summary and exits; forcibly after 10 s. */
        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** The tasks queue's arguments as the broker has them (management API), for PerfTest's queue. */
    static Map<String, Object> tasksQueueArguments() {
        JsonObject queue = RabbitVhost.get("/api/queues/" + RabbitVhost.encode(RabbitVhost.name()) + "/"
                + TaskTopology.QUEUE).asJsonObject();
        Map<String, Object> arguments = new LinkedHashMap<>();
        queue.getJsonObject("arguments").forEach((key, value) -> arguments.put(key, plain(value)));
        assertThat(arguments).containsEntry("x-queue-type", "quorum");
        return arguments;
    }

    private static Object plain(JsonValue value) {
        if (value instanceof JsonString s) {
            return s.getString();
        }
        if (value instanceof JsonNumber n) {
            return n.longValue();
        }
        throw new IllegalArgumentException("unexpected queue argument " + value);
    }

    /** How long the ready count took to fall from {@code timed} to zero: exactly {@code timed} deliveries. */
    record Drain(int messages, long nanos, long cpuNanos, long otherCpuNanos) {
        double perSecond() {
            return messages * 1e9 / nanos;
        }

        double cores() {
            return (double) cpuNanos / nanos;
        }

        double otherCores() {
            return (double) otherCpuNanos / nanos;
        }
    }

    /** CPU time of the child processes whose command line contains {@code marker}, for example one worker or PerfTest. */
    static long cpuNanos(String marker) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }

    /**
     * Times a drain with the same stick for both consumers. The count is of ready messages, so the
     * consumer's prefetched, unacknowledged ones are outside it at both ends, and the window holds
     * exactly {@code timed} deliveries.
     */
    static Drain timeDrain(TestBroker broker, String queue, int timed, Duration atMost, LongSupplier cpu, LongSupplier otherCpu)
            throws java.io.IOException, java.util.concurrent.TimeoutException {
        return timeDrain(broker.connection(), queue, timed, atMost, cpu, otherCpu);
    }

    /** As {@link #timeDrain(TestBroker, String, int, Duration, LongSupplier, LongSupplier)}, on any broker's connection. */
    static Drain timeDrain(Connection connection, String queue, int timed, Duration atMost, LongSupplier cpu, LongSupplier otherCpu)
            throws java.io.IOException, java.util.concurrent.TimeoutException {
        AtomicLong start = new AtomicLong();
        AtomicLong end = new AtomicLong();
        long[] cpuAt = new long[4];
        AtomicLong firstReady = new AtomicLong(-1);
        // One channel for all the samples, not one each (TestBroker.ready): an in-process consumer pays for the polls.
        try (Channel channel = connection.createChannel()) {
            await("queue " + queue + " drained").atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(() -> {
                        long ready = channel.queueDeclarePassive(queue).getMessageCount();
                        long now = System.nanoTime();
                        firstReady.compareAndSet(-1, ready);
                        if (start.get() == 0 && ready <= timed) {
                            start.set(now);
                            cpuAt[0] = cpu.getAsLong();
                            cpuAt[2] = otherCpu.getAsLong();
                        }
                        if (ready == 0) {
                            end.set(now);
                            cpuAt[1] = cpu.getAsLong();
                            cpuAt[3] = otherCpu.getAsLong();
                            return true;
                        }
                        return false;
                    });
        }
        if (firstReady.get() <= timed) {
            throw new IllegalStateException("the first sample of " + queue + " already showed " + firstReady.get()
                    + " ready, so the timed window began before it; raise -Dexperiment.warmup");
        }
        return new Drain(timed, end.get() - start.get(), cpuAt[1] - cpuAt[0], cpuAt[3] - cpuAt[2]);
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }
}
