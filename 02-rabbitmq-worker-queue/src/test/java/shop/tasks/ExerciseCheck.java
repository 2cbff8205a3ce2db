package shop.tasks;

import static org.assertj.core.api.Assertions.fail;

/**
 * The first check of an exercise's tests: while a worker started with the exercise's switch on still declares only
 * the lesson's topology (the starting state that {@code exercises/start.sh} leaves), the test fails at once,
 * pointing to the README step.
 */
final class ExerciseCheck {

    private ExerciseCheck() {
    }

    /** Fails with {@code notSolved} unless {@code queue}, which the exercise adds, exists in this run's vhost. */
    static void assertDeclared(String queue, String notSolved) throws Exception {
        try (TestBroker broker = TestBroker.connect()) {
            if (!broker.exists(queue)) {
                fail(notSolved);
            }
        }
    }
}
