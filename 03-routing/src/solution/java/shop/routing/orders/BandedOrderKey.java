package shop.routing.orders;

import java.math.BigDecimal;
import shop.routing.OrderEvent;

/**
 * Exercise 2's reference solution, the key: the publisher adds the amount band as a fourth word,
 * {@code order.us.paid.large}, so fraud review can bind {@code order.us.*.large} (see {@link BandedKeyScheme}):
 * plain topic routing, no x-jms-topic exchange, no selector evaluated per message. See the README for the price.
 */
public final class BandedOrderKey {

    private BandedOrderKey() {
    }

    // tag::banded-key[]
    /** Above this, an order is "large": the publisher now has to know the fraud team's threshold. */
    public static final BigDecimal LARGE_ABOVE = new BigDecimal("1000");

    /** Fraud review's binding: every event of a large US order. */
    public static final String FRAUD_PATTERN = "order.us.*.large";

    public static String of(OrderEvent event) {
        return event.key() + "." + (event.amount().compareTo(LARGE_ABOVE) > 0 ? "large" : "small");
    }
    // end::banded-key[]
}
