package shop.routing.orders;

import shop.routing.Rule;

/**
 * One more order service, added to the shop from outside the lesson as a CDI bean: {@link Services} subscribes it
 * at startup by its rule alone, next to the routing scheme's rules, and the publisher does not change.
 */
public interface ServiceRule {

    /** The service's name, binding pattern and, if it needs one, selector. */
    Rule rule();
}
