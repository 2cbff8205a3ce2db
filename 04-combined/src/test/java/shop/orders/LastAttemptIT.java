package shop.orders;

import jakarta.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exercise 2, give up after the last attempt: on the fourth failed attempt shipping puts the command in
 * {@code orders.dead} itself, tells the customer, and the saga refunds the payment.
 */
class LastAttemptIT extends DeployedShop {

    private static final Duration WORKFLOW = Duration.ofSeconds(30);

    @BeforeEach
    void exerciseTwoIsSolved() {
        ExerciseCheck.assertLastAttemptSolved(base);
    }

    @AfterEach
    void carrierBack() {
        ExerciseCheck.carrierBack();
    }

    @Test
    void afterTheFourthFailedAttemptTheCustomerIsToldTheOrderIsCancelledAndIsRefundedOnce() throws Exception {
        ExerciseCheck.carrierDownFor("lamp");
        try (Customer alice = Customer.signIn(base, WorkflowIT.unique("alice")).connect(base)) {
            String lamp = alice.place("lamp", "tok_visa");

            assertThat(alice.awaitLast(lamp, WORKFLOW)).containsExactly("placed", "paid", "reserved", "cancelled", "refunded");
            JsonObject cancelled = alice.progress(lamp).get(3);
            assertThat(cancelled.getString("detail")).isEqualTo("Not shipped: the carrier failed 4 times. The order is cancelled");
            assertThat(ExerciseCheck.inDeadLetters(lamp)).as("the ship command in orders.dead").isTrue();
            assertThat(effect("payment", "refund", lamp)).as("refunded").isTrue();
            assertThat(lines("payment", "charged.log", lamp)).as("charged once").isEqualTo(1);
            assertThat(effect("shipping", "shipment", lamp)).as("nothing handed to the carrier").isFalse();
        }
    }

    @Test
    void anOrderOfAnotherItemShipsAndNothingOfItsIsDeadLettered() throws Exception {
        ExerciseCheck.carrierDownFor("lamp");
        try (Customer bob = Customer.signIn(base, WorkflowIT.unique("bob")).connect(base)) {
            String mug = bob.place("mug", "tok_visa");

            assertThat(bob.awaitLast(mug, WORKFLOW)).containsExactly("placed", "paid", "reserved", "shipped");
            assertThat(ExerciseCheck.inDeadLetters(mug)).isFalse();
            assertThat(effect("payment", "refund", mug)).isFalse();
        }
    }
}
