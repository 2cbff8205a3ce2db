package shop.tasks;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import com.rabbitmq.jms.admin.RMQDestination;
import course.testkit.RabbitVhost;
import course.testkit.TcpProxy;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A broker that stops reading the publisher's connection (its flow control, or a quorum queue waiting for a node that
 * stopped answering) holds the send in progress in its socket write. {@link ConfirmedPublisher} sends on a thread of
 * its own, so no caller is held with it, and once a send is held it queues nothing more. Plain JMS against the real
 * broker, through a proxy that stops passing the client's bytes on.
 */
@ExtendWith(RabbitVhost.class)
class HeldSendIT {

    private static final long CONFIRM_TIMEOUT_MS = 2_000;
    /** Large messages fill the socket buffers in a few sends, so the proxy's hold blocks a send within seconds. */
    private static final String LARGE = "x".repeat(1 << 20);

    private final String queue = "held-send-" + ProcessHandle.current().pid();
    private TcpProxy proxy;
    private ConfirmedPublisher publisher;

    @BeforeEach
    void connectThroughAProxy() {
        proxy = TcpProxy.to(RabbitVhost.host(), RabbitVhost.port());
        RMQConnectionFactory factory = RabbitVhost.jmsFactory();
        factory.setPort(proxy.port());
        publisher = new ConfirmedPublisher("task", "the proxy", CONFIRM_TIMEOUT_MS, factory::createConnection);
    }

    @AfterEach
    void cleanUp() throws Exception {
        proxy.holdClientBytes(false);
        publisher.close();
        proxy.close();
        try (TestBroker broker = TestBroker.connect(); Channel channel = broker.connection().createChannel()) {
            channel.queueDelete(queue);
        }
    }

    @Test
    void noCallerIsHeldWithASendAndEveryMessageEndsConfirmedOrNotSentOnceTheBrokerReadsAgain() throws Exception {
        RMQDestination to = new RMQDestination(queue, true, false);
        publisher.publish("first", to, session -> session.createTextMessage("first"), () -> { }).get(10, SECONDS);

        proxy.holdClientBytes(true);
        // Large messages, one per poll, until a send is held: the broker side reads nothing now, the buffers fill.
        List<CompletableFuture<Void>> large = new CopyOnWriteArrayList<>(); // filled on the poll thread
        AtomicLong slowestPublishNanos = new AtomicLong();
        await("a send held longer than a second").atMost(30, SECONDS).pollInterval(10, MILLISECONDS).until(() -> {
            long start = System.nanoTime();
            large.add(publisher.publish("large #" + large.size(), to, session -> session.createTextMessage(LARGE), () -> { }));
            slowestPublishNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
            return publisher.heldForMs() > 1_000;
        });
        assertThat(slowestPublishNanos.get() / 1_000_000).as("no publish call waited for the held send").isLessThan(500);

        long start = System.nanoTime();
        CompletableFuture<Void> after = publisher.publish("after", to, session -> session.createTextMessage("after"), () -> { });
        assertThat((System.nanoTime() - start) / 1_000_000).as("answered at once").isLessThan(500);
        assertThat(after.handle((ok, e) -> e == null ? "sent" : e.getMessage()).get(1, SECONDS))
                .contains("is not taking messages: a send has waited").contains("The task was not sent.");
        // A caller waiting for a message stuck behind the held send answers at its confirm timeout.
        long waiting = System.nanoTime();
        CompletableFuture<Void> last = large.getLast();
        assertThatThrownBy(() -> publisher.await("last", last, publisher.deadline()))
                .isInstanceOf(ConfirmedPublisher.BrokerUnavailable.class);
        assertThat((System.nanoTime() - waiting) / 1_000_000).as("within the confirm timeout, and a little")
                .isLessThan(CONFIRM_TIMEOUT_MS + 1_000);

        proxy.holdClientBytes(false);
        // Every message ends: confirmed, or failed as not sent (its caller had answered 503). None waits for ever.
        CompletableFuture.allOf(large.stream().map(f -> f.handle((ok, e) -> e)).toArray(CompletableFuture[]::new))
                .get(30, SECONDS);
        long confirmed = large.stream().filter(f -> !f.isCompletedExceptionally()).count();
        assertThat(large.stream().filter(CompletableFuture::isCompletedExceptionally)
                .map(f -> f.handle((ok, e) -> e.getMessage()).join()))
                .as("the ones that failed were not sent").allMatch(m -> m.contains("was not sent"));
        await("each ended message leaves the set").atMost(10, SECONDS).until(() -> publisher.unconfirmed() == 0);
        try (TestBroker broker = TestBroker.connect()) {
            assertThat(broker.ready(queue)).as("the first, and every confirmed large one; no other")
                    .isEqualTo(1 + confirmed);
        }
    }
}
