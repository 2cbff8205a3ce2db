package shop.tasks;

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

    @AfterAll
    static void removeTopology() throws Exception {
        // The next class's producer declares it again, empty.
        try (TestBroker broker = TestBroker.connect()) {
            broker.deleteTopology();
        }
        deleteOutbox();
    }

    /** A worker process, as a learner starts one with -Dtasks.role=worker; the caller waits for it. */
    static PayaraProcess startWorker(String id, Map<String, String> settings) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "tasks.role", "worker",
                "tasks.worker.id", id,
                "rabbitmq.virtual-host", RabbitVhost.name(),
                "tasks.outbox-dir", OUTBOX.toString()));
        properties.putAll(settings);
        return PayaraProcess.start(id, "tasks", properties);
    }

    /** The effects applied so far: one file per task, whichever worker applied it. */
    static long effects() throws IOException {
        if (!Files.isDirectory(OUTBOX)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(OUTBOX)) {
            return files.filter(f -> f.toString().endsWith(".txt") && !f.toString().contains(".drafts")).count();
        }
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
