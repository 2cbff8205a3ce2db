package shop.routing.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import shop.routing.OrderEvent;
import shop.routing.OrderKey;
import shop.routing.TestClients;

/**
 * The publisher's 503 paths without a Payara boot: a broker it cannot reach, and a confirm that does not come in
 * time; in both the caller hears BrokerUnavailable, and nothing is left waiting.
 */
class OrderPublisherTest {

    private static final OrderEvent EVENT = new OrderEvent("A-1", new OrderKey("eu", "paid"), new BigDecimal("10"));

    @Test
    void aBrokerThatCannotBeReachedIsBrokerUnavailableAndLeavesNoConfirmWaiting() throws IOException {
        OrderPublisher publisher = publisherTo(closedPort(), 5000);

        CompletableFuture<Void> first = publisher.publish(EVENT, "e-1");
        CompletableFuture<Void> second = publisher.publish(EVENT, "e-2"); // within the reconnect pause: at once

        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ConfirmedPublisher.BrokerUnavailable.class).hasMessageContaining("cannot be reached");
        assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(ConfirmedPublisher.BrokerUnavailable.class)
                .hasMessageContaining("retrying shortly");
        assertThatThrownBy(() -> publisher.await(EVENT, first, publisher.deadline()))
                .isInstanceOf(ConfirmedPublisher.BrokerUnavailable.class);
        assertThat(publisher.unconfirmed()).isZero();
    }

    @Test
    void aConfirmThatDoesNotComeWithinTheTimeoutIsBrokerUnavailable() throws IOException {
        OrderPublisher publisher = publisherTo(closedPort(), 50);
        CompletableFuture<Void> neverConfirmed = new CompletableFuture<>();
        long started = System.nanoTime();

        assertThatThrownBy(() -> publisher.await(EVENT, neverConfirmed, publisher.deadline()))
                .isInstanceOf(ConfirmedPublisher.BrokerUnavailable.class).hasMessage("The broker did not confirm the event within 50 ms.");
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }

    private static OrderPublisher publisherTo(int port, long confirmTimeoutMs) {
        OrderPublisher publisher = new OrderPublisher();
        publisher.settings = TestClients.brokerSettings(port);
        publisher.routing = new ActiveScheme();
        publisher.confirmTimeoutMs = confirmTimeoutMs;
        publisher.init();
        return publisher;
    }

    /** A port nothing listens on: bound, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
