package course.testkit;

import java.util.Arrays;

/**
 * Collects latency samples from many threads (WebSocket callbacks, JMS listeners) for an experiment,
 * and hands out {@link Percentiles}. It keeps every sample, so the percentiles are exact: at 8 bytes a
 * sample, a million deliveries cost 8 MB of test heap.
 */
public final class LatencyRecorder {

    private long[] samples = new long[1024];
    private int size;

    /** Records one latency in nanoseconds; a negative value means a clock was misused and fails loudly. */
    public synchronized void record(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("negative latency " + nanos + " ns: was the start time taken after the end?");
        }
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    /** Records the time from {@code startNanos} (a {@link System#nanoTime()} of this JVM) until now. */
    public void recordSince(long startNanos) {
        record(System.nanoTime() - startNanos);
    }

    public synchronized int count() {
        return size;
    }

    public synchronized Percentiles percentiles() {
        return Percentiles.of(Arrays.copyOf(samples, size));
    }
}
