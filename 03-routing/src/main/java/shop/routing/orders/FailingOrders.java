package shop.routing.orders;

/**
 * Teaching aid: an order whose id starts with {@code FAIL-} makes every service's work on it fail, every time,
 * so the README and the tests can show where such a message goes (the dead-letter queue) and that the service
 * goes on. A real service fails on its own.
 */
final class FailingOrders {

    static final String PREFIX = "FAIL-";

    private FailingOrders() {
    }

    static ServiceInstance.Work around(ServiceInstance.Work work) {
        return event -> {
            if (event.orderId().startsWith(PREFIX)) {
                throw new IllegalStateException("simulated failure of order " + event.orderId());
            }
            work.handle(event);
        };
    }
}
