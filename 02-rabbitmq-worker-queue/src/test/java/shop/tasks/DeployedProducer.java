package shop.tasks;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

import course.testkit.ModuleWar;
import course.testkit.PayaraProcess;
import course.testkit.RabbitVhost;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The base of the black-box tests: Arquillian runs the module's real WAR as the producer on a real
 * Payara Micro, and workers are the same WAR in Payara Micro processes of their own, started,
 * stopped and killed by the test. Everything lives in this run's own vhost; each class starts
 * with an empty queue and an empty outbox.
 */
@ExtendWith({RabbitVhost.class, ArquillianExtension.class})
@RunAsClient
abstract class DeployedProducer {

    static final Path OUTBOX = Path.of(System.getProperty("tasks.test-outbox"));

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ModuleWar.asRoot("tasks");
    }

    @ArquillianResource
    URL base;

    TaskApi api() {
        return new TaskApi(base);
    }

    @BeforeAll
    static void emptyOutbox() throws IOException {
        deleteOutbox();
    }

    @BeforeEach
    void producerHasDeclaredTheTopology() {
        // The producer connects to the broker in the background once it is deployed (it must start,
        // and answer 503, while the broker is down), so on a busy machine a class's first test could
        // otherwise look for the queues before the producer has declared them.
        await("the producer is connected to the broker").atMost(30, SECONDS)
                .until(() -> TaskApi.json(api().get("/api/dashboard")).getString("broker").equals("up"));
    }

    @AfterAll
    static void removeTopology() throws Exception {
        // The next class's producer declares it again, empty.
        try (TestBroker broker = TestBroker.connect()) {
            broker.deleteTopology();
        }
        BrokerUsers.deleteAll(); // the producer and the workers create them at start (rabbitmq.provision); deleting the vhost keeps users
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
