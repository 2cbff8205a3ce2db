package shop.orders;

import jakarta.jms.JMSException;

/**
 * Something more a step service does around each command, added from outside the lesson as a CDI bean;
 * {@link Services} hands every such bean to every step service. The lesson itself has none.
 */
public interface StepHook {

    /** Runs before the step; throwing fails this attempt, as a failure of the step does. */
    default void before(Step step, Command command) throws Exception {
    }

    /**
     * Runs when an attempt failed, before the rollback. {@code attempt} counts the command's deliveries from 1
     * ({@code JMSXDeliveryCount}); the broker dead-letters it after {@code shop.max-attempts}. Returning true
     * means the hook published what the failure leads to through {@code outcome}: the service then publishes that,
     * and acknowledges the command once the broker has confirmed it, instead of rolling back. What the step published
     * before it threw goes out with it, so take over only failures that come before the step publishes anything.
     */
    default boolean failed(Step step, Command command, int attempt, Exception failure, StepService.Outcome outcome)
            throws JMSException {
        return false;
    }
}
