package shop.orders;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.NoOpMetricsCollector;
import com.rabbitmq.client.ShutdownSignalException;
import java.util.Optional;
import java.util.stream.Stream;

/** Tells the watchdog in {@link StepService} whether the service's consumer, and its publisher, still have open channels. */
// JMS does not tell: when the broker closes a consumer's channel (a publish to an exchange that is gone, a
// listener that threw), the connection stays up, no ExceptionListener fires, and the consumer is silently gone.
// The AMQP client under the JMS client hands every channel it opens to a metrics collector (public API);
// this one keeps the channel that started consuming, and the one the step's outcome last published on.
final class ConsumerWatch extends NoOpMetricsCollector {

    private volatile Channel consuming;
    private volatile Channel publishing;
    private final Runnable onClosed;

    /** {@code onClosed} runs on the client's thread when the consumer's channel closes unasked: keep it short. */
    ConsumerWatch(Runnable onClosed) {
        this.onClosed = onClosed;
    }

    // tag::watch[]
    @Override
    public void basicConsume(Channel channel, String consumerTag, boolean autoAck) {
        consuming = channel;
        watch(channel);
    }

    /** The outcome's channel: a publish to an exchange that is gone closes it, not the consumer's. */
    @Override
    public void basicPublish(Channel channel) {
        if (publishing != channel) {
            publishing = channel;
            watch(channel);
        }
    }

    private void watch(Channel channel) {
        channel.addShutdownListener(cause -> {
            // A lost connection (a hard error) is the connection's ExceptionListener's to handle, and a channel the
            // service closed itself (a new session after a failed publish) is no news.
            if (!cause.isInitiatedByApplication() && !cause.isHardError()) {
                onClosed.run();
            }
        });
    }

    /**
     * Whether the consumer's channel is open, and the publisher's, if it has one: false before the consumer started,
     * and after the broker closed either.
     */
    boolean alive() {
        Channel channel = consuming;
        return channel != null && channel.isOpen() && brokerLeftOpen(publishing);
    }

    private static boolean brokerLeftOpen(Channel channel) {
        return channel == null || channel.isOpen() || channel.getCloseReason() == null
                || channel.getCloseReason().isInitiatedByApplication();
    }
    // end::watch[]

    /** Why the broker closed the consumer's channel, or the publisher's, if it did. */
    Optional<String> closeReason() {
        return Stream.of(consuming, publishing).filter(c -> c != null && !brokerLeftOpen(c)).findFirst()
                .map(Channel::getCloseReason).map(ShutdownSignalException::getMessage);
    }
}
