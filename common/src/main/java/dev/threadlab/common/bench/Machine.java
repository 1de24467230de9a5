package dev.threadlab.common.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * What a benchmark says about the machine it ran on, the same way in every module: the load
 * average before and after (other work competing for the cores makes times slow and ratios
 * noisy), and a warning when the machine is busier than it has cores.
 */
public final class Machine {

    private static final Path LOADAVG = Path.of("/proc/loadavg");

    private Machine() {}

    /**
     * @return the 1, 5 and 15 minute load averages, e.g. {@code 0.52 0.61 0.70 (1, 5, 15 min)}
     *         (Linux's {@code /proc/loadavg}); elsewhere the JVM's 1-minute figure, e.g.
     *         {@code 0.52 (1 min)}
     */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(LOADAVG).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2] + " (1, 5, 15 min)";
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f (1 min)", oneMinuteLoad());
        }
    }

    /** @return the 1-minute load average (negative where the OS does not tell) */
    public static double oneMinuteLoad() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** @return the cores this JVM may use */
    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * @param oneMinute the 1-minute load average (negative where the OS does not tell)
     * @return a warning if it exceeds the number of cores: then other work competes for them
     */
    public static Optional<String> loadWarning(double oneMinute, int cores) {
        if (oneMinute <= cores) {
            return Optional.empty();
        }
        return Optional.of(String.format(
                Locale.ROOT,
                "WARNING: the 1-minute load average (%.2f) exceeds the %d cores:"
                        + " other work competes for them, so the times are slow and the speed-ups low and noisy;"
                        + " rerun on an idle machine before you compare",
                oneMinute,
                cores));
    }

    /** @return {@link #loadWarning(double, int)} for this machine now */
    public static Optional<String> loadWarning() {
        return loadWarning(oneMinuteLoad(), cores());
    }
}
