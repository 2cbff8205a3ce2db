package shop.routing.orders;

import jakarta.enterprise.context.ApplicationScoped;
import shop.routing.Rule;

/** Exercise 1's reference solution: the APAC team's analytics, a new service by its routing rule alone. */
@ApplicationScoped
public class ApacAnalytics implements ServiceRule {

    @Override
    public Rule rule() {
        return new Rule("apac-analytics", "order.apac.#"); // every event of every APAC order
    }
}
