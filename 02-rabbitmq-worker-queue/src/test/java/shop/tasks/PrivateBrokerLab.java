package shop.tasks;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

import course.testkit.PayaraProcess;
import java.net.URI;
import java.util.List;

/**
 * What the labs on a private broker share (BrokerRestartIT's node, NodeFailureIT's cluster): waiting until the
 * producer has connected to it, and stopping the processes before the broker, whatever failed before.
 */
final class PrivateBrokerLab {

    private PrivateBrokerLab() {
    }

    /** The producer's API, once its dashboard says the broker is up: connected, with the topology declared. */
    static TaskApi connected(PayaraProcess producer, String broker) {
        TaskApi api = new TaskApi(URI.create("http://localhost:" + producer.port() + "/"));
        await("the producer sees " + broker + " and its topology").atMost(60, SECONDS)
                .until(() -> TaskApi.json(api.get("/api/dashboard")).getString("broker").equals("up"));
        return api;
    }

    /** Stops the workers and the producer, then the broker: the private nodes must not outlive the test. */
    static void stop(List<PayaraProcess> workers, PayaraProcess producer, AutoCloseable broker) throws Exception {
        try {
            workers.forEach(PayaraProcess::close);
            if (producer != null) {
                producer.close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }
}
