package shop.chat;

import static org.assertj.core.api.Assertions.fail;

import course.testkit.RecordingWebSocket;

/**
 * The first check of an exercise's tests: while the server still answers {@code unknown-type} to the exercise's
 * frame (the starting state that {@code exercises/start.sh} leaves), the test fails at once, pointing to the README step.
 */
final class ExerciseCheck {

    private ExerciseCheck() {
    }

    /** Sends {@code frame} in a room of its own, then a public message; the answers arrive in that order. */
    static void assertSolved(ChatApi chat, String frame, String notSolved) {
        try (RecordingWebSocket checker = chat.join("checker", "exercise-check")) {
            checker.send(frame);
            checker.send("{\"type\":\"say\",\"text\":\"checked\"}");
            checker.awaitFrame(DeployedChat::isMessage);
            if (checker.json().stream().anyMatch(f -> "error".equals(f.getString("type"))
                    && "unknown-type".equals(f.getString("code")))) {
                fail(notSolved);
            }
        }
    }
}
