package course.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A RabbitMQ node of one test's own, on ports of its own, for lessons that stop or restart the broker:
 * the shared broker on 5672 stays up for everything else. The node runs as the current user, root or
 * not, from the scripts of a local RabbitMQ installation (see {@link #scripts()}); without one, the test
 * is skipped with one sentence saying what it needs. {@link #close()} stops the node and deletes its
 * folder, also after a failed test.
 */
public final class PrivateBroker implements AutoCloseable {

    private final Path scripts;
    private final String node;
    private final int port;
    /** Erlang distribution (rabbitmqctl talks to the node here): port + 20000 if that is a port, else a free one. */
    private final int distPort;
    private final Path dir;
    /**
     * What its CLI tools run with: a node configured with a shorter {@code net_ticktime} than Erlang's 60 s expects its
     * peers, rabbitmqctl too, to tick as often, or it drops a command that waits longer than that.
     */
    private final Map<String, String> cliEnv;
    /** Set while the node is stopped by SIGSTOP: {@link PrivateCluster#live()} asks another node. */
    private volatile boolean frozen;
    /** Set once the node's VM is killed ({@link #kill()}): close() has nothing left to stop, and must not wait for it. */
    private volatile boolean killed;

    private PrivateBroker(Path scripts, String node, int port, Path dir, List<String> configLines) {
        this.scripts = scripts;
        this.cliEnv = configLines.stream().filter(line -> line.matches("net_ticktime\\s*=\\s*\\d+")).findFirst()
                .map(line -> Map.of("RABBITMQ_CTL_ERL_ARGS", "-kernel net_ticktime " + line.replaceAll("\\D", "")))
                .orElse(Map.of());
        this.node = node;
        this.port = port;
        this.distPort = port + 20000 <= 65535 ? port + 20000 : PayaraProcess.freePort();
        this.dir = dir;
    }

    /**
     * Where a local installation keeps the scripts that run a node as the current user, most specific
     * first: {@code RABBITMQ_SCRIPTS} if set; Debian's and Ubuntu's package (its {@code /usr/sbin}
     * commands are wrappers that only root or the rabbitmq user may run, the package's own scripts are
     * not); Homebrew on Apple silicon and on Intel; a generic or RPM installation. The first folder that
     * holds both {@code rabbitmq-server} and {@code rabbitmqctl} wins.
     */
    private static final List<String> SCRIPT_FOLDERS = List.of(
            "/usr/lib/rabbitmq/bin",
            "/opt/homebrew/opt/rabbitmq/sbin", "/usr/local/opt/rabbitmq/sbin",
            "/usr/lib/rabbitmq/sbin", "/usr/local/sbin");

    /** Why a test that needs a private node cannot run here: shown as the skip reason. */
    public static final String NEEDS = "This test starts a private RabbitMQ node of its own and needs a local RabbitMQ "
            + "installation (Debian's or Ubuntu's rabbitmq-server package, or Homebrew's rabbitmq), which this "
            + "machine lacks (a broker in Docker is not enough): install one, or set RABBITMQ_SCRIPTS to the "
            + "folder that holds its rabbitmq-server and rabbitmqctl.";

    /** The folder holding {@code rabbitmq-server} and {@code rabbitmqctl}, if this machine has one. */
    public static Optional<Path> scripts() {
        List<String> folders = new ArrayList<>();
        String configured = System.getenv("RABBITMQ_SCRIPTS");
        if (configured != null && !configured.isBlank()) {
            folders.add(configured);
        }
        folders.addAll(SCRIPT_FOLDERS);
        return scripts(folders);
    }

    /** The first of {@code folders} that holds both scripts. */
    public static Optional<Path> scripts(List<String> folders) {
        return folders.stream().map(Path::of)
                .filter(dir -> Files.isExecutable(dir.resolve("rabbitmq-server"))
                        && Files.isExecutable(dir.resolve("rabbitmqctl")))
                .findFirst();
    }

    /** The scripts' folder; without one, the calling test is skipped (aborted) with {@link #NEEDS} as its reason. */
    public static Path requireScripts(Optional<Path> scripts) {
        Assumptions.assumeTrue(scripts.isPresent(), NEEDS);
        return scripts.orElseThrow();
    }

    /** Starts a node named {@code <name>@localhost} on the AMQP port given, and waits until it is up. */
    public static PrivateBroker start(String name, int port) {
        return start(name, port, List.of());
    }

    /**
     * As {@link #start(String, int)}, with more rabbitmq.conf lines, for example a TLS listener:
     * {@code listeners.ssl.default = 5671} and the {@code ssl_options.*} it needs. Without a local
     * RabbitMQ installation, the calling test is skipped with one sentence saying what it needs.
     */
    public static PrivateBroker start(String name, int port, List<String> configLines) {
        Path scripts = requireScripts(scripts());
        try {
            Path dir = Files.createTempDirectory("private-rabbitmq-");
            List<String> config = new ArrayList<>(List.of("listeners.tcp.default = " + port, "loopback_users = none"));
            config.addAll(configLines);
            Files.write(dir.resolve("rabbitmq.conf"), config);
            Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
            PrivateBroker broker = new PrivateBroker(scripts, name + "@localhost", port, dir, configLines);
            // The node runs detached, outside the test JVM's process tree: if a test's clean-up fails before
            // close(), this still stops it when the JVM ends, so no node outlives the run.
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, name + "-stop"));
            try {
                broker.startNode();
            } catch (RuntimeException notStarted) {
                broker.close(); // a half-started node goes now, not at the JVM's end
                throw notStarted;
            }
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The Erlang node name, {@code <name>@localhost}: what rabbitmqctl and the queue's leader and members name. */
    public String nodeName() {
        return node;
    }

    /** Whether {@link #freeze()} froze the node and {@link #thaw()} has not woken it yet. */
    public boolean isFrozen() {
        return frozen;
    }

    /** Whether {@link #kill()} killed the node (and it was not started again since). */
    public boolean isKilled() {
        return killed;
    }

    /** The process id of the node's Erlang VM, from the pid file the node writes at start. */
    public long pid() {
        try {
            return Long.parseLong(Files.readString(dir.resolve("pid")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("The node " + node + " wrote no pid file", e);
        }
    }

    /**
     * Kills the node's Erlang VM with SIGKILL, as a machine that loses power would: no goodbye to its clients or
     * to the other nodes, whose connections simply break. Returns once the process is gone.
     */
    public void kill() {
        long pid = pid();
        run(List.of("kill", "-KILL", String.valueOf(pid)), Map.of(), 10);
        killed = true;
        frozen = false;
        ProcessHandle.of(pid).ifPresent(vm -> vm.onExit().orTimeout(10, TimeUnit.SECONDS).join());
    }

    /** Stops the whole node, as a crash or a maintenance stop would; persistent messages stay on disk. */
    public void stopNode() {
        rabbitmqctl("stop");
    }

    /**
     * Freezes the node with SIGSTOP: it keeps its sockets open and answers nothing, like a stuck host or
     * a long pause. Clients see no error, only silence, until {@link #thaw()}.
     */
    public void freeze() {
        signal("STOP");
        frozen = true;
    }

    /** Wakes a frozen node with SIGCONT; it goes on where it stopped. */
    public void thaw() {
        signal("CONT");
        frozen = false;
    }

    private void signal(String name) {
        run(List.of("kill", "-" + name, String.valueOf(pid())), Map.of(), 10);
    }

    /** Starts the node again on the same folder, and waits until it accepts connections. */
    public void startNode() {
        killed = false;
        Map<String, String> env = Map.of(
                "RABBITMQ_NODENAME", node,
                "RABBITMQ_NODE_PORT", String.valueOf(port),
                "RABBITMQ_DIST_PORT", String.valueOf(distPort),
                "RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString(),
                "RABBITMQ_LOG_BASE", dir.resolve("log").toString(),
                "RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq").toString(),
                "RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString(),
                "RABBITMQ_PID_FILE", dir.resolve("pid").toString());
        run(List.of(scripts.resolve("rabbitmq-server").toString(), "-detached"), env, 60);
        // -detached returns at once, before the node is even known to epmd, and await_startup
        // fails at once on a node that is not known yet: so ask until it is. Each rabbitmqctl is an Erlang VM of its
        // own (about 1 s of CPU here), so while epmd does not list the node yet, this JVM asks epmd itself, which
        // costs nothing; that kept several nodes starting at once (PrivateCluster) from spending their cores on
        // rabbitmqctl VMs that could only fail. After EPMD_GRACE without epmd's answer (epmd elsewhere), it asks
        // rabbitmqctl anyway.
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            boolean ask = listedByEpmd() || System.nanoTime() - started > EPMD_GRACE_NANOS;
            if (ask) {
                try {
                    rabbitmqctl("await_startup", "--timeout", "120");
                    return;
                } catch (IllegalStateException notYetKnown) {
                    if (System.nanoTime() > deadline) {
                        throw notYetKnown;
                    }
                }
            } else if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The node " + node + " did not register with epmd within 120 s.");
            }
            pause(ask ? 500 : 100); // between two polls of rabbitmqctl or epmd, each of which is the condition
        }
    }

    /** How long {@link #startNode()} waits for epmd to list the node before it asks rabbitmqctl regardless. */
    private static final long EPMD_GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * Whether epmd, the Erlang port mapper on this machine, lists the node: then rabbitmqctl can reach it. Asked as
     * {@code epmd -names} does (NAMES_REQ on its port, ERL_EPMD_PORT or 4369); false while epmd does not answer.
     */
    private boolean listedByEpmd() {
        String shortName = node.substring(0, node.indexOf('@'));
        int epmdPort = Integer.parseInt(System.getenv().getOrDefault("ERL_EPMD_PORT", "4369"));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), epmdPort), 1_000);
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write(new byte[] {0, 1, 'n'}); // length 1, NAMES_REQ
            byte[] answer = socket.getInputStream().readAllBytes(); // epmd's port (4 bytes), then "name N at port P" lines
            return answer.length > 4 && new String(answer, 4, answer.length - 4, StandardCharsets.US_ASCII).lines()
                    .anyMatch(line -> line.startsWith("name " + shortName + " at port "));
        } catch (IOException notAnswering) {
            return false;
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
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
        List<String> command = new ArrayList<>(List.of(scripts.resolve("rabbitmqctl").toString(), "-n", node));
        command.addAll(List.of(args));
        return run(command, cliEnv, 150);
    }

    /**
     * Runs {@code rabbitmq-queues -n <node> <args>}, for example {@code grow} or {@code quorum_status}; fails unless
     * it succeeds, and returns what it printed.
     */
    public String rabbitmqQueues(String... args) {
        List<String> command = new ArrayList<>(List.of(scripts.resolve("rabbitmq-queues").toString(), "-n", node));
        command.addAll(List.of(args));
        return run(command, cliEnv, 150);
    }

    @Override
    public synchronized void close() {
        if (!Files.exists(dir)) {
            return; // closed already: by the test, or by the shutdown hook
        }
        try {
            if (!killed) {
                // SIGKILL, not rabbitmqctl stop: the node and its folder are thrown away, so a graceful stop (a
                // rabbitmqctl VM, and a cluster member's goodbye to the others) would only cost seconds. Frozen or not.
                // Only while epmd lists the node (then its pid file is this start's) and that pid is an Erlang VM:
                // after a stopNode() the file names a process that is gone, and its pid may be someone else's by now.
                long pid = pid();
                if (!listedByEpmd() || !ProcessHandle.of(pid).flatMap(vm -> vm.info().command()).filter(c -> c.contains("beam")).isPresent()) {
                    throw new IllegalStateException("The node " + node + " does not run as process " + pid);
                }
                kill();
            }
        } catch (RuntimeException notRunningAsItsPidFileSays) {
            try {
                rabbitmqctl("stop"); // never wrote its pid file: ask it, if it is there at all
            } catch (RuntimeException alreadyStopped) {
                // stopped by the test, or never started: the folder still goes
            }
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
