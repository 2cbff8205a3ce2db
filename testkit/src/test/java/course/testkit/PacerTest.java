package course.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class PacerTest {

    @Test
    void eachSendIsScheduledOneIntervalAfterThePreviousOneWheneverTheLoopGetsThere() {
        Pacer pacer = Pacer.fixedRate(1000);
        long first = pacer.awaitNext();
        long second = pacer.awaitNext();

        assertThat(second - first).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(second).isLessThanOrEqualTo(System.nanoTime());
    }

    @Test
    void aSenderThatWasHeldUpIsTimedFromWhenItShouldHaveSentNotFromWhenItDid() {
        Pacer pacer = Pacer.fixedRate(1000);
        long first = pacer.awaitNext();
        // The sender is held up for 50 ms (a blocking send, a GC pause): 50 sends fall due meanwhile.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        long late = System.nanoTime();
        long next = pacer.awaitNext();

        assertThat(next).as("scheduled before the sender got there").isLessThan(late);
        assertThat(next - first).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
    }
}
