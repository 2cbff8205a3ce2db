package shop.tasks;

import com.rabbitmq.jms.admin.RMQDestination;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/**
 * What a worker does with a task that failed, or with a message that can never become one: it settles the delivery
 * itself, in one commit of its transacted session, with the ack and the message's next stop. One per session.
 *
 * <p>Transacted, not CLIENT_ACKNOWLEDGE with session.recover(): the RabbitMQ JMS client has no way to hand back one
 * message. recover() (and rollback()) requeue every message the channel holds, also one the client has already
 * prefetched, which it then hands to the listener all the same; the ack of that stale delivery makes the broker close
 * the channel (PRECONDITION_FAILED - unknown delivery tag) and the consumer is gone, silently. So the worker never
 * hands a message back: each delivery ends in one commit, of the ack alone (done) or of the ack and the message's
 * next stop (here). Nothing else is ever requeued.
 */
final class FailedTasks {

    private static final Logger LOG = Logger.getLogger(Worker.class.getName());

    /** The header that carries the attempt number, since each retry is a new message. */
    static final String ATTEMPT = "attempt";
    /** The header that tells a human reading tasks.dead why the worker put the message there. */
    static final String REASON = "reason";

    private final Session session;
    private final MessageProducer producer;
    private final TaskSettings settings;
    private final FailurePolicy policy;
    private final Progress progress;

    FailedTasks(Session session, TaskSettings settings, FailurePolicy policy, Progress progress) throws JMSException {
        this.session = session;
        this.producer = session.createProducer(null);
        this.producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        this.settings = settings;
        this.policy = policy;
        this.progress = progress;
    }

    // tag::attempt[]
    /**
     * The attempt this delivery is. Each retry is a new message, and the queue's delivery count (JMSXDeliveryCount)
     * starts again at 1 on every copy; so the copy carries its attempt number in a header. Deliveries of the same
     * copy (a worker that crashed on it) still count, from the quorum queue's x-delivery-count.
     */
    static int attempt(Message message) throws JMSException {
        int first = message.propertyExists(ATTEMPT) ? message.getIntProperty(ATTEMPT) : 1;
        return first + message.getIntProperty("JMSXDeliveryCount") - 1;
    }
    // end::attempt[]

    /** Settles a delivery that can never become a task: dead-lettered at once, with the reason. */
    void unreadable(Message message, String reason) {
        settle(message, null, attemptOrZero(message), "unreadable: " + reason);
    }

    /** Settles a delivery whose work failed ({@code task} is null when the failure came before it was read). */
    void settle(Message message, Task task, Exception e) {
        int attempt = attemptOrZero(message);
        progress.failed(task, attempt, e);
        settle(message, task, attempt, "failed " + attempt + " of " + settings.maxAttempts() + " attempts: " + e.getMessage());
    }

    // tag::settle[]
    /**
     * Acknowledges the delivery and publishes its next stop, in one transaction: where the failure policy says the
     * next attempt waits, or tasks.dead after the last attempt, or at once when it cannot be read (retrying cannot
     * change its bytes). Before the commit neither happened: a crash leaves the original in the queue.
     */
    private void settle(Message message, Task task, int attempt, String reason) {
        boolean retry = task != null && attempt < settings.maxAttempts();
        String what = task == null ? "an unreadable message" : "'" + task.label() + "'";
        try {
            Message copy = task == null ? copyOf(message) : session.createTextMessage(task.toJson());
            copy.setIntProperty(ATTEMPT, attempt + 1);
            if (retry) {
                FailurePolicy.Retry next = policy.retry(task, attempt);
                producer.send(next.destination(), copy);
                session.commit();
                LOG.info(" [x] Retrying " + what + " " + next.when());
            } else {
                copy.setStringProperty(REASON, reason);
                producer.send(deadLetters(task), copy);
                session.commit();
                LOG.warning(" [!] Moved " + what + " to " + TaskTopology.DEAD_LETTER_QUEUE + ": " + reason);
            }
        } catch (JMSException | RuntimeException broken) {
            // Nothing was committed: the delivery is still unacknowledged, and comes again once the
            // channel is gone. A session that cannot commit is of no more use: the watchdog restarts the consumers.
            progress.broken("could not settle " + what + ": " + broken);
        }
    }
    // end::settle[]

    /** The dead-letter exchange, as if the broker had sent it there: the producer's board follows it. */
    private static RMQDestination deadLetters(Task task) {
        String key = task == null ? "" : task.type().routingKey();
        return new RMQDestination(TaskTopology.DEAD_LETTER_EXCHANGE, TaskTopology.DEAD_LETTER_EXCHANGE, key, null);
    }

    private static int attemptOrZero(Message message) {
        try {
            return attempt(message);
        } catch (JMSException | RuntimeException e) {
            return 0;
        }
    }

    /** The message as it came, byte for byte, for a human to read in tasks.dead. */
    private Message copyOf(Message message) throws JMSException {
        BytesMessage copy = session.createBytesMessage();
        if (message instanceof BytesMessage bytes) {
            bytes.reset();
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            copy.writeBytes(body);
        } else if (message instanceof TextMessage text && text.getText() != null) {
            copy.writeBytes(text.getText().getBytes(StandardCharsets.UTF_8));
        }
        return copy;
    }
}
