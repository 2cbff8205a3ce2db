package shop.routing;

import com.rabbitmq.jms.admin.NamingStrategy;
import com.rabbitmq.jms.admin.RMQDestination;
import jakarta.jms.Topic;

/**
 * JMS topics that live on one of this module's own exchanges instead of the client's default
 * {@code jms.durable.topic}. A JMS topic name is simply the AMQP routing key (to publish) or the binding
 * pattern (to subscribe), so {@code order.*.paid} is a valid subscription topic.
 */
public final class Topics {

    private Topics() {
    }

    // tag::topic[]
    /** The JMS topic {@code name} on {@code exchange}, which {@link Topology} has already declared. */
    public static Topic on(String exchange, String name) {
        RMQDestination topic = new RMQDestination(name, false, false, null, new ExchangeNaming(exchange));
        // The JMS client would otherwise redeclare the exchange without its alternate-exchange argument,
        // and RabbitMQ refuses a redeclaration with different arguments (406 PRECONDITION_FAILED).
        topic.setDeclared(true);
        return topic;
    }
    // end::topic[]

    /** The client's default names, except the exchange its topics publish to and bind on. */
    private record ExchangeNaming(String exchange) implements NamingStrategy {

        @Override
        public String topicExchangeName() {
            return exchange;
        }

        @Override
        public String temporaryTopicExchangeName() {
            return DEFAULT.temporaryTopicExchangeName();
        }

        @Override
        public String queueExchangeName() {
            return DEFAULT.queueExchangeName();
        }

        @Override
        public String temporaryQueueExchangeName() {
            return DEFAULT.temporaryQueueExchangeName();
        }

        @Override
        public String topicSubscriberQueuePrefix() {
            return DEFAULT.topicSubscriberQueuePrefix();
        }

        @Override
        public String durableSubscriberTopicSelectorExchangePrefix() {
            return DEFAULT.durableSubscriberTopicSelectorExchangePrefix();
        }

        @Override
        public String nonDurableSubscriberTopicSelectorExchangePrefix() {
            return DEFAULT.nonDurableSubscriberTopicSelectorExchangePrefix();
        }

        @Override
        public String temporaryQueuePrefix() {
            return DEFAULT.temporaryQueuePrefix();
        }

        @Override
        public String temporaryTopicPrefix() {
            return DEFAULT.temporaryTopicPrefix();
        }
    }
}
