package shop.orders;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.NoOpMetricsCollector;
import com.rabbitmq.client.ShutdownSignalException;
import java.util.Optional;

/** Tells the watchdog in {@link StepService} whether the service's consumer still has an open channel. */
// JMS does not tell: when the broker closes a consumer's channel (a publish to an exchange that is gone, a
// listener that threw), the connection stays up, no ExceptionListener fires, and the consumer is silently gone.
// The AMQP client under the JMS client hands every channel it opens to a metrics collector (public API);
// this one keeps the channel that started consuming.
final class ConsumerWatch extends NoOpMetricsCollector {

    private volatile Channel consuming;
    private final Runnable onClosed;

    /** {@code onClosed} runs on the client's thread when the consumer's channel closes unasked: keep it short. */
    ConsumerWatch(Runnable onClosed) {
        this.onClosed = onClosed;
    }

    // tag::watch[]
    @Override
    public void basicConsume(Channel channel, String consumerTag, boolean autoAck) {
        consuming = channel;
        channel.addShutdownListener(cause -> {
            // A lost connection (a hard error) is the connection's ExceptionListener's to handle.
            if (!cause.isInitiatedByApplication() && !cause.isHardError()) {
                onClosed.run();
            }
        });
    }

    /** Whether the consumer's channel is open: false before it started, and after the broker closed it. */
    boolean alive() {
        Channel channel = consuming;
        return channel != null && channel.isOpen();
    }
    // end::watch[]

    /** Why the broker closed the consumer's channel, if it did. */
    Optional<String> closeReason() {
        Channel channel = consuming;
        ShutdownSignalException cause = channel == null ? null : channel.getCloseReason();
        return Optional.ofNullable(cause).map(ShutdownSignalException::getMessage);
    }
}
