package shop.orders;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many sign-in attempts one name and one client address may make in a minute, counted before any password
 * is hashed: guessing a password, or burning the server's CPU on PBKDF2, stops at the limit with a 429.
 * Counted per instance: with two instances an attacker gets twice the tries, still a handful a minute.
 */
@ApplicationScoped
public class SignInLimits {

    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Past this many names or addresses, the quiet ones are forgotten: the maps cannot grow without bound. */
    private static final int SWEEP_ABOVE = 10_000;

    @Inject
    ShopSettings settings;

    private final Map<String, Deque<Long>> byName = new ConcurrentHashMap<>();
    private final Map<String, Deque<Long>> byAddress = new ConcurrentHashMap<>();

    // tag::limits[]
    /** Counts one attempt; empty if it may go on, else the seconds until it may (the 429's Retry-After). */
    public OptionalLong attempt(String name, String address) {
        long now = System.nanoTime();
        OptionalLong wait = settings.unlimitedAddresses().contains(address) ? OptionalLong.empty()
                : acquire(byAddress, address, settings.signInsPerAddressPerMinute(), now);
        return wait.isPresent() ? wait : acquire(byName, name, settings.signInsPerNamePerMinute(), now);
    }
    // end::limits[]

    /** A sliding window per key: the timestamps of the attempts of the last minute. */
    private static OptionalLong acquire(Map<String, Deque<Long>> windows, String key, int limit, long now) {
        if (windows.size() > SWEEP_ABOVE) {
            windows.values().removeIf(w -> idle(w, now));
        }
        Deque<Long> window = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (window) {
            while (!window.isEmpty() && now - window.peekFirst() >= WINDOW.toNanos()) {
                window.pollFirst();
            }
            if (window.size() >= limit) {
                long nanos = WINDOW.toNanos() - (now - window.peekFirst());
                return OptionalLong.of(Math.max(1, (nanos + 999_999_999) / 1_000_000_000));
            }
            window.addLast(now);
            return OptionalLong.empty();
        }
    }

    private static boolean idle(Deque<Long> window, long now) {
        synchronized (window) {
            return window.isEmpty() || now - window.peekLast() >= WINDOW.toNanos();
        }
    }
}
