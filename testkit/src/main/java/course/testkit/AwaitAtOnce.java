package course.testkit;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes every Awaitility wait of a test run look at its condition at once, and then every 100 ms as before, instead
 * of first sleeping the 100 ms Awaitility waits by default: a condition that already holds (the producer is connected,
 * the line was printed) then costs nothing, not 100 ms a wait, which a module's hundreds of waits add up to. A module
 * opts in by naming this class in its own {@code src/test/resources/META-INF/services/}
 * {@code org.junit.platform.launcher.LauncherSessionListener}; a wait that gives its own {@code pollDelay} keeps it.
 */
public final class AwaitAtOnce implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
    }
}
