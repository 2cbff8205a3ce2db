package shop.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.jms.admin.RMQDestination;
import course.testkit.ExperimentProperties;
import course.testkit.Machine;
import course.testkit.RabbitVhost;
import course.testkit.ResultTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a publisher session's age costs: the producer's ConfirmedPublisher sends persistent messages to a quorum queue
 * as fast as the broker confirms them (at most 100 waiting for their confirm), first on one session for the whole run,
 * then renewing its session every {@value ConfirmedPublisher#MESSAGES_PER_SESSION} messages, as the producer does. The
 * RabbitMQ JMS client matches confirms to messages in a map whose lower bound stops moving after the first "multiple"
 * confirm; each later one walks the map from there, so one session's confirms cost more the more it has sent.
 */
@ExtendWith(RabbitVhost.class)
class ConfirmSessionAgeExperiment {

    private static final int IN_FLIGHT = 100;

    @Test
    void aSessionsConfirmsCostMoreTheMoreItHasSentAndARenewedSessionKeepsItsSpeed() throws Exception {
        int messages = ExperimentProperties.integer("experiment.session-age.messages", 40_000);
        int block = ExperimentProperties.integer("experiment.session-age.block", 10_000);
        String queue = "session-age-" + ProcessHandle.current().pid();
        try (TestBroker broker = TestBroker.connect(); Channel channel = broker.connection().createChannel()) {
            // Only the publishing is measured: the queue keeps its last 1,000 messages and drops the rest.
            channel.queueDeclare(queue, true, false, false,
                    Map.of("x-queue-type", "quorum", "x-max-length", 1_000, "x-overflow", "drop-head"));
            try {
                publish(queue, block, block, Integer.MAX_VALUE); // untimed: the JIT warms up before either is measured
                List<Double> oneSession = publish(queue, messages, block, Integer.MAX_VALUE);
                List<Double> renewed = publish(queue, messages, block, ConfirmedPublisher.MESSAGES_PER_SESSION);
                ResultTable table = ResultTable.of(String.format(Locale.ROOT, "ConfirmSessionAgeExperiment: %,d persistent "
                                + "messages to a quorum queue, at most %d waiting for their confirm, rate per block of %,d",
                        messages, IN_FLIGHT, block),
                        "messages sent", "one session, msg/s", "a new session every " + String.format(Locale.ROOT, "%,d",
                                ConfirmedPublisher.MESSAGES_PER_SESSION) + ", msg/s");
                for (int i = 0; i < oneSession.size(); i++) {
                    table.row(String.format(Locale.ROOT, "%,dk", (i + 1) * block / 1_000), rate(oneSession.get(i)), rate(renewed.get(i)));
                }
                table.note("After " + String.format(Locale.ROOT, "%,d", block) + " untimed messages on a session of their own. "
                                + "The producer's ConfirmedPublisher, each message confirmed before its future completes; "
                                + "RabbitMQ JMS client " + com.rabbitmq.jms.admin.RMQConnectionFactory.class.getPackage()
                                .getImplementationVersion() + ".")
                        .note("Machine: " + Machine.describe()).print();
            } finally {
                channel.queueDelete(queue);
            }
        }
    }

    /** Sends {@code messages} through a ConfirmedPublisher and returns the rate of each block. */
    private static List<Double> publish(String queue, int messages, int block, int messagesPerSession) throws Exception {
        ConfirmedPublisher publisher = new ConfirmedPublisher("message", "the test broker", 30_000,
                RabbitVhost.jmsFactory()::createConnection, messagesPerSession);
        // Through the default exchange: a queue destination would make the client declare the queue without its arguments.
        RMQDestination to = new RMQDestination(queue, "", queue, null);
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicInteger failed = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
        List<Double> rates = new ArrayList<>();
        try {
            long start = System.nanoTime();
            for (int i = 1; i <= messages; i++) {
                assertThat(inFlight.tryAcquire(30, TimeUnit.SECONDS)).as("a confirm within 30 s").isTrue();
                CompletableFuture<Void> confirmed = publisher.publish("message", to, s -> s.createTextMessage("x"), () -> { });
                confirmed.whenComplete((ok, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                    inFlight.release();
                });
                if (i % block == 0) {
                    long now = System.nanoTime();
                    rates.add(block * 1e9 / (now - start));
                    start = now;
                }
            }
            assertThat(inFlight.tryAcquire(IN_FLIGHT, 30, TimeUnit.SECONDS)).as("every confirm came").isTrue();
            assertThat(failed).as("messages the broker refused, or that failed; the first: %s", firstFailure.get()).hasValue(0);
            int sessions = (messages - 1) / Math.min(messagesPerSession, messages) + 1;
            assertThat(publisher.sessionsOpened()).as("sessions opened").isEqualTo(sessions);
        } finally {
            publisher.close();
        }
        return rates;
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }
}
