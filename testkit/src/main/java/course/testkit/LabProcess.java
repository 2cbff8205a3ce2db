package course.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A hand lab's command that keeps running, such as a server the README has the learner start in a second
 * terminal: like {@link LabScript}, bash runs the lab's own script from the folder the README names, and
 * {@link #close()} stops it with every process it started, as Ctrl+C would.
 */
public final class LabProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path output;

    private LabProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code bash <script> <args>} from the course's root folder; {@code script} is relative to the module folder. */
    public static LabProcess startFromCourseFolder(String script, String... args) {
        return start(Path.of(script).toAbsolutePath(), Path.of("").toAbsolutePath().getParent(), args);
    }

    private static LabProcess start(Path script, Path workingDir, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        try {
            // A file, not a pipe: nobody has to drain it, and it is still there to quote when the lab fails.
            Path output = Files.createTempFile("lab-", ".log");
            Process process = new ProcessBuilder(command).directory(workingDir.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            return new LabProcess(process, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What it printed so far, stdout and stderr in order. */
    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code url} answers any HTTP status, polling at most {@code atMost}; fails at once, with what
     * the lab printed, if the lab ends first, and with the same when the time is up.
     */
    public LabProcess awaitAnswering(URI url, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("The lab ended with " + process.exitValue() + " before " + url
                        + " answered:\n" + output());
            }
            try {
                HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return this;
            } catch (IOException notYet) {
                try {
                    // The lab's server is still starting: wait for its exit a moment, which returns at once if it ends.
                    process.waitFor(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError(url + " did not answer within " + atMost + "; the lab printed:\n" + output());
    }

    /** Stops the script and everything it started, and deletes its output. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            output.toFile().delete();
        }
    }
}
