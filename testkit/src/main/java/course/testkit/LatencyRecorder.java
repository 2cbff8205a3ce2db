package course.testkit;

import org.HdrHistogram.Histogram;

/**
 * Collects an experiment's latency samples from many threads (WebSocket callbacks, JMS listeners) into an
 * HdrHistogram, the one PerfTest, Gatling and wrk2 record into, and hands out {@link Percentiles}. Its
 * size does not grow with the number of samples.
 */
public final class LatencyRecorder {

    private final Histogram histogram = new Histogram(Percentiles.SIGNIFICANT_DIGITS);

    /** Records one latency in nanoseconds; a negative value means a clock was misused and fails loudly. */
    public synchronized void record(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("negative latency " + nanos + " ns: was the start time taken after the end?");
        }
        histogram.recordValue(nanos);
    }

    /** Records the time from {@code startNanos} (a {@link System#nanoTime()} of this JVM) until now. */
    public void recordSince(long startNanos) {
        record(System.nanoTime() - startNanos);
    }

    public synchronized int count() {
        return Math.toIntExact(histogram.getTotalCount());
    }

    public synchronized Percentiles percentiles() {
        return Percentiles.of(histogram);
    }
}
