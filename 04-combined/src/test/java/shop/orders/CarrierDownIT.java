package shop.orders;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Exercise 1, the carrier is down: shipping fails for one item, every attempt, and the broker dead-letters the command. */
class CarrierDownIT extends DeployedShop {

    private static final Duration WORKFLOW = Duration.ofSeconds(30);

    @BeforeEach
    void exerciseOneIsSolved() {
        ExerciseCheck.assertCarrierOutageSolved(base);
    }

    @AfterEach
    void carrierBack() {
        ExerciseCheck.carrierBack();
    }

    @Test
    void whileTheCarrierIsDownForLampsALampGoesToOrdersDeadAndAMugStillShips() throws Exception {
        ExerciseCheck.carrierDownFor("lamp");
        try (Customer alice = Customer.signIn(base, WorkflowIT.unique("alice")).connect(base)) {
            String lamp = alice.place("lamp", "tok_visa");
            String mug = alice.place("mug", "tok_visa");

            assertThat(alice.awaitLast(mug, WORKFLOW)).containsExactly("placed", "paid", "reserved", "shipped");
            await("the lamp's ship command in orders.dead").atMost(WORKFLOW)
                    .until(() -> ExerciseCheck.inDeadLetters(lamp));
            try (ShopBroker broker = ShopBroker.connect()) {
                assertThat(broker.peek(OrderTopology.DEAD_LETTER_QUEUE)).filteredOn(c -> c.orderId().equals(lamp))
                        .extracting(Command::name).containsExactly("ship");
                assertThat(broker.ready(Step.SHIPPING.queue())).as("nothing left in orders.shipping").isZero();
            }
            assertThat(effect("shipping", "shipment", lamp)).as("the lamp handed to the carrier").isFalse();
            assertThat(effect("shipping", "shipment", mug)).as("the mug handed to the carrier").isTrue();
            assertThat(alice.stages(lamp)).startsWith("placed", "paid", "reserved").doesNotContain("shipped");
        }
    }

    @Test
    void onceTheCarrierIsBackALampShipsAgain() {
        ExerciseCheck.carrierBack();
        try (Customer bob = Customer.signIn(base, WorkflowIT.unique("bob")).connect(base)) {
            String lamp = bob.place("lamp", "tok_visa");

            assertThat(bob.awaitLast(lamp, WORKFLOW)).containsExactly("placed", "paid", "reserved", "shipped");
        }
    }
}
