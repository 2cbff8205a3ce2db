package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import course.testkit.RabbitVhost;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 2, tested on the real broker from this JVM: with the amount band in the key, a plain topic
 * binding does the fraud rule's work; and every existing three-word binding silently stops matching.
 */
@ExtendWith(RabbitVhost.class)
class FraudRuleByKeyIT {

    private static final String EXCHANGE = "exercise.orders";

    @Test
    void aBandedKeyRoutesLargeUsOrdersToFraudReviewButBreaksEveryThreeWordBinding() throws Exception {
        try (Connection amqp = TestClients.amqp().newConnection("exercise-2");
             Channel channel = amqp.createChannel()) {
            channel.exchangeDeclare(EXCHANGE, "topic", false, true, null);
        }
        RMQConnectionFactory factory = new RMQConnectionFactory();
        factory.setHost(RabbitVhost.host());
        factory.setPort(RabbitVhost.port());
        factory.setUsername(RabbitVhost.username());
        factory.setPassword(RabbitVhost.password());
        factory.setVirtualHost(RabbitVhost.name());
        jakarta.jms.Connection jms = factory.createConnection();
        try {
            jms.start();
            Session session = jms.createSession(Session.AUTO_ACKNOWLEDGE);
            List<String> fraud = subscribe(session, BandedOrderKey.FRAUD_PATTERN);
            List<String> oldBilling = subscribe(session, "order.*.paid");      // written for three-word keys
            List<String> newBilling = subscribe(session, "order.*.paid.*");    // what every binding must become
            MessageProducer producer = session.createProducer(null);

            publish(session, producer, new OrderEvent("L-1", new OrderKey("us", "paid"), new BigDecimal("1500")));
            publish(session, producer, new OrderEvent("S-1", new OrderKey("us", "paid"), new BigDecimal("1000")));
            publish(session, producer, new OrderEvent("E-1", new OrderKey("eu", "paid"), new BigDecimal("5000")));
            // barriers: one more large US order for fraud review, and an old-style three-word key for the old binding
            publish(session, producer, new OrderEvent("M-1", new OrderKey("us", "cancelled"), new BigDecimal("2000")));
            var threeWords = session.createTextMessage("M-3");
            threeWords.setStringProperty("key", "order.us.paid");
            producer.send(Topics.on(EXCHANGE, "order.us.paid"), threeWords);

            await().atMost(Duration.ofSeconds(10)).until(() -> fraud.contains("order.us.cancelled.large")
                    && oldBilling.contains("order.us.paid") && newBilling.size() >= 3);
            assertThat(fraud).containsExactly("order.us.paid.large", "order.us.cancelled.large");
            assertThat(oldBilling).as("a three-word binding no longer matches a four-word key").containsExactly("order.us.paid");
            assertThat(newBilling).containsExactly("order.us.paid.large", "order.us.paid.small", "order.eu.paid.large");
        } finally {
            jms.close();
        }
    }

    private static List<String> subscribe(Session session, String pattern) throws JMSException {
        List<String> keys = new CopyOnWriteArrayList<>();
        session.createConsumer(Topics.on(EXCHANGE, pattern)).setMessageListener(m -> {
            try {
                keys.add(m.getStringProperty("key"));
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        return keys;
    }

    private static void publish(Session session, MessageProducer producer, OrderEvent event) throws JMSException {
        String key = BandedOrderKey.of(event);
        var message = event.toMessage(session);
        message.setStringProperty("key", key); // only so this test can see which key each delivery had
        producer.send(Topics.on(EXCHANGE, key), message);
    }
}
