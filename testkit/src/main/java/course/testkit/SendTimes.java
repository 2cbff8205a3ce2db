package course.testkit;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each numbered test message was sent, by {@link System#nanoTime()}, so a receiver in the same JVM
 * can compute its one-way latency. Senders and receivers share one clock, which is why experiments run
 * both in the test JVM.
 */
public final class SendTimes {

    private final AtomicLongArray sentAt;

    /** Room for messages numbered {@code 0 … capacity-1}. */
    public SendTimes(int capacity) {
        this.sentAt = new AtomicLongArray(capacity);
    }

    public int capacity() {
        return sentAt.length();
    }

    /** Notes "sent now" for message {@code seq}; call it just before handing the message to the client library. */
    public void markSent(int seq) {
        sentAt.set(seq, System.nanoTime());
    }

    /** Nanoseconds from the send of {@code seq} to {@code receivedNanos}. */
    public long latency(int seq, long receivedNanos) {
        long sent = sentAt.get(seq);
        if (sent == 0) {
            throw new IllegalStateException("message " + seq + " arrived, but was never marked as sent");
        }
        return receivedNanos - sent;
    }
}
