package shop.routing.orders;

import java.util.List;
import shop.routing.OrderEvent;
import shop.routing.Rule;

/**
 * Another way to route the order events, added from outside the lesson as a CDI bean and chosen by the config key
 * {@code routing.scheme}: the key each event is published under, and the services' rules that bind to such keys.
 * Without one, {@link ActiveScheme} runs the lesson's: keys {@code order.<region>.<event>} and {@link RoutingRules}.
 */
public interface RoutingScheme {

    /** The value of {@code routing.scheme} that chooses this scheme. */
    String name();

    /** The routing key {@code event} is published under. */
    String keyOf(OrderEvent event);

    /** Every order service's rule, in the place of {@link RoutingRules#ORDERS}. */
    List<Rule> rules();
}
