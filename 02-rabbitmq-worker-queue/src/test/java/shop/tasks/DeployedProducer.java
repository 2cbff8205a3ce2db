package shop.tasks;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

import course.testkit.PayaraProcess;
import course.testkit.RabbitVhost;
import course.testkit.SharedServer;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The base of the black-box tests: the module's real WAR runs as the producer on a real Payara Micro, booted
 * once for the whole test run and shared by every class that extends this one (they deploy the same WAR with
 * the same settings), and workers are the same WAR in Payara Micro processes of their own, started, stopped and
 * killed by the test. Everything lives in this run's own vhost; each class starts with an empty queue, the
 * topology as the producer declares it, and an empty outbox.
 */
@ExtendWith(RabbitVhost.class)
abstract class DeployedProducer {

    static final Path OUTBOX = Path.of(System.getProperty("tasks.test-outbox"));

    /** The producer, as a learner starts it, in this run's vhost as this run's users; their users go once it stops. */
    @RegisterExtension
    static final SharedServer PRODUCER = SharedServer.forTheRun("shared-producer", "tasks", () -> producerSettings(""))
            .afterStop(() -> BrokerUsers.deleteStartingWith(""));

    /** The producer's root URL, as Arquillian's {@code @ArquillianResource URL} gave it. */
    URL base;

    /**
     * The producer's settings: this run's vhost, effects under target/, and users named after the vhost (plus
     * {@code prefix}, for a producer of a class's own), which {@link BrokerUsers} deletes.
     */
    static Map<String, String> producerSettings(String prefix) {
        String users = RabbitVhost.name() + "-" + prefix;
        return Map.of(
                "tasks.role", "producer",
                "rabbitmq.virtual-host", RabbitVhost.name(),
                "tasks.outbox-dir", OUTBOX.toString(),
                "rabbitmq.producer.username", users + "producer",
                "rabbitmq.board.username", users + "board");
    }

    TaskApi api() {
        return new TaskApi(base);
    }

    @BeforeAll
    static void emptyOutbox() throws IOException {
        deleteOutbox();
    }

    /** The producer this class drives: the shared one, unless a class has a producer of its own. */
    SharedServer producer() {
        return PRODUCER;
    }

    @BeforeEach
    void producerHasDeclaredTheTopology() {
        base = producer().url();
        // The producer connects to the broker in the background once it is deployed (it must start,
        // and answer 503, while the broker is down), so on a busy machine a class's first test could
        // otherwise look for the queues before the producer has declared them.
        await("the producer is connected to the broker").atMost(30, SECONDS)
                .until(() -> TaskApi.json(api().get("/api/dashboard")).getString("broker").equals("up"));
    }

    @AfterAll
    static void resetBroker() throws Exception {
        // The next class finds the topology as the producer declared it, empty, with what a lab added removed.
        try (TestBroker broker = TestBroker.connect()) {
            broker.resetTopology();
        }
        // The workers create their users at start (rabbitmq.provision), and deleting the vhost keeps users.
        BrokerUsers.deleteStartingWith("worker-");
        deleteOutbox();
    }

    /** A worker process, as a learner starts one with -Dtasks.role=worker; the caller waits for it. */
    static PayaraProcess startWorker(String id, Map<String, String> settings) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "tasks.role", "worker",
                "tasks.worker.id", id,
                "rabbitmq.virtual-host", RabbitVhost.name(),
                "rabbitmq.worker.username", BrokerUsers.workerName(), // this run's own, deleted after the class
                "tasks.outbox-dir", OUTBOX.toString()));
        properties.putAll(settings);
        return PayaraProcess.start(id, "tasks", properties);
    }

    /**
     * The effects applied so far: one file per task, whichever worker applied it. Lists only the
     * type folders: a walk would also enter {@code .drafts}, whose files the workers delete while
     * the walk reads them.
     */
    static long effects() throws IOException {
        long count = 0;
        for (TaskType type : TaskType.values()) {
            Path folder = OUTBOX.resolve(type.routingKey());
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    count += files.filter(f -> f.getFileName().toString().endsWith(".txt")).count();
                }
            }
        }
        return count;
    }

    static boolean effectExists(String type, String taskId) {
        return Files.isRegularFile(OUTBOX.resolve(type).resolve(taskId + ".txt"));
    }

    private static void deleteOutbox() throws IOException {
        if (Files.isDirectory(OUTBOX)) {
            try (Stream<Path> files = Files.walk(OUTBOX)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
