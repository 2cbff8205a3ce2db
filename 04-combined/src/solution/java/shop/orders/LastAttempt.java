package shop.orders;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import java.util.logging.Logger;

/**
 * Exercise 2's reference solution: when shipping fails for the last time, the shipping service gives up itself, before
 * it acknowledges the command: it puts the command in {@code orders.dead}, tells the customer, and starts the saga's
 * compensation.
 */
@ApplicationScoped
public class LastAttempt implements StepHook {

    private static final Logger LOG = Logger.getLogger(LastAttempt.class.getName());

    @Inject
    ShopSettings settings;

    @Override
    public boolean failed(Step step, Command command, int attempt, Exception failure, StepService.Outcome outcome)
            throws JMSException {
        // Shipping publishes only once the parcel is handed over, so a failure there has published nothing yet.
        // Only the service knows it is the last time: JMSXDeliveryCount has reached the queue's delivery limit.
        if (step != Step.SHIPPING || attempt < settings.maxAttempts()) {
            return false;
        }
        LOG.warning(" [!] Giving up 'ship' order=" + command.orderId() + " after " + attempt + " attempts: " + failure);
        // A record for whoever looks at the failures, not a retry: the order is refunded, so it must never ship.
        outcome.deadLetter(command);
        outcome.progress(Progress.of(command, Stage.CANCELLED,
                "Not shipped: the carrier failed " + attempt + " times. The order is cancelled"));
        outcome.command(command.next("refund"));
        return true;
    }
}
