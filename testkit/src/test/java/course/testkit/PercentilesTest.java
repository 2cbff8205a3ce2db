package course.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void aPercentileIsTheSmallestSampleThatThatShareOfSamplesDoesNotExceed() {
        Percentiles p = Percentiles.of(oneToOneHundredMillis());

        assertThat(p.nanosAt(50)).isEqualTo(50_000_000L);
        assertThat(p.nanosAt(99)).isEqualTo(99_000_000L);
        assertThat(p.nanosAt(99.5)).isEqualTo(100_000_000L);
        assertThat(p.nanosAt(1)).isEqualTo(1_000_000L);
        assertThat(p.maxNanos()).isEqualTo(100_000_000L);
        assertThat(p.count()).isEqualTo(100);
    }

    @Test
    void everyPercentileIsASampleThatWasObservedNeverAnInterpolation() {
        Percentiles p = Percentiles.of(new long[] {10, 1000});

        assertThat(p.nanosAt(50)).isEqualTo(10);
        assertThat(p.nanosAt(50.1)).isEqualTo(1000);
    }

    @Test
    void theCallersArrayIsLeftAsItWas() {
        long[] samples = {3, 1, 2};
        Percentiles.of(samples);

        assertThat(samples).containsExactly(3, 1, 2);
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
        Percentiles none = Percentiles.of(new long[0]);

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
