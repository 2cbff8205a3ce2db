package shop.tasks;

import com.rabbitmq.jms.admin.RMQDestination;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;

/**
 * What a worker tells the dashboard: task.running, task.done, task.failed, each followed by its worker id. Sent on
 * the listener's own session, because a JMS session belongs to one thread.
 */
final class WorkerEvents {

    /** Looked up once, not per call: see Task.JSON. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private final Session session;
    private final MessageProducer producer;
    private final String workerId;
    private final RMQDestination running;
    private final RMQDestination done;
    private final RMQDestination failed;

    WorkerEvents(Session session, String workerId) throws JMSException {
        this.session = session;
        this.producer = session.createProducer(null);
        // Progress reports are worth little once stale: not persisted, not confirmed.
        this.producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        this.workerId = workerId;
        // Made once, not per event: the worker's id never changes.
        this.running = destination("running");
        this.done = destination("done");
        this.failed = destination("failed");
    }

    void running(Task task, int attempt) throws JMSException {
        StringWriter text = new StringWriter(256);
        send(running, event(text, task, attempt).write("event", "running"), text);
    }

    void done(Task task, int attempt, long ms, boolean duplicate) throws JMSException {
        StringWriter text = new StringWriter(256);
        send(done, event(text, task, attempt).write("ms", ms).write("duplicate", duplicate).write("event", "done"), text);
    }

    void failed(Task task, int attempt, String error) throws JMSException {
        StringWriter text = new StringWriter(256);
        send(failed, event(text, task, attempt).write("error", error).write("event", "failed"), text);
    }

    /**
     * The fields every event starts with, written straight into {@code text}: a generator, not a JsonObject built
     * and then written, which cost the worker a map and a copy per event (WorkerCostExperiment, JFR).
     */
    private JsonGenerator event(StringWriter text, Task task, int attempt) {
        return JSON.createGenerator(text).writeStartObject()
                .write("taskId", task.id())
                .write("label", task.label())
                .write("type", task.type().routingKey())
                .write("worker", workerId)
                .write("attempt", attempt)
                // The worker's clock, for measuring gaps between attempts (see RetryBackoffIT).
                .write("at", System.currentTimeMillis());
    }

    private void send(RMQDestination destination, JsonGenerator event, StringWriter text) throws JMSException {
        event.writeEnd().close();
        producer.send(destination, session.createTextMessage(text.toString()));
    }

    private RMQDestination destination(String kind) {
        // task.done.w1: the broker lets w1's user publish only keys that end in w1, so the key says who sent it.
        String routingKey = "task." + kind + "." + workerId;
        return new RMQDestination(routingKey, TaskTopology.EVENTS_EXCHANGE, routingKey, null);
    }
}
