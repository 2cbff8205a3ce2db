package course.testkit;

import java.util.Arrays;
import java.util.Locale;

/**
 * An immutable, sorted snapshot of latency samples (nanoseconds) with exact nearest-rank percentiles,
 * formatted in milliseconds for experiment tables.
 */
public final class Percentiles {

    private final long[] sorted;

    private Percentiles(long[] sorted) {
        this.sorted = sorted;
    }

    /** Sorts a copy: the caller's array is left as it was. */
    public static Percentiles of(long[] nanos) {
        long[] copy = Arrays.copyOf(nanos, nanos.length);
        Arrays.sort(copy);
        return new Percentiles(copy);
    }

    public int count() {
        return sorted.length;
    }

    /**
     * The nearest-rank percentile: the smallest sample that at least {@code percent}% of samples are
     * less than or equal to. Exact, not interpolated, so p100 is the maximum and every value was observed.
     */
    public long nanosAt(double percent) {
        if (sorted.length == 0) {
            throw new IllegalStateException("no samples");
        }
        if (percent <= 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be in (0, 100]: " + percent);
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    public long maxNanos() {
        return nanosAt(100);
    }

    public double millisAt(double percent) {
        return nanosAt(percent) / 1e6;
    }

    /** For a table cell, for example {@code "312 ms"} or {@code "0.84 ms"}; {@code "n/a"} when there are no samples. */
    public String formatMillis(double percent) {
        return sorted.length == 0 ? "n/a" : millis(nanosAt(percent));
    }

    /** Nanoseconds as milliseconds for a table cell. */
    public static String millis(long nanos) {
        double ms = nanos / 1e6;
        // two significant decimals below 10 ms, whole milliseconds above: the noise is larger than that
        return ms < 10 ? String.format(Locale.ROOT, "%.2f ms", ms) : String.format(Locale.ROOT, "%.0f ms", ms);
    }

    /** One line: {@code p50 1.2 ms, p95 …, p99 …, max … (n=600000)}. */
    public String summary() {
        if (sorted.length == 0) {
            return "no samples";
        }
        return "p50 " + formatMillis(50) + ", p95 " + formatMillis(95) + ", p99 " + formatMillis(99)
                + ", max " + formatMillis(100) + " (n=" + sorted.length + ")";
    }
}
