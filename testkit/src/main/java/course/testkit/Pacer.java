package course.testkit;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces a send loop at a target rate, so latency is measured under a fixed offered load rather than
 * by an unthrottled sender that queues everything at once. The schedule is computed from the start,
 * so a late send does not push back all later ones.
 */
public final class Pacer {

    private final double meanIntervalNanos;
    private final SplittableRandom random;
    private long nextNanos;

    private Pacer(double perSecond, SplittableRandom random) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        this.meanIntervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        this.random = random;
        this.nextNanos = System.nanoTime();
    }

    /** Evenly spaced sends: the load of a steady feed. */
    public static Pacer fixedRate(double perSecond) {
        return new Pacer(perSecond, null);
    }

    /**
     * Random (Poisson) arrivals at the given mean rate, as independent people typing produce. Use it when
     * a receiver works on its own fixed beat (a poll every second): evenly spaced sends would land at the
     * same phase of that beat every time and measure one point instead of the distribution.
     */
    public static Pacer poisson(double perSecond, long seed) {
        return new Pacer(perSecond, new SplittableRandom(seed));
    }

    /**
     * Parks until the next scheduled send, and returns the {@link System#nanoTime()} it was scheduled for.
     * This is pacing, not waiting for a condition.
     *
     * <p>Measure latency from the returned time, as wrk2 and Gatling do, not from when the loop got round
     * to sending: a sender that was held up (a blocking send, a GC pause, a busy CPU) sends late and then in
     * a burst, and timing from the late send would leave out exactly the wait a user at that rate would
     * have seen ("coordinated omission").
     */
    public long awaitNext() {
        long scheduled = nextNanos;
        long now;
        while ((now = System.nanoTime()) < scheduled) {
            LockSupport.parkNanos(scheduled - now);
        }
        nextNanos += random == null ? (long) meanIntervalNanos
                : (long) (-Math.log(1 - random.nextDouble()) * meanIntervalNanos);
        return scheduled;
    }
}
