package shop.routing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/** A sliding-window limit of messages for one name or one client address: past it, messages are dropped, not queued. */
public final class FloodGuard {

    private final int limit;
    private final long windowNanos;
    private final Deque<Long> accepted = new ArrayDeque<>();

    public FloodGuard(int limit, Duration window) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
    }

    /** True if one more message fits in the window; it is then counted. */
    public synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        while (!accepted.isEmpty() && now - accepted.peekFirst() >= windowNanos) {
            accepted.pollFirst();
        }
        if (accepted.size() >= limit) {
            return false;
        }
        accepted.addLast(now);
        return true;
    }

    /** Takes back the last event counted, for an event that turned out not to count (a password that was right). */
    synchronized void release() {
        accepted.pollLast();
    }

    /** How long until one more event fits: zero if it fits now. */
    synchronized long nanosUntilFree() {
        if (accepted.size() < limit) {
            return 0;
        }
        return Math.max(0, accepted.peekFirst() + windowNanos - System.nanoTime());
    }

    /** True when nothing was counted in the last window: forgetting this guard then changes nothing. */
    synchronized boolean isIdle() {
        return accepted.isEmpty() || System.nanoTime() - accepted.peekLast() >= windowNanos;
    }
}
