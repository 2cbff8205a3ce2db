package course.testkit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Describes the machine an experiment ran on, in one line for its result table: numbers without
 * the machine they came from cannot be compared.
 */
public final class Machine {

    private Machine() {
    }

    /** Cores, CPU model, memory, OS and JDK, and the load average just now (other work on the box shows there). */
    public static String describe() {
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpuModel() + "), "
                + memory() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                + ", JDK " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
                + ", " + loadAverage();
    }

    /** The 1-minute load average, for example {@code "load 1.85"}: above the core count, the box was busy. */
    public static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "load n/a" : String.format(Locale.ROOT, "load %.2f", load);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch"); // not Linux: the architecture is the best we know
        }
    }

    private static String memory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return String.format(Locale.ROOT, "%.1f GB RAM", os.getTotalMemorySize() / 1e9);
        }
        return "RAM n/a";
    }
}
