package course.testkit;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * CPU time used by the test JVM (the load-generating clients) and by the processes it started (the
 * server under test, which Arquillian launches as a child), between two points of an experiment.
 * On a small machine both compete for the same cores; this shows which side was doing the work.
 */
public final class CpuUsage {

    private final long clientNanos;
    private final long serverNanos;
    private final long wallNanos;

    private CpuUsage(long clientNanos, long serverNanos, long wallNanos) {
        this.clientNanos = clientNanos;
        this.serverNanos = serverNanos;
        this.wallNanos = wallNanos;
    }

    /** CPU used so far, to subtract from a later snapshot. */
    public static CpuUsage now() {
        return new CpuUsage(thisJvm(), descendants(), System.nanoTime());
    }

    /** The CPU used since {@code before}, as a table cell: {@code "client 12.1 s (0.20 cores), server 35.4 s (0.59 cores)"}. */
    public String since(CpuUsage before) {
        double wall = (wallNanos - before.wallNanos) / 1e9;
        return side("client JVM", clientNanos - before.clientNanos, wall)
                + ", " + side("server", serverNanos - before.serverNanos, wall);
    }

    private static String side(String name, long cpuNanos, double wallSeconds) {
        if (cpuNanos < 0) {
            return name + " n/a";
        }
        double cpu = cpuNanos / 1e9;
        return String.format(Locale.ROOT, "%s %.1f s CPU (%.2f cores)", name, cpu, cpu / wallSeconds);
    }

    /** CPU time this JVM has used so far, in nanoseconds (-1 when the OS does not say): for an experiment whose consumer runs in-process. */
    public static long thisJvm() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Sum over child processes; -1 when the OS does not report it (then the table says n/a). */
    private static long descendants() {
        long[] total = {0};
        boolean[] known = {false};
        ProcessHandle.current().descendants().forEach(p -> p.info().totalCpuDuration().ifPresent(d -> {
            total[0] += d.toNanos();
            known[0] = true;
        }));
        return known[0] ? total[0] : -1;
    }
}
