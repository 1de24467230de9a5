package dev.threadlab.gil;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.gil.engine.Experiments;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The lesson: "Only one thread executes Python bytecode at a time, which limits the performance of
 * CPU-bound tasks in multi-threaded programs." Java has no such lock. Here the same CPU-bound work
 * is split over 1, 2 and 4 platform threads: does it get faster?
 *
 * <p>Run: {@code ./mvnw -q -pl 05-gil-simulation -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.gil.Gil_01_JavaHasNoGil}
 *
 * <p>What to observe (2 cores shared with other builds, load average 2.25, JDK 25.0.3; one run, the
 * benchmark gives medians):
 * <pre>
 * 2 cores; 300,000,000 bytecodes of CPU-bound work, split evenly
 *  1 thread(s):    320 ms   speed-up vs 1 thread(s): 1.00x
 *  2 thread(s):    167 ms   speed-up vs 1 thread(s): 1.92x
 *  4 thread(s):    187 ms   speed-up vs 1 thread(s): 1.71x
 * </pre>
 * Two threads finish in about half the time of one; four are no faster than two, because there are
 * only two cores. (With other work busy on the cores, the speed-up drops towards 1.)
 */
@Command(
        name = "gil-01",
        mixinStandardHelpOptions = true,
        description = "CPU-bound work split over 1, 2 and 4 Java threads: the speed-up with no GIL.")
public final class Gil_01_JavaHasNoGil implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--bytecodes",
            defaultValue = "300000000",
            description = "total work, in Work.spin steps of about 1.5 ns (1000-10000000000, default ${DEFAULT-VALUE})")
    private long bytecodes;

    @Option(
            names = "--threads",
            split = ",",
            defaultValue = "1,2,4",
            description = "thread counts to try, comma-separated (each 1-64, default ${DEFAULT-VALUE})")
    private List<Integer> threads;

    @Override
    public Integer call() throws InterruptedException {
        Cli.require(
                spec,
                bytecodes >= 1_000 && bytecodes <= 10_000_000_000L,
                "--bytecodes must be between 1000 and 10000000000, was %d",
                bytecodes);
        for (int n : threads) {
            Cli.require(spec, n >= 1 && n <= 64, "--threads must each be between 1 and 64, was %d", n);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "%d cores; %,d bytecodes of CPU-bound work, split evenly%n",
                Runtime.getRuntime().availableProcessors(), bytecodes);
        Experiments.plainJavaThreads(1, bytecodes / 10); // warm-up: let the JIT compile Work.spin
        long oneThread = 0;
        for (int n : threads) {
            long nanos = Experiments.plainJavaThreads(n, bytecodes);
            if (oneThread == 0) {
                oneThread = nanos;
            }
            out.printf(
                    "%2d thread(s): %6.0f ms   speed-up vs %d thread(s): %.2fx%n",
                    n, nanos / 1e6, threads.get(0), (double) oneThread / nanos);
        }
        out.flush();
        return 0;
    }

    /** Usage: {@code [--bytecodes N] [--threads 1,2,4]}; bad values exit 2. */
    public static void main(String[] args) {
        Cli.exit(new Gil_01_JavaHasNoGil(), args);
    }
}
