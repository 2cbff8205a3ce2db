package shop.tasks;

import com.rabbitmq.jms.admin.RMQDestination;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

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

    WorkerEvents(Session session, String workerId) throws JMSException {
        this.session = session;
        this.producer = session.createProducer(null);
        // Progress reports are worth little once stale: not persisted, not confirmed.
        this.producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        this.workerId = workerId;
    }

    void running(Task task, int attempt) throws JMSException {
        send("running", event(task, attempt));
    }

    void done(Task task, int attempt, long ms, boolean duplicate) throws JMSException {
        send("done", event(task, attempt).add("ms", ms).add("duplicate", duplicate));
    }

    void failed(Task task, int attempt, String error) throws JMSException {
        send("failed", event(task, attempt).add("error", error));
    }

    private JsonObjectBuilder event(Task task, int attempt) {
        return JSON.createObjectBuilder()
                .add("taskId", task.id())
                .add("label", task.label())
                .add("type", task.type().routingKey())
                .add("worker", workerId)
                .add("attempt", attempt)
                // The worker's clock, for measuring gaps between attempts (see RetryBackoffIT).
                .add("at", System.currentTimeMillis());
    }

    private void send(String kind, JsonObjectBuilder event) throws JMSException {
        // task.done.w1: the broker lets w1's user publish only keys that end in w1, so the key says who sent it.
        String routingKey = "task." + kind + "." + workerId;
        producer.send(new RMQDestination(routingKey, TaskTopology.EVENTS_EXCHANGE, routingKey, null),
                session.createTextMessage(event.add("event", kind).build().toString()));
    }
}
