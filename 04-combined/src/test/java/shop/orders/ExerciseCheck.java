package shop.orders;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The first check of an exercise's tests: one order of an item the carrier is down for, in the starting state that
 * {@code exercises/start.sh} leaves, ships as any other; then the test fails at once, pointing to the README step.
 */
final class ExerciseCheck {

    static final String EXERCISE_1 = "see 04-combined/README.md, Exercises, 1. The carrier is down";
    static final String EXERCISE_2 = "see 04-combined/README.md, Exercises, 2. Give up after the last attempt";
    private static final Duration BOUND = Duration.ofSeconds(30);

    private ExerciseCheck() {
    }

    /** The outage of exercise 1, as the README tells the learner to start it: the item in shipping/carrier-down. */
    static void carrierDownFor(String item) {
        try {
            Path outage = DeployedShop.DATA.resolve("shipping").resolve("carrier-down");
            Files.createDirectories(outage.getParent());
            Files.writeString(outage, item + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void carrierBack() {
        DeployedShop.DATA.resolve("shipping").resolve("carrier-down").toFile().delete();
    }

    /** Exercise 1 is solved when a lamp, while the carrier is down for lamps, is not shipped but dead-lettered. */
    static String assertCarrierOutageSolved(URL base) {
        carrierDownFor("lamp");
        try (Customer checker = Customer.signIn(base, WorkflowIT.unique("checker")).connect(base)) {
            String order = checker.place("lamp", "tok_visa");
            await("the checker's lamp to be shipped or dead-lettered").atMost(BOUND)
                    .until(() -> checker.stages(order).contains("shipped") || inDeadLetters(order));
            if (checker.stages(order).contains("shipped")) {
                fail("Exercise 1 is not solved yet: a lamp shipped while shipping/carrier-down listed it; " + EXERCISE_1);
            }
            return order;
        }
    }

    /** Exercise 2 is solved when that lamp's customer hears, once it is dead-lettered, that it is cancelled. */
    static void assertLastAttemptSolved(URL base) {
        carrierDownFor("lamp");
        try (Customer checker = Customer.signIn(base, WorkflowIT.unique("checker")).connect(base)) {
            String order = checker.place("lamp", "tok_visa");
            await("the checker's lamp to be shipped or dead-lettered").atMost(BOUND)
                    .until(() -> checker.stages(order).contains("shipped") || inDeadLetters(order));
            if (checker.stages(order).contains("shipped")) {
                fail("Exercise 2 needs exercise 1 first: a lamp shipped while shipping/carrier-down listed it; " + EXERCISE_1);
            }
            try {
                // The update is published with the dead letter, before the command is acknowledged: it follows within moments.
                await().atMost(Duration.ofSeconds(10)).until(() -> checker.stages(order).contains("cancelled"));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                fail("Exercise 2 is not solved yet: the lamp's ship command was dead-lettered and its customer "
                        + "was not told (stages " + checker.stages(order) + "); " + EXERCISE_2);
            }
        }
    }

    static boolean inDeadLetters(String orderId) throws IOException, TimeoutException {
        try (ShopBroker broker = ShopBroker.connect()) {
            return broker.peek(OrderTopology.DEAD_LETTER_QUEUE).stream().anyMatch(c -> c.orderId().equals(orderId));
        }
    }
}
