package shop.tasks;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import course.testkit.PayaraProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Exercise 1, against the real broker: with {@code tasks.reports-queue=true} reports go to a queue of their own,
 * {@code tasks.reports}, one worker per queue, and an e-mail submitted behind 50 slow reports is done at once. The
 * producer is the module's, unchanged and not even restarted: only the binding moved.
 */
class ReportsQueueIT extends DeployedProducer {

    /** The exercise's queue, by name: the test compiles without the reference solution. */
    private static final String REPORTS = "tasks.reports";

    private static final List<PayaraProcess> WORKERS = new ArrayList<>();

    @AfterAll
    static void stopWorkers() {
        WORKERS.forEach(PayaraProcess::close);
    }

    @Test
    void anEmailSubmittedBehindFiftySlowReportsIsDoneAtOnceWhenReportsHaveAQueueOfTheirOwn() throws Exception {
        // One consumer each (the default is 4), so the reports go one a second and the counts below stay countable.
        PayaraProcess reportsWorker = startWorker("reports-w1",
                Map.of("tasks.reports-queue", "true", "tasks.worker.queue", REPORTS, "tasks.worker.concurrency", "1"));
        PayaraProcess emailWorker = startWorker("emails-w1", Map.of("tasks.reports-queue", "true", "tasks.worker.concurrency", "1"));
        WORKERS.add(reportsWorker);
        WORKERS.add(emailWorker);
        // Each worker declares the topology before it says it is waiting.
        emailWorker.awaitLog(Pattern.compile(" \\[\\*] emails-w1 waiting for tasks "));
        ExerciseCheck.assertDeclared(REPORTS, "Exercise 1 is not solved yet: a worker started with "
                + "tasks.reports-queue=true declared no queue tasks.reports; "
                + "see 02-rabbitmq-worker-queue/README.md, Exercises, 1. Reports get a queue of their own");
        reportsWorker.awaitLog(Pattern.compile(" \\[\\*] reports-w1 waiting for tasks .*\\(queue tasks\\.reports,"));
        emailWorker.awaitLog(Pattern.compile(" \\[\\*] emails-w1 waiting for tasks .*\\(queue tasks,"));

        try (TestBroker broker = TestBroker.connect(); DoneTap done = DoneTap.open(broker)) {
            List<String> reports = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                reports.add(api().accepted("{\"type\":\"report\",\"orderId\":\"RQ-" + i + "\",\"simulate\":{\"workMs\":1000}}"));
            }
            String email = api().email("RQ-email");

            await().atMost(10, SECONDS).until(() -> done.isDone(email));
            long emailDone = done.doneNanos(email);
            long reportsDoneFirst = reports.stream().filter(id -> done.isDone(id) && done.doneNanos(id) < emailDone).count();
            long reportsWaiting = broker.ready(REPORTS);
            System.out.println(" [i] the e-mail was done after " + reportsDoneFirst + " of 50 reports, with "
                    + reportsWaiting + " still waiting in " + REPORTS);
            assertThat(reportsDoneFirst).as("reports done before the e-mail (one worker, 1 s each)").isLessThan(10);
            assertThat(reportsWaiting).as("reports still waiting in their own queue").isGreaterThanOrEqualTo(35);
            assertThat(broker.ready(TaskTopology.QUEUE)).as("nothing waits in tasks").isZero();
            done.assertHealthy();
        }
        assertThat(emailWorker.count(Pattern.compile(" \\[x] Received 'report #"))).as("the e-mail worker got no report").isZero();
        assertThat(reportsWorker.count(Pattern.compile(" \\[x] Received 'email #"))).as("the reports worker got no e-mail").isZero();
        assertThat(emailWorker.count(Pattern.compile(" \\[x] Done 'email #"))).isEqualTo(1);
    }
}
