package course.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SendTimesTest {

    @Test
    void theLatencyIsMeasuredFromTheMessagesOwnSendOnTheSameClock() {
        SendTimes times = new SendTimes(4);
        long before = System.nanoTime();
        times.markSent(2);
        long after = System.nanoTime();

        long received = after + 5_000;
        assertThat(times.latency(2, received)).isBetween(5_000L, received - before);
        assertThat(times.capacity()).isEqualTo(4);
    }

    @Test
    void aMessageThatArrivesWithoutHavingBeenSentIsAnError() {
        SendTimes times = new SendTimes(4);
        times.markSent(0);

        assertThatThrownBy(() -> times.latency(1, System.nanoTime())).isInstanceOf(IllegalStateException.class)
                .hasMessage("message 1 arrived, but was never marked as sent");
    }
}
