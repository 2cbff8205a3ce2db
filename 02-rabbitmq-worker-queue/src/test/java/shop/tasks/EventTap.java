package shop.tasks;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DeliverCallback;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tests' ear on every {@code task.*} event (running, done, failed), in arrival order, with the
 * worker's own timestamp ({@code at}): for asserting what happened to one task, attempt by attempt.
 */
final class EventTap implements AutoCloseable {

    private final List<JsonObject> events = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Channel channel;

    /** Starts listening before the first task is published; the queue is exclusive and goes with the channel. */
    static EventTap open(TestBroker broker) throws IOException {
        EventTap tap = new EventTap();
        // task.running.w1, task.done.w2, ...; a failure is rethrown on the test thread by of()
        tap.channel = listen(broker, "task.*.*", (event, receivedNanos) -> tap.events.add(event), tap.failure);
        return tap;
    }

    /** Takes one event, with when it arrived by this JVM's {@link System#nanoTime()}. */
    interface Listener {
        void onEvent(JsonObject event, long receivedNanos);
    }

    /**
     * A new channel with a queue of the test's own bound to {@code tasks.events} with {@code keys}: each event goes
     * to {@code listener} on the client's thread, and what fails there is kept in {@code failure}, for the test thread.
     */
    static Channel listen(TestBroker broker, String keys, Listener listener, AtomicReference<Throwable> failure)
            throws IOException {
        Channel channel = broker.connection().createChannel();
        String queue = channel.queueDeclare().getQueue(); // server-named, exclusive, auto-delete
        channel.queueBind(queue, TaskTopology.EVENTS_EXCHANGE, keys);
        DeliverCallback onEvent = (tag, delivery) -> {
            long now = System.nanoTime();
            try (var reader = Json.createReader(new StringReader(new String(delivery.getBody(), StandardCharsets.UTF_8)))) {
                listener.onEvent(reader.readObject(), now);
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        };
        // auto-ack: a tap only listens; losing its own copy of an event would show as a lost task
        channel.basicConsume(queue, true, onEvent, tag -> { });
        return channel;
    }

    /** The events of one task so far, in the order they arrived. */
    List<JsonObject> of(String taskId) {
        Throwable e = failure.get();
        if (e != null) {
            throw new AssertionError("the tap on tasks.events failed: " + e, e);
        }
        return events.stream().filter(event -> event.getString("taskId").equals(taskId)).toList();
    }

    /** The worker's timestamp of this task's {@code kind} event ("running", "failed", "done") on that attempt. */
    long at(String taskId, String kind, int attempt) {
        return of(taskId).stream()
                .filter(event -> event.getString("event").equals(kind) && event.getInt("attempt") == attempt)
                .mapToLong(event -> event.getJsonNumber("at").longValue())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no '" + kind + "' event for attempt " + attempt + " of " + taskId
                        + "; saw " + of(taskId)));
    }

    @Override
    public void close() throws IOException {
        close(channel);
    }

    /** Closes a tap's channel, and with it its queue. */
    static void close(Channel channel) throws IOException {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
    }
}
