package shop.routing;

/**
 * Thrown by a service for a message it will never handle, however often it comes back: the
 * {@link ConsumerGuard} sets it aside in the dead-letter queue and the service goes on with the next one.
 */
public final class PoisonMessage extends RuntimeException {

    private final long deliveryTag;

    public PoisonMessage(long deliveryTag, String why) {
        super(why, null, false, false); // no stack trace: the reason is the whole story, and it is logged once
        this.deliveryTag = deliveryTag;
    }

    long deliveryTag() {
        return deliveryTag;
    }
}
