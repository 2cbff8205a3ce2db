package shop.routing.orders;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import shop.routing.OrderEvent;
import shop.routing.Rule;

/**
 * Exercise 2's reference solution, the rules: the fraud rule as a plain topic binding on a four-word key
 * ({@link BandedOrderKey}), and every three-word binding rewritten, or it would silently match nothing.
 * Runs with {@code routing.scheme=banded-key}.
 */
@ApplicationScoped
public class BandedKeyScheme implements RoutingScheme {

    @Override
    public String name() {
        return "banded-key";
    }

    @Override
    public String keyOf(OrderEvent event) {
        return BandedOrderKey.of(event);
    }

    @Override
    public List<Rule> rules() {
        return List.of(
                new Rule("billing", "order.*.paid.*").instances(2),     // was order.*.paid: three words, now four
                new Rule("shipping", "order.*.paid.*").named("shipping-paid"),
                new Rule("shipping", "order.*.cancelled.*").named("shipping-cancelled"),
                new Rule("eu-analytics", "order.eu.#"),                  // # matches the fourth word too
                new Rule("audit", "order.#"),
                new Rule("fraud-review", BandedOrderKey.FRAUD_PATTERN));  // no selector: the key says it
    }
}
