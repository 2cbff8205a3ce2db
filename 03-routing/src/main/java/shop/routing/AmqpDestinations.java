package shop.routing;

import com.rabbitmq.jms.admin.RMQDestination;
import jakarta.jms.Destination;

/**
 * JMS destinations that are really plain AMQP resources ({@code amqp=true}): JMS then sends the bare
 * body bytes with the JMS properties as AMQP headers, and reads any AMQP message as a Bytes or Text message,
 * so a service that knows nothing about JMS can be on the other end.
 */
public final class AmqpDestinations {

    private AmqpDestinations() {
    }

    // tag::amqp-destinations[]
    /** Sending: publish to {@code exchange} with {@code routingKey}; nothing is declared by JMS. */
    public static Destination publishTo(String exchange, String routingKey) {
        return new RMQDestination(exchange + "/" + routingKey, exchange, routingKey, null);
    }

    /** Receiving: consume the existing AMQP queue {@code queue}. */
    public static Destination consumeFrom(String queue) {
        return new RMQDestination(queue, null, null, queue);
    }
    // end::amqp-destinations[]
}
