package shop.tasks;

import com.rabbitmq.client.Channel;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The experiments' ear on {@code tasks.events}: a queue of the test's own, bound to {@code task.done},
 * that notes when each task's first "done" arrived (by this JVM's {@link System#nanoTime()}) and how
 * many "done" events each task id produced, so that lost and duplicated tasks can be counted.
 */
final class DoneTap implements AutoCloseable {

    private final Map<String, Long> firstDoneNanos = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> doneCount = new ConcurrentHashMap<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong lastEventNanos = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Channel channel;

    /** Starts listening before the first task is published; the queue is exclusive and goes with the channel. */
    static DoneTap open(TestBroker broker) throws IOException {
        DoneTap tap = new DoneTap();
        // from any worker: task.done.w1, ...; a failure is rethrown on the test thread by assertHealthy()
        tap.channel = EventTap.listen(broker, "task.done.*", tap::done, tap.failure);
        return tap;
    }

    private void done(JsonObject event, long receivedNanos) {
        String id = event.getString("taskId");
        firstDoneNanos.putIfAbsent(id, receivedNanos);
        doneCount.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
        events.incrementAndGet();
        lastEventNanos.set(receivedNanos);
    }

    /** Task ids seen done at least once. */
    int distinctDone() {
        return firstDoneNanos.size();
    }

    /** "done" events beyond the first per task id: a task that was worked on twice. */
    long duplicates() {
        return events.get() - firstDoneNanos.size();
    }

    boolean isDone(String taskId) {
        return firstDoneNanos.containsKey(taskId);
    }

    /** When the first "done" of this task arrived; fails if it never did. */
    long doneNanos(String taskId) {
        Long nanos = firstDoneNanos.get(taskId);
        if (nanos == null) {
            throw new IllegalStateException("task " + taskId + " was never seen done");
        }
        return nanos;
    }

    long lastEventNanos() {
        return lastEventNanos.get();
    }

    /** Rethrows a failure from the tap's delivery thread, for example an event that was not JSON. */
    void assertHealthy() {
        Throwable e = failure.get();
        if (e != null) {
            throw new AssertionError("the tap on tasks.events failed: " + e, e);
        }
    }

    @Override
    public void close() throws IOException {
        EventTap.close(channel);
    }
}
