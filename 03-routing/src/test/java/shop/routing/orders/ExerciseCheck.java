package shop.routing.orders;

import static org.assertj.core.api.Assertions.fail;

import course.testkit.PayaraProcess;
import java.util.regex.Pattern;
import shop.routing.RoutingApi;

/**
 * The first check of an exercise's tests: while the server still runs without the exercise's part (the starting
 * state that {@code exercises/start.sh} leaves), the test fails at once, pointing to the README step.
 */
final class ExerciseCheck {

    /** What the server says when routing.scheme names a scheme this build does not have (see ActiveScheme). */
    private static final Pattern NO_SCHEME = Pattern.compile("names no routing scheme");
    private static final Pattern READY = Pattern.compile("Payara Micro .* ready in");

    private ExerciseCheck() {
    }

    /** Fails with {@code notSolved} unless a service named {@code service} started with the shop. */
    static void assertServiceRuns(RoutingApi api, String service, String notSolved) {
        if (api.services().stream().noneMatch(s -> !s.getBoolean("added") && s.getString("service").equals(service))) {
            fail(notSolved);
        }
    }

    /** Waits for the server to start; fails with {@code notSolved} if it stopped because its routing.scheme is missing. */
    static void awaitSchemeStarted(PayaraProcess server, String notSolved) {
        try {
            server.awaitLog(Pattern.compile(NO_SCHEME.pattern() + "|" + READY.pattern()));
        } catch (IllegalStateException e) {
            if (server.count(NO_SCHEME) == 0) {
                throw e;
            }
        }
        if (server.count(NO_SCHEME) > 0) {
            fail(notSolved);
        }
        server.awaitReady();
    }
}
