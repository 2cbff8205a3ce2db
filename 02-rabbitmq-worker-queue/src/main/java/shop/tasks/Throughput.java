package shop.tasks;

/** Tasks done per second, averaged over the last five whole seconds. */
final class Throughput {

    private static final int SECONDS = 5;
    private final long[] counts = new long[SECONDS + 1];
    private final long[] secondOf = new long[SECONDS + 1];

    void record(long nowMs) {
        long second = nowMs / 1000;
        int slot = (int) (second % counts.length);
        if (secondOf[slot] != second) {
            secondOf[slot] = second;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    /** The current second is still filling up, so it is left out. */
    double perSecond(long nowMs) {
        long current = nowMs / 1000;
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            if (secondOf[i] < current && secondOf[i] >= current - SECONDS) {
                sum += counts[i];
            }
        }
        return sum / (double) SECONDS;
    }
}
