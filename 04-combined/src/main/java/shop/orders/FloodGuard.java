package shop.orders;

/**
 * At most {@code limit} frames per second from one connection; the rest are refused with an error
 * frame, not executed. One flooding page cannot fill the broker with orders or slow other customers.
 */
final class FloodGuard {

    private final int limit;
    private long windowStart;
    private int used;

    FloodGuard(int limit) {
        this.limit = limit;
    }

    synchronized boolean allow(long nowMillis) {
        if (nowMillis - windowStart >= 1_000) {
            windowStart = nowMillis;
            used = 0;
        }
        return ++used <= limit;
    }
}
