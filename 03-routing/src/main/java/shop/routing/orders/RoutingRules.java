package shop.routing.orders;

import java.util.List;
import shop.routing.Rule;

/** Which service gets which order event: the shop's order routing table, in one place. */
public final class RoutingRules {

    private RoutingRules() {
    }

    // tag::rules[]
    public static final List<Rule> ORDERS = List.of(
            new Rule("billing", "order.*.paid").instances(2),        // two instances split billing's stream
            new Rule("shipping", "order.*.paid").named("shipping-paid"),
            new Rule("shipping", "order.*.cancelled").named("shipping-cancelled"),
            new Rule("eu-analytics", "order.eu.#"),
            new Rule("audit", "order.#"),
            new Rule("fraud-review", "order.#").where("amount > 1000 AND region = 'us'"));
    // end::rules[]
}
