package dev.threadlab.lifecycle.bench;

import dev.threadlab.common.bench.Summary;
import dev.threadlab.common.cli.Cli;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What does a thread's whole life cost, from {@code start()} to the return of {@code join()}?
 * Runs {@link StartJoinBenchmark} (an empty body three ways: called with {@code run()}, on a new
 * platform thread, on a new virtual thread) with JMH and prints one table.
 *
 * <p>Run (about 1 minute): {@code ./mvnw -q -pl 02-join-isalive -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.lifecycle.bench.Lifecycle_07_StartJoinCost}
 *
 * <p>What to observe: see the module README's "Measured" section for a real run with the machine's
 * load average. Calling {@code run()} costs what a method call costs, because nothing concurrent
 * happens; starting and joining any thread costs microseconds, so a thread per tiny task is waste
 * (pools exist for this). A platform thread is an OS thread, created, scheduled and reaped by the
 * OS; a virtual thread is a JVM object scheduled on a few carrier threads, designed to be cheaper.
 * How much cheaper, only a quiet machine can tell: under a load of several runnable threads per
 * core, measured ratios ranged from 21x to none at all.
 *
 * <p>Method: JMH 1.37, average time per operation, one fork, {@code --warmups} warm-up and
 * {@code --iterations} measured iterations of 1 s each. The table gives, per benchmark, the median
 * of the measured iterations, their spread (min–max), and the ratio of medians to the virtual
 * thread's, all from the same run. Source followed: the JMH samples (JMHSample_01, _02).
 */
@Command(
        name = "lifecycle-07",
        mixinStandardHelpOptions = true,
        description = "JMH: the cost of start()+join() for a platform and a virtual thread, against run().")
public final class Lifecycle_07_StartJoinCost implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--warmups",
            defaultValue = "3",
            description = "warm-up iterations of 1 s, 1..20 (default: ${DEFAULT-VALUE})")
    int warmups;

    @Option(
            names = "--iterations",
            defaultValue = "8",
            description = "measured iterations of 1 s, 3..50 (default: ${DEFAULT-VALUE})")
    int iterations;

    @Override
    public Integer call() throws RunnerException {
        Cli.require(spec, warmups >= 1 && warmups <= 20, "--warmups must be between 1 and 20, was %d", warmups);
        Cli.require(
                spec, iterations >= 3 && iterations <= 50, "--iterations must be between 3 and 50, was %d", iterations);
        OptionsBuilder builder = new OptionsBuilder();
        if (Runtime.version().feature() >= 23) { // JMH 1.37 uses sun.misc.Unsafe; JDK 23+ warns unless allowed
            builder.jvmArgsAppend("--sun-misc-unsafe-memory-access=allow");
        }
        Options options = builder.include(StartJoinBenchmark.class.getName() + "\\.")
                .forks(1)
                .warmupIterations(warmups)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(1))
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        PrintWriter out = spec.commandLine().getOut();
        out.print(table(results));
        out.flush();
        return 0;
    }

    /** Median, min–max and ratio to the virtual thread, one row per benchmark. */
    static String table(Collection<RunResult> results) {
        Map<String, Summary> rows = new LinkedHashMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            rows.put(
                    name,
                    Summary.of(result.getBenchmarkResults().stream()
                            .flatMap(b -> b.getIterationResults().stream())
                            .mapToDouble(i -> i.getPrimaryResult().getScore())
                            .toArray()));
        }
        Summary virtual = rows.get("virtualStartJoin");
        StringBuilder table = new StringBuilder(String.format(
                Locale.ROOT,
                "| benchmark | median µs/op | spread (min–max) | ratio to virtual |%n| --- | ---: | ---: | ---: |%n"));
        rows.entrySet().stream()
                .sorted(Comparator.comparingDouble(e -> e.getValue().median()))
                .forEach(e -> {
                    Summary s = e.getValue();
                    table.append(String.format(
                            Locale.ROOT,
                            "| %s | %.3f | %.3f–%.3f | %s |%n",
                            e.getKey(),
                            s.median(),
                            s.min(),
                            s.max(),
                            virtual == null ? "-" : ratio(s.median() / virtual.median())));
                });
        table.append(String.format(
                Locale.ROOT,
                "(%d measured iterations each; cores: %d; JDK %s)%n",
                rows.values().stream().findFirst().map(Summary::count).orElse(0),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.runtime.version")));
        return table.toString();
    }

    /** @return {@code 11.0×} for a ratio of 11, {@code 1/45000} for a tiny one */
    static String ratio(double ratio) {
        return ratio >= 0.1
                ? String.format(Locale.ROOT, "%.1f×", ratio)
                : String.format(Locale.ROOT, "1/%.0f", 1 / ratio);
    }

    /** @param args see {@code --help} */
    public static void main(String[] args) {
        Cli.exit(new Lifecycle_07_StartJoinCost(), args);
    }
}
