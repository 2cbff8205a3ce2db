package course.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JDK Flight Recording of one phase of an experiment, taken in the test JVM (the load generator) and in the
 * server it measures at the same time, when the run asks for it with {@code -Dexperiment.profile=true}: where did
 * each side's CPU go. The recordings land in {@code target/NAME-client.jfr} and {@code target/NAME-server.jfr}
 * (open them in JDK Mission Control, or {@code jfr print --events jdk.ExecutionSample}), and {@link #close()} prints
 * each one's hottest methods and threads. Without the property it records nothing and costs nothing.
 */
public final class FlightRecording implements AutoCloseable {

    private static final String RECORDING = "experiment";
    private static final String CPU_TIME_SAMPLE = "jdk.CPUTimeSample";

    private final Recording client;
    private final Path clientFile;
    private final long serverPid;
    private final Path serverFile;

    private FlightRecording(Recording client, Path clientFile, long serverPid, Path serverFile) {
        this.client = client;
        this.clientFile = clientFile;
        this.serverPid = serverPid;
        this.serverFile = serverFile;
    }

    /** Starts recording both sides if {@code -Dexperiment.profile=true}; else a recording that does nothing. */
    public static FlightRecording ifAsked(String name, PayaraProcess server) {
        if (!Boolean.getBoolean("experiment.profile")) {
            return new FlightRecording(null, null, -1, null);
        }
        Path clientFile = Path.of("target", name + "-client.jfr").toAbsolutePath();
        Path serverFile = Path.of("target", name + "-server.jfr").toAbsolutePath();
        try {
            // "profile": JFR's own settings, shipped with the JDK; plus, on JDK 25+, a stack sample per 10 ms of CPU
            // time a thread used (JEP 509), which sees the time in system calls too, where a socket's work is done
            Recording client = new Recording(Configuration.getConfiguration("profile"));
            client.enable(CPU_TIME_SAMPLE).with("throttle", "10ms");
            client.setDestination(clientFile);
            client.start();
            jcmd(server.pid(), "JFR.start", "name=" + RECORDING, "settings=profile", "filename=" + serverFile,
                    CPU_TIME_SAMPLE + "#enabled=true", CPU_TIME_SAMPLE + "#throttle=10ms");
            return new FlightRecording(client, clientFile, server.pid(), serverFile);
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("Could not start the flight recordings: " + e, e);
        }
    }

    /** Stops both recordings, writes them, and prints where each side's samples fell. */
    @Override
    public void close() {
        if (client == null) {
            return;
        }
        client.stop(); // writes clientFile
        client.close();
        jcmd(serverPid, "JFR.stop", "name=" + RECORDING); // writes serverFile
        System.out.println(summary("client (test JVM)", clientFile) + summary("server", serverFile));
    }

    /**
     * Where one recording's CPU went, as text: the hottest methods (the top frame of each stack sample), the methods
     * most often anywhere on the stack outside the JDK (what called the hot code), and the threads. It reads the CPU
     * time samples if the recording has them, else the JVM's classic execution samples (Java code only).
     */
    public static String summary(String side, Path file) {
        List<RecordedEvent> cpuTime = new ArrayList<>();
        List<RecordedEvent> execution = new ArrayList<>();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                switch (event.getEventType().getName()) {
                    case CPU_TIME_SAMPLE -> cpuTime.add(event);
                    case "jdk.ExecutionSample" -> execution.add(event);
                    default -> { }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean byCpuTime = !cpuTime.isEmpty();
        List<RecordedEvent> samples = byCpuTime ? cpuTime : execution;
        String thread = byCpuTime ? "eventThread" : "sampledThread";
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "[profile] %s: %,d %s in %s%n", side,
                samples.size(), byCpuTime ? "CPU time samples (one per 10 ms of a thread's CPU)"
                        : "execution samples (Java code only)", file));
        top(out, "top frames", samples, e -> List.of(frame(e, 0)), 25);
        top(out, "on the stack, outside the JDK (inclusive)", samples, FlightRecording::nonJdkMethods, 30);
        top(out, "threads", samples, e -> List.of(threadGroup(e.getThread(thread))), 8);
        return out.toString();
    }

    private static void top(StringBuilder out, String title, List<RecordedEvent> samples,
            Function<RecordedEvent, Collection<String>> keys, int limit) {
        Map<String, Integer> counts = new HashMap<>();
        samples.forEach(e -> keys.apply(e).forEach(key -> counts.merge(key, 1, Integer::sum)));
        out.append("[profile]   ").append(title).append(":\n");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(e -> out.append(String.format(Locale.ROOT, "[profile]     %5.1f%%  %s%n",
                        100.0 * e.getValue() / samples.size(), e.getKey())));
    }

    /** Each method outside the JDK on the sample's stack, once. */
    private static Collection<String> nonJdkMethods(RecordedEvent sample) {
        Set<String> methods = new LinkedHashSet<>();
        if (sample.getStackTrace() != null) {
            for (RecordedFrame frame : sample.getStackTrace().getFrames()) {
                String type = frame.getMethod().getType().getName();
                if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                    methods.add(type + "." + frame.getMethod().getName());
                }
            }
        }
        return methods;
    }

    private static String frame(RecordedEvent sample, int depth) {
        List<RecordedFrame> frames = sample.getStackTrace() == null ? List.of() : sample.getStackTrace().getFrames();
        if (frames.size() <= depth) {
            return "(no frame)";
        }
        RecordedFrame frame = frames.get(depth);
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** A thread's name without its number, so a pool's threads count as one. */
    private static String threadGroup(RecordedThread thread) {
        String name = thread == null ? null : thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
        return name == null ? "(unnamed)" : name.replaceAll("\\d+", "#");
    }

    private static void jcmd(long pid, String... command) {
        List<String> line = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin"
                + File.separator + "jcmd", String.valueOf(pid)));
        line.addAll(List.of(command));
        try {
            Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes());
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", line) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
