package course.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Keeps every temporary file of a test run inside the module's {@code target/tmp}, and deletes them
 * when the run ends, so {@code mvn verify} leaves nothing in the system's temp folder: not the
 * runtime folders of Payara Micro processes the tests stopped or killed, not Arquillian's deployments,
 * not a browser profile. The build points {@code java.io.tmpdir} and {@code TMPDIR} of the test JVM
 * there (parent pom, failsafe); {@link #path()} passes it on to every process the tests start.
 */
public final class RunTempFolder implements LauncherSessionListener {

    /** What the folder held when the run began: the test runner's own files, which it removes itself. */
    private Set<Path> before = Set.of();

    /** The test JVM's temp folder, which the build set to {@code target/tmp}. */
    public static Path path() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Creates the folder if the build did not (the JVM does not create its tmpdir), and notes what it holds. */
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            Files.createDirectories(path());
            try (Stream<Path> files = Files.list(path())) {
                before = files.collect(Collectors.toSet());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits for every process the run started to end (Arquillian stops its Payara Micro without waiting for it),
     * ends any still running after a minute, then deletes what the run added to the folder; only when the build
     * moved the folder into target, never in a system folder. Without the wait, a Payara Micro removing its own
     * runtime folder races with the test runner's removal of the same folder.
     */
    @Override
    public void launcherSessionClosed(LauncherSession session) {
        endChildProcesses();
        if (!path().toAbsolutePath().normalize().endsWith(Path.of("target", "tmp"))) {
            return;
        }
        try (Stream<Path> added = Files.list(path())) {
            added.filter(p -> !before.contains(p)).forEach(RunTempFolder::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void endChildProcesses() {
        List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(60, TimeUnit.SECONDS);
            } catch (TimeoutException stillRunning) {
                child.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new IllegalStateException("Process " + child.pid() + " did not end when killed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void delete(Path tree) {
        // A process still shutting down (Payara Micro removing its own runtime folder) may delete files while
        // they are walked: what vanished needs no deleting, so walk again, a few times, until the tree is gone.
        for (int walk = 0; walk < 5 && Files.exists(tree, LinkOption.NOFOLLOW_LINKS); walk++) {
            try (Stream<Path> files = Files.walk(tree)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (NoSuchFileException vanished) {
                // deleted by its owner meanwhile
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException)) {
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
