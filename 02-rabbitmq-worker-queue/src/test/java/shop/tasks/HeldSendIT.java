package shop.tasks;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import com.rabbitmq.jms.admin.RMQDestination;
import course.testkit.RabbitVhost;
import course.testkit.TcpProxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A broker that stops reading the publisher's connection (its flow control, or a quorum queue waiting for a node that
 * stopped answering) holds the send in progress in its socket write. {@link ConfirmedPublisher} lets nobody queue
 * behind it. Plain JMS against the real broker, through a proxy that stops passing the client's bytes on.
 */
@ExtendWith(RabbitVhost.class)
class HeldSendIT {

    private static final long CONFIRM_TIMEOUT_MS = 2_000;
    /** Large messages fill the socket buffers in a few sends, so the proxy's hold blocks a send within seconds. */
    private static final String LARGE = "x".repeat(1 << 20);

    private final String queue = "held-send-" + ProcessHandle.current().pid();
    private TcpProxy proxy;
    private ConfirmedPublisher publisher;
    private final ExecutorService filler = Executors.newSingleThreadExecutor();

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
        filler.shutdownNow();
        publisher.close();
        proxy.close();
        try (TestBroker broker = TestBroker.connect(); Channel channel = broker.connection().createChannel()) {
            channel.queueDelete(queue);
        }
    }

    @Test
    void aSendTheBrokerHoldsMakesTheOthersAnswerAtOnceAndEverySentMessageIsConfirmedOnceItReadsAgain() throws Exception {
        RMQDestination to = new RMQDestination(queue, true, false);
        publisher.publish("first", to, session -> session.createTextMessage("first"), () -> { }).get(10, SECONDS);

        proxy.holdClientBytes(true);
        // One thread sends large messages until a send blocks: the broker side reads nothing now.
        AtomicBoolean sending = new AtomicBoolean(true);
        List<CompletableFuture<Void>> large = new CopyOnWriteArrayList<>();
        Future<?> filling = filler.submit(() -> {
            while (sending.get()) {
                large.add(publisher.publish("large #" + large.size(), to, session -> session.createTextMessage(LARGE), () -> { }));
            }
        });
        await("a send held longer than a second").atMost(30, SECONDS)
                .until(() -> publisher.heldForMs() > 1_000 || filling.isDone());
        assertThat(filling).as("the sending thread blocks; it does not fail").isNotDone();

        long start = System.nanoTime();
        CompletableFuture<Void> behind = publisher.publish("behind", to, session -> session.createTextMessage("behind"), () -> { });
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(ms).as("answered at once, not after the confirm timeout").isLessThan(500);
        assertThat(behind.handle((ok, e) -> e == null ? "sent" : e.getMessage()).get())
                .contains("is not taking messages: a send has waited").contains("The task was not sent.");

        sending.set(false);
        proxy.holdClientBytes(false);
        // The held send goes out, and every large message is confirmed: none was lost, none waits for ever.
        filling.get(30, SECONDS);
        CompletableFuture.allOf(large.toArray(CompletableFuture[]::new)).get(30, SECONDS);
        await("each confirmed message leaves the set").atMost(10, SECONDS).until(() -> publisher.unconfirmed() == 0);
        try (TestBroker broker = TestBroker.connect()) {
            assertThat(broker.ready(queue)).as("the first, and every large one; not the one answered at once")
                    .isEqualTo(1 + large.size());
        }
    }
}
