package course.testkit;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * A snapshot of an experiment's latencies (nanoseconds) in an HdrHistogram, read out as percentiles and
 * formatted in milliseconds for experiment tables: the only thing this adds to the library is the format.
 */
public final class Percentiles {

    /**
     * Three significant digits: every value is kept within 0.1%, more than a table's two decimals show, at
     * a few kilobytes per histogram however many samples it holds (PerfTest and wrk2 use the same).
     */
    static final int SIGNIFICANT_DIGITS = 3;

    private final Histogram histogram;

    private Percentiles(Histogram histogram) {
        this.histogram = histogram;
    }

    /** A snapshot: later recording into {@code histogram} does not change it. */
    public static Percentiles of(Histogram histogram) {
        return new Percentiles(histogram.copy());
    }

    /** The given samples, for a test or a one-off table. */
    public static Percentiles of(long... nanos) {
        Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);
        for (long n : nanos) {
            histogram.recordValue(n);
        }
        return new Percentiles(histogram);
    }

    public int count() {
        return Math.toIntExact(histogram.getTotalCount());
    }

    /**
     * The nearest-rank percentile: the smallest recorded value that at least {@code percent}% of samples do
     * not exceed, to within the histogram's 0.1%. p100 is the maximum.
     */
    public long nanosAt(double percent) {
        if (histogram.getTotalCount() == 0) {
            throw new IllegalStateException("no samples");
        }
        if (percent <= 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be in (0, 100]: " + percent);
        }
        return percent == 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(percent);
    }

    public long maxNanos() {
        return nanosAt(100);
    }

    public double millisAt(double percent) {
        return nanosAt(percent) / 1e6;
    }

    /** A copy of the histogram, for a chart or a percentile distribution ({@code outputPercentileDistribution}). */
    public Histogram histogram() {
        return histogram.copy();
    }

    /** For a table cell, for example {@code "312 ms"} or {@code "0.84 ms"}; {@code "n/a"} when there are no samples. */
    public String formatMillis(double percent) {
        return histogram.getTotalCount() == 0 ? "n/a" : millis(nanosAt(percent));
    }

    /** Nanoseconds as milliseconds for a table cell. */
    public static String millis(long nanos) {
        double ms = nanos / 1e6;
        // two significant decimals below 10 ms, whole milliseconds above: the noise is larger than that
        return ms < 10 ? String.format(Locale.ROOT, "%.2f ms", ms) : String.format(Locale.ROOT, "%.0f ms", ms);
    }

    /** One line: {@code p50 1.2 ms, p95 …, p99 …, max … (n=600000)}. */
    public String summary() {
        if (histogram.getTotalCount() == 0) {
            return "no samples";
        }
        return "p50 " + formatMillis(50) + ", p95 " + formatMillis(95) + ", p99 " + formatMillis(99)
                + ", max " + formatMillis(100) + " (n=" + count() + ")";
    }
}
