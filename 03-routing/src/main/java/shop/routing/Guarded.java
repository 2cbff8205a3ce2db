package shop.routing;

/**
 * A JMS consumer that the {@link ConsumerGuard} looks after: a service instance, or the reader of the warehouse's
 * answers. It hears from the guard which message was set aside and why, and that it has stopped.
 */
public interface Guarded {

    /** Who it is, for a log line: its queue and its name. */
    String describe();

    /** Called once the delivery is in the dead-letter queue: the one line that says so. */
    void setAside(DeliveryLedger.Pending delivery, String why);

    /** Called when the consumer is known to have stopped: the watchdog starts it again. */
    void stopped();
}
