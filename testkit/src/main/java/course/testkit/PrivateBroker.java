package course.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A RabbitMQ node of one test's own, on ports of its own, for lessons that stop or restart the broker:
 * the shared broker on 5672 stays up for everything else. Needs the {@code rabbitmq-server} and
 * {@code rabbitmqctl} commands of a local RabbitMQ installation (Debian's package has them).
 * {@link #close()} stops the node and deletes its folder, also after a failed test.
 */
public final class PrivateBroker implements AutoCloseable {

    private final String node;
    private final int port;
    /** Erlang distribution (rabbitmqctl talks to the node here): port + 20000 if that is a port, else a free one. */
    private final int distPort;
    private final Path dir;

    private PrivateBroker(String node, int port, Path dir) {
        this.node = node;
        this.port = port;
        this.distPort = port + 20000 <= 65535 ? port + 20000 : PayaraProcess.freePort();
        this.dir = dir;
    }

    /** Starts a node named {@code <name>@localhost} on the AMQP port given, and waits until it is up. */
    public static PrivateBroker start(String name, int port) {
        return start(name, port, List.of());
    }

    /**
     * As {@link #start(String, int)}, with more rabbitmq.conf lines, for example a TLS listener:
     * {@code listeners.ssl.default = 5671} and the {@code ssl_options.*} it needs. Files those lines
     * name must be readable by the {@code rabbitmq} user.
     */
    public static PrivateBroker start(String name, int port, List<String> configLines) {
        try {
            Path dir = Files.createTempDirectory("private-rabbitmq-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxrwxrwx")));
            List<String> config = new ArrayList<>(List.of("listeners.tcp.default = " + port, "loopback_users = none"));
            config.addAll(configLines);
            Files.write(dir.resolve("rabbitmq.conf"), config);
            Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
            // Debian's rabbitmq-server runs the node as the rabbitmq user, which must own the folder.
            run(List.of("chown", "-R", "rabbitmq:rabbitmq", dir.toString()), Map.of(), 30);
            PrivateBroker broker = new PrivateBroker(name + "@localhost", port, dir);
            broker.startNode();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Stops the whole node, as a crash or a maintenance stop would; persistent messages stay on disk. */
    public void stopNode() {
        rabbitmqctl("stop");
    }

    /** Starts the node again on the same folder, and waits until it accepts connections. */
    public void startNode() {
        Map<String, String> env = Map.of(
                "RABBITMQ_NODENAME", node,
                "RABBITMQ_NODE_PORT", String.valueOf(port),
                "RABBITMQ_DIST_PORT", String.valueOf(distPort),
                "RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString(),
                "RABBITMQ_LOG_BASE", dir.resolve("log").toString(),
                "RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq").toString(),
                "RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString(),
                "RABBITMQ_PID_FILE", dir.resolve("pid").toString());
        run(List.of("rabbitmq-server", "-detached"), env, 60);
        // -detached returns at once, before the node is even known to epmd, and await_startup
        // fails at once on a node that is not known yet: so ask until it is.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                rabbitmqctl("await_startup", "--timeout", "120");
                return;
            } catch (IllegalStateException notYetKnown) {
                if (System.nanoTime() > deadline) {
                    throw notYetKnown;
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500); // between two polls of rabbitmqctl, which itself is the condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code rabbitmqctl -n <node> <args>}, for example {@code add_vhost}; fails unless it
     * succeeds, and returns what it printed (for example {@code list_connections ... --formatter json}).
     */
    public String rabbitmqctl(String... args) {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-n", node));
        command.addAll(List.of(args));
        return run(command, Map.of(), 150);
    }

    @Override
    public void close() {
        try {
            rabbitmqctl("stop");
        } catch (RuntimeException alreadyStopped) {
            // stopped by the test, or never started: the folder still goes
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String run(List<String> command, Map<String, String> env, int timeoutSeconds) {
        Path output = null;
        try {
            // Output goes to a file, not a pipe: a detached node keeps its parent's pipes open.
            output = Files.createTempFile("rabbitmq-command-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(output));
            }
            return Files.readString(output);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + command.get(0)
                    + ": this test starts a private RabbitMQ node and needs a local RabbitMQ installation.", e);
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
