package shop.routing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sliding-window limits counted per key (a name, a client address): each key gets its own {@link FloodGuard},
 * and keys that have been quiet a whole window are forgotten by {@link #sweep()}, so the map stays small.
 */
final class SlidingWindow {

    private final int limit;
    private final Duration window;
    private final Map<String, FloodGuard> byKey = new ConcurrentHashMap<>();

    SlidingWindow(int limit, Duration window) {
        this.limit = limit;
        this.window = window;
    }

    /** True if one more event for this key fits in the window; it is then counted. */
    boolean tryAcquire(String key) {
        return byKey.computeIfAbsent(key, k -> new FloodGuard(limit, window)).tryAcquire();
    }

    /** Takes back this key's last counted event; see {@link FloodGuard#release()}. */
    void release(String key) {
        FloodGuard guard = byKey.get(key);
        if (guard != null) {
            guard.release();
        }
    }

    /** How long until one more event for this key fits: zero if it fits now. */
    Duration untilFree(String key) {
        FloodGuard guard = byKey.get(key);
        return Duration.ofNanos(guard == null ? 0 : guard.nanosUntilFree());
    }

    void sweep() {
        byKey.values().removeIf(FloodGuard::isIdle);
    }

    int limit() {
        return limit;
    }

    Duration window() {
        return window;
    }
}
