package course.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a hand lab's commands exactly as the README prints them: the lab lives in a script such as
 * {@code labs/kill-a-worker.sh}, the README quotes its tagged region through {@link DocSnippets}
 * ({@code <!-- include: labs/kill-a-worker.sh#lab -->}), and the test runs the same file with bash,
 * from the folder the README tells the learner to be in. A lab that fails as printed fails its test.
 */
public final class LabScript {

    private final Path script;
    private final Path workingDir;

    private LabScript(Path script, Path workingDir) {
        this.script = script;
        this.workingDir = workingDir;
    }

    /** The script at {@code path} (relative to the module folder), run from the module folder. */
    public static LabScript of(String path) {
        return new LabScript(Path.of(path).toAbsolutePath(), Path.of("").toAbsolutePath());
    }

    /** Runs it from the course's root folder instead, for labs the README starts there. */
    public LabScript fromCourseFolder() {
        return new LabScript(script, Path.of("").toAbsolutePath().getParent());
    }

    /** What a finished run printed (stdout and stderr in order) and how it ended. */
    public record Result(int exitCode, String output) {

        /** Fails with the script's own output unless it exited with 0. */
        public Result assertSucceeded() {
            if (exitCode != 0) {
                throw new AssertionError("The lab script exited with " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    /**
     * Runs {@code bash <script> <args>} with the environment given on top of the test's own, and
     * waits at most {@code timeout}; a script still running then is killed and the run fails.
     */
    public Result run(Map<String, String> env, Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Path output = null;
        try {
            // A file, not a pipe: a script that starts a background process keeps a pipe open after it ends.
            output = Files.createTempFile("lab-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(script.getFileName() + " did not finish within " + timeout + ":\n"
                        + Files.readString(output));
            }
            return new Result(process.exitValue(), Files.readString(output));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }
}
