package shop.tasks;

import com.rabbitmq.jms.admin.RMQConnectionFactory;
import com.rabbitmq.jms.admin.RMQDestination;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;

/**
 * The worker, as in the RabbitMQ tutorial's Worker.java: a prefetch, a consumer, the work, and only then the ack;
 * one per consumer session. Around it: {@link Watchdog} connects and reconnects, {@link Progress} reports each task,
 * {@link FailedTasks} settles one that failed.
 */
final class Worker implements MessageListener {

    private final Session session;
    private final TaskSettings settings;
    private final Outbox outbox;
    private final Progress progress;
    private final FailedTasks failed;

    private Worker(Session session, TaskSettings settings, Outbox outbox, Progress progress, FailedTasks failed) {
        this.session = session;
        this.settings = settings;
        this.outbox = outbox;
        this.progress = progress;
        this.failed = failed;
    }

    // tag::prefetch[]
    /** The worker's connection, as its own broker user: it may read its queue, and report only as itself. */
    static Connection connect(Rabbit rabbit, TaskSettings settings) throws JMSException {
        RMQConnectionFactory factory = rabbit.jms(BrokerUser.WORKER);
        // Fair dispatch: each consumer holds at most tasks.worker.prefetch (1) unacknowledged tasks. The
        // client's default is unlimited: the first worker to connect would take the whole queue.
        factory.setChannelsQos(settings.prefetch());
        return factory.createConnection();
    }
    // end::prefetch[]

    // tag::consume[]
    /** One consumer of the worker's queue (tasks, unless tasks.worker.queue names another), on its own session. */
    static void consume(Connection connection, TaskSettings settings, Outbox outbox, Progress progress,
                        FailurePolicy policy) throws JMSException {
        // Transacted: the commit in onMessage is the ack. (AUTO_ACKNOWLEDGE would ack before onMessage
        // runs: AutoAcknowledgeTrapIT. Why not CLIENT_ACKNOWLEDGE: FailedTasks.)
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        RMQDestination queue = new RMQDestination(settings.workerQueue(), null, null, settings.workerQueue());
        FailedTasks failed = new FailedTasks(session, settings, policy, progress);
        session.createConsumer(queue).setMessageListener(new Worker(session, settings, outbox, progress, failed));
    }
    // end::consume[]

    // tag::on-message[]
    @Override
    public void onMessage(Message message) {
        Task task = null;
        try {
            // tag::ack-after-work[]
            int attempt = FailedTasks.attempt(message);
            switch (TaskReader.read(message)) {
                case TaskReader.Unreadable unreadable -> {
                    failed.unreadable(message, unreadable.reason()); // to tasks.dead at once: retrying cannot help
                    return;
                }
                case TaskReader.Readable readable -> task = readable.task();
            }
            progress.received(task, attempt);

            work(settings, task, attempt);
            Outbox.Outcome outcome = outbox.deliver(task);

            progress.done(task, attempt, outcome);
            // The commit is the ack: a crash before it means redelivery, which the outbox makes a no-op.
            session.commit();
            // end::ack-after-work[]
        } catch (Exception e) {
            failed.settle(message, task, e);
        } finally {
            progress.released(task);
        }
    }
    // end::on-message[]

    // tag::work[]
    /** Simulated work: the e-mail is rendered, the report computed. */
    static void work(TaskSettings settings, Task task, int attempt) throws InterruptedException, SimulatedFailure {
        long ms = task.workMs() >= 0 ? task.workMs() : settings.workMs(task.type());
        Thread.sleep(ms);
        if (attempt <= task.failAttempts()) {
            throw new SimulatedFailure("simulated failure (fails its first " + task.failAttempts() + " attempts)");
        }
    }
    // end::work[]
}
