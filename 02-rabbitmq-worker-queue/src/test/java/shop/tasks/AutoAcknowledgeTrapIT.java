package shop.tasks;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import com.rabbitmq.jms.admin.RMQDestination;
import course.testkit.RabbitVhost;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Failure lab 5, the AUTO_ACKNOWLEDGE trap, side by side with the right way. The same listener
 * crashes on the same task; only the acknowledge mode differs. Plain JMS against the real broker:
 * no server needed to see it.
 */
@ExtendWith(RabbitVhost.class)
class AutoAcknowledgeTrapIT {

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private String queue;

    @AfterEach
    void deleteQueue() throws Exception {
        try (TestBroker broker = TestBroker.connect(); Channel channel = broker.connection().createChannel()) {
            channel.queueDelete(queue);
        }
    }

    @Test
    void withAutoAcknowledgeATaskIsLostWhenTheListenerCrashes() throws Exception {
        queue = "trap-auto-acknowledge";

        Status after = sendOneTaskToACrashingListener(Session.AUTO_ACKNOWLEDGE);

        assertThat(seen).containsExactly("report #1");
        // The client acknowledged the task before onMessage ran: the broker has forgotten it.
        assertThat(after.messages()).isZero();
    }

    @Test
    void withClientAcknowledgeTheSameTaskWaitsForTheNextWorker() throws Exception {
        queue = "trap-client-acknowledge";

        Status after = sendOneTaskToACrashingListener(Session.CLIENT_ACKNOWLEDGE);

        assertThat(seen).containsExactly("report #1");
        // Never acknowledged: when the crashed consumer's channel closed, the broker requeued it.
        assertThat(after.messages()).isEqualTo(1);
        try (Connection connection = factory().createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            connection.start();
            Message redelivered = session.createConsumer(destination()).receive(10_000);
            assertThat(((TextMessage) redelivered).getText()).isEqualTo("report #1");
            assertThat(redelivered.getJMSRedelivered()).isTrue();
            redelivered.acknowledge();
        }
    }

    private record Status(long messages, long consumers) {
    }

    // tag::trap[]
    private Status sendOneTaskToACrashingListener(int acknowledgeMode) throws Exception {
        try (Connection connection = factory().createConnection()) {
            Session session = connection.createSession(false, acknowledgeMode);
            MessageConsumer consumer = session.createConsumer(destination());
            consumer.setMessageListener(message -> {
                seen.add(text(message));
                throw new IllegalStateException("the worker crashed half-way through the task");
            });
            connection.start();

            session.createProducer(destination()).send(session.createTextMessage("report #1"));

            // The client closes a consumer's channel when its listener throws; then the broker
            // either has the task back (never acknowledged) or not (acknowledged too early).
            return await().atMost(10, SECONDS).until(this::status, s -> s.consumers() == 0 && !seen.isEmpty());
        }
    }
    // end::trap[]

    private Status status() throws Exception {
        try (TestBroker broker = TestBroker.connect(); Channel channel = broker.connection().createChannel()) {
            AMQP.Queue.DeclareOk ok = channel.queueDeclarePassive(queue);
            return new Status(ok.getMessageCount(), ok.getConsumerCount());
        }
    }

    private RMQDestination destination() {
        return new RMQDestination(queue, true, false);
    }

    private static RMQConnectionFactory factory() {
        RMQConnectionFactory factory = RabbitVhost.jmsFactory();
        factory.setChannelsQos(1);
        return factory;
    }

    private static String text(Message message) {
        try {
            return ((TextMessage) message).getText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
