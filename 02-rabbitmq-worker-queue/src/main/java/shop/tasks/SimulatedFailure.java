package shop.tasks;

/** The teaching knob's failure: the worker throws it on the first {@code failAttempts} attempts of a task. */
final class SimulatedFailure extends Exception {

    SimulatedFailure(String message) {
        super(message, null, false, false);
    }
}
