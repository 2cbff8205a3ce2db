package shop.orders;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Decides what a {@code place} frame means, by the order id the page made for it: a new order, one placed
 * before (a double click, a resend after a dropped connection, on this instance or the other), or a reuse of
 * the id for another order, which is refused. This instance remembers what it placed; what the other
 * instance placed it knows from the progress stream; the payment service has the final word (see
 * {@link PaymentService}).
 */
@ApplicationScoped
public class Placements {

    /** What makes two placements the same order. */
    public record Order(String customer, String item, String payment) {
    }

    /** What a {@code place} frame with this id means now. */
    public enum Claim { NEW, PLACED_BEFORE, CONFLICT }

    @Inject
    OrderViews views;
    @Inject
    ShopSettings settings;

    /**
     * The orders this instance placed, confirmed or still waiting for the broker. Like {@link OrderViews},
     * it holds every order it saw while the process runs; a long-running shop keeps it in a database with
     * a time to live as long as a page may resend (here: the progress stream's day).
     */
    private final Map<String, Placed> placed = new ConcurrentHashMap<>();

    private record Placed(Order order, CompletableFuture<Void> confirmed) {
    }

    /** How the order's command reaches the broker: {@link OrderCommands#send}, which waits for the confirm. */
    @FunctionalInterface
    public interface Publisher {
        void publish(Command command) throws ConfirmedPublisher.BrokerUnavailable;
    }

    // tag::claim[]
    /**
     * Publishes the order's {@code charge} command, unless this order was placed before: then it returns
     * as the first placement did, and nothing is published again. Answers {@link Claim#CONFLICT}, and publishes
     * nothing, when the id belongs to another order.
     */
    public Claim placeOnce(Command charge, Publisher publisher) throws ConfirmedPublisher.BrokerUnavailable {
        String orderId = charge.orderId();
        Claim claim = claim(orderId, new Order(charge.customer(), charge.item(), charge.payment()));
        switch (claim) {
            case CONFLICT -> { } // the caller refuses the frame
            case PLACED_BEFORE -> { } // a resend: the broker has it already
            case NEW -> {
                try {
                    publisher.publish(charge);
                    placed.get(orderId).confirmed().complete(null);
                } catch (ConfirmedPublisher.BrokerUnavailable e) {
                    placed.remove(orderId).confirmed().completeExceptionally(e); // a resend publishes it again
                    throw e;
                }
            }
        }
        return claim;
    }

    Claim claim(String orderId, Order order) throws ConfirmedPublisher.BrokerUnavailable {
        Placed mine = new Placed(order, new CompletableFuture<>());
        Placed first = placed.putIfAbsent(orderId, mine);
        if (first != null) {
            return first.order().equals(order) ? awaitConfirmed(first) : Claim.CONFLICT;
        }
        // Not placed through this instance: the other instance may have placed it; the stream says so.
        Optional<OrderViews.View> seen = views.any(orderId);
        if (seen.isPresent()) {
            placed.remove(orderId, mine);
            OrderViews.View view = seen.get();
            return view.customer().equals(order.customer()) && view.item().equals(order.item())
                    ? Claim.PLACED_BEFORE : Claim.CONFLICT;
        }
        return Claim.NEW;
    }
    // end::claim[]

    /** A resend while the first is still waiting for the broker's confirm gets the first one's answer. */
    private Claim awaitConfirmed(Placed first) throws ConfirmedPublisher.BrokerUnavailable {
        try {
            first.confirmed().get(settings.confirmTimeoutMs(), TimeUnit.MILLISECONDS);
            return Claim.PLACED_BEFORE;
        } catch (ExecutionException | TimeoutException e) {
            throw new ConfirmedPublisher.BrokerUnavailable("The first placement of this order was not confirmed.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfirmedPublisher.BrokerUnavailable("Interrupted while waiting for the broker.", e);
        }
    }
}
