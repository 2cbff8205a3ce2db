package course.testkit;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * The module's WAR in a Payara Micro process of its own, started the way a learner starts a second
 * instance from a terminal. Tests use it for processes they must stop, kill -9 or run several of,
 * next to the one Arquillian manages. Every line the process prints is kept, so tests can wait for
 * the log markers the README shows.
 */
public final class PayaraProcess implements AutoCloseable {

    /** Payara Micro prints this once the application is deployed and the HTTP port is open. */
    private static final Pattern READY = Pattern.compile("Payara Micro .* ready in");
    /** Payara Micro prints this when it cannot boot, for example when its HTTP port is taken, and then does not exit. */
    private static final Pattern FAILED = Pattern.compile("Failed to start, exiting");
    /** The port Payara Micro bound, in the instance configuration it prints once deployed. */
    private static final Pattern HTTP_PORT = Pattern.compile("\"Http Port\\(s\\)\": \"(\\d+)");
    /** Where {@link #freePort()} looks: below the ephemeral range, above the course's fixed ports (80xx, 156xx). */
    private static final int PORTS_FROM = 20_000;
    private static final int PORTS_TO = 25_000;
    /** Every port {@link #freePort()} returned in this JVM: two callers in a row never get the same one. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private final String name;
    private final Process process;
    /** The port asked for; with {@code --autobindhttp}, Payara Micro takes the next free one if it is taken. */
    private final int port;
    private final boolean autobind;
    /** Its java.io.tmpdir, where Payara Micro unpacks its runtime: deleted by {@link #close()}. */
    private final Path tempFolder;
    /** Appended to by the reader thread; read through {@link #lines()}, which copies under the lock. */
    private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());

    private PayaraProcess(String name, Process process, int port, boolean autobind, Path tempFolder) {
        this.name = name;
        this.tempFolder = tempFolder;
        this.process = process;
        this.port = port;
        this.autobind = autobind;
        Thread reader = new Thread(this::readOutput, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code target/<finalName>.war} on a free port, with the given system properties (the
     * app's MicroProfile Config keys), and returns without waiting: see {@link #awaitReady()}. Payara
     * Micro binds the next free port if another process took this one meanwhile ({@code --autobindhttp}),
     * so {@link #port()} is known once the process is ready.
     */
    public static PayaraProcess start(String name, String finalName, Map<String, String> systemProperties) {
        return launch(name, finalName, freePort(), systemProperties, List.of("--autobindhttp"), true);
    }

    /** As {@link #start(String, String, Map)}, on a port the caller chose (see {@link #freePort()}). */
    public static PayaraProcess start(String name, String finalName, int port, Map<String, String> systemProperties) {
        return start(name, finalName, port, systemProperties, List.of());
    }

    /**
     * As {@link #start(String, String, int, Map)}, with more Payara Micro options, for example
     * {@code --sslport 8443 --sslcert shop} for HTTPS.
     */
    public static PayaraProcess start(String name, String finalName, int port, Map<String, String> systemProperties,
            List<String> microOptions) {
        return launch(name, finalName, port, systemProperties, microOptions, false);
    }

    private static PayaraProcess launch(String name, String finalName, int port, Map<String, String> systemProperties,
            List<String> microOptions, boolean autobind) {
        String jar = System.getProperty("payara.microJar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("No Payara Micro jar at " + jar + ": run the tests through Maven (mvn verify).");
        }
        File war = new File("target", finalName + ".war");
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        // Its runtime folder goes into a temp folder of its own, which close() deletes, even after kill -9.
        Path tempFolder = tempFolderFor(name);
        command.add("-Djava.io.tmpdir=" + tempFolder);
        command.addAll(FullJit.jvmOptions()); // C1 only, unless an experiment measures this process
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar, "--deploy", war.getAbsolutePath(), "--contextroot", "/",
                "--port", String.valueOf(port), "--nocluster", "--nohazelcast"));
        command.addAll(microOptions);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new PayaraProcess(name, process, port, autobind, tempFolder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until Payara Micro says the app is deployed; fails with the process's last lines if it dies. */
    public PayaraProcess awaitReady() {
        return awaitLog(READY);
    }

    /**
     * How long {@link #awaitLog} waits: 180 s, ten times a quiet boot. A machine shared with other builds (load 20
     * and more on 2 cores) can take longer to boot two processes at once; {@code -Dpayara.await-seconds} raises it
     * there, and changes nothing that is measured.
     */
    private static final long AWAIT_SECONDS = Long.getLong("payara.await-seconds", 180);

    /** Waits for a line matching the pattern, for example a log marker such as {@code " [x] Received 'email #"}. */
    public PayaraProcess awaitLog(Pattern pattern) {
        try {
            await(name + " to print " + pattern).atMost(Duration.ofSeconds(AWAIT_SECONDS)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        List<String> seen = lines();
                        if (seen.stream().anyMatch(l -> FAILED.matcher(l).find())) {
                            throw new IllegalStateException(name + " failed to start" + (seen.stream().anyMatch(
                                    l -> l.contains("Address already in use")) ? ": its HTTP port " + port
                                    + " was taken by another process meanwhile" : "") + lastLines());
                        }
                        if (!process.isAlive() && seen.stream().noneMatch(l -> pattern.matcher(l).find())) {
                            throw new IllegalStateException(name + " exited with " + process.exitValue() + lastLines());
                        }
                        return seen.stream().anyMatch(l -> pattern.matcher(l).find());
                    });
        } catch (ConditionTimeoutException e) {
            // The process is alive but silent about what we wait for: its own words say why, its threads where it is.
            throw new IllegalStateException(name + " did not print " + pattern + " within " + AWAIT_SECONDS + " s" + threadDump() + lastLines(), e);
        }
        return this;
    }

    /**
     * Saves the process's threads next to the test's output (once in CI, a boot hung inside Hazelcast's start), and
     * says where, for a failure message: {@code "; its threads are in ..."}.
     */
    public String threadDump() {
        Path file = Path.of("target", name + "-threads.txt");
        try {
            Process jcmd = new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin" + File.separator + "jcmd",
                    String.valueOf(process.pid()), "Thread.print").redirectErrorStream(true).redirectOutput(file.toFile()).start();
            if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
            }
            return "; its threads are in " + file.toAbsolutePath();
        } catch (IOException e) {
            return "; no thread dump (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The last 40 lines the process printed, for a failure message. */
    private String lastLines() {
        List<String> seen = lines();
        return "; last lines:\n" + String.join("\n", seen.subList(Math.max(0, seen.size() - 40), seen.size()));
    }

    /** How many printed lines match: for example how often a task was received. */
    public long count(Pattern pattern) {
        return lines().stream().filter(l -> pattern.matcher(l).find()).count();
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The HTTP port: the one asked for, or with {@code --autobindhttp} the one Payara Micro says it bound. */
    public int port() {
        if (!autobind) {
            return port;
        }
        return lines().stream().map(HTTP_PORT::matcher).filter(Matcher::find)
                .map(m -> Integer.parseInt(m.group(1))).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " has not said its HTTP port yet: awaitReady() first"));
    }

    /** The process id, for the JDK's tools: {@code jcmd <pid> Thread.print}, a flight recording. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the JVM gets no chance to close connections or finish anything, as with a power cut. */
    public void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM: the JVM runs its shutdown hooks, so the app undeploys and closes its connections. */
    public void stop() {
        process.destroy();
        waitForExit();
    }

    /**
     * Stops the process if it still runs, deletes its temp folder (a killed Payara Micro cannot remove its
     * runtime folder itself), and keeps its output in target/NAME.log for a look after the test.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        if (Files.exists(tempFolder)) { // closing twice is fine: the second time finds it gone
            try (Stream<Path> files = Files.walk(tempFolder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            Files.write(Path.of("target", name + ".log"), lines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The temp folder this process unpacks its runtime into; gone after {@link #close()}. */
    public Path tempFolder() {
        return tempFolder;
    }

    private static Path tempFolderFor(String name) {
        try {
            return Files.createTempDirectory(RunTempFolder.path(), name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(output closed: " + e + ")");
        }
    }

    /**
     * A port nothing listens on right now: for instances that must know each other's address before
     * they start. It is picked at random below the kernel's ephemeral range (32768 and up on Linux),
     * because the kernel hands ports from that range to every outgoing connection, and one of them
     * could take the port in the seconds before Payara Micro binds it.
     */
    public static int freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(PORTS_FROM, PORTS_TO);
            if (!HANDED_OUT.add(port)) {
                continue; // given to an earlier caller, which may not have bound it yet
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // someone listens there: try another
            }
        }
        throw new IllegalStateException("No free port between " + PORTS_FROM + " and " + PORTS_TO + " after 200 tries.");
    }

    /** The java of the JVM running the tests: the toolchain's JDK 21+, as for Arquillian's Payara. */
    private static String javaExecutable() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
