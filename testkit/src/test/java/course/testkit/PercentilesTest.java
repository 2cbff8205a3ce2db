package course.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    /** 1 ms … 100 ms, given out of order. */
    private static long[] oneToOneHundredMillis() {
        long[] nanos = new long[100];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (100 - i) * 1_000_000L;
        }
        return nanos;
    }

    @Test
    void aPercentileIsTheSmallestSampleThatThatShareOfSamplesDoesNotExceedToWithinATenthOfAPercent() {
        Percentiles p = Percentiles.of(oneToOneHundredMillis());

        assertThat(p.nanosAt(50)).isCloseTo(50_000_000L, withinPercentage(0.1));
        assertThat(p.nanosAt(99)).isCloseTo(99_000_000L, withinPercentage(0.1));
        assertThat(p.nanosAt(99.5)).isCloseTo(100_000_000L, withinPercentage(0.1));
        assertThat(p.nanosAt(1)).isCloseTo(1_000_000L, withinPercentage(0.1));
        assertThat(p.maxNanos()).isCloseTo(100_000_000L, withinPercentage(0.1));
        assertThat(p.count()).isEqualTo(100);
    }

    @Test
    void aPercentileIsARecordedValueNeverAnInterpolation() {
        Percentiles p = Percentiles.of(10_000, 1_000_000);

        assertThat(p.nanosAt(50)).isCloseTo(10_000L, withinPercentage(0.1));
        assertThat(p.nanosAt(50.1)).isCloseTo(1_000_000L, withinPercentage(0.1));
    }

    @Test
    void aSnapshotDoesNotChangeWhenTheRecorderGoesOn() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(5_000_000);
        Percentiles before = recorder.percentiles();
        recorder.record(900_000_000);

        assertThat(before.count()).isEqualTo(1);
        assertThat(before.formatMillis(100)).isEqualTo("5.00 ms");
        assertThat(recorder.percentiles().formatMillis(100)).isEqualTo("900 ms");
    }

    @Test
    void aNegativeLatencyIsAMisusedClockAndRefused() {
        assertThatThrownBy(() -> new LatencyRecorder().record(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void millisecondsKeepTwoDecimalsBelowTenAndNoneAbove() {
        assertThat(Percentiles.millis(840_000)).isEqualTo("0.84 ms");
        assertThat(Percentiles.millis(9_994_000)).isEqualTo("9.99 ms");
        assertThat(Percentiles.millis(312_400_000)).isEqualTo("312 ms");
    }

    @Test
    void theSummaryNamesTheFourPercentilesAndTheCount() {
        assertThat(Percentiles.of(oneToOneHundredMillis()).summary())
                .isEqualTo("p50 50 ms, p95 95 ms, p99 99 ms, max 100 ms (n=100)");
    }

    @Test
    void noSamplesIsSaidSoInATableAndRefusedAsANumber() {
        Percentiles none = Percentiles.of();

        assertThat(none.formatMillis(50)).isEqualTo("n/a");
        assertThat(none.summary()).isEqualTo("no samples");
        assertThatThrownBy(() -> none.nanosAt(50)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPercentOutsideZeroToOneHundredIsRefused() {
        Percentiles p = Percentiles.of(oneToOneHundredMillis());

        assertThatThrownBy(() -> p.nanosAt(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.nanosAt(100.1)).isInstanceOf(IllegalArgumentException.class);
    }
}
