package shop.routing;

import java.util.List;

/** Which service gets which order event: the whole routing table of the shop, in one place. */
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

    // tag::tick-rules[]
    public static final List<Rule> TICKS = List.of(
            new Rule("aapl-watch", "tick.*.AAPL"),                   // one symbol, every venue
            new Rule("nasdaq-board", "tick.xnas.*"),                 // one venue, every symbol
            new Rule("tick-recorder", "tick.#"));                    // everything, for the record
    // end::tick-rules[]
}
