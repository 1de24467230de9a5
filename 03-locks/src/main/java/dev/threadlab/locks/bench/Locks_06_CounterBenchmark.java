package dev.threadlab.locks.bench;

import dev.threadlab.common.bench.Machine;
import dev.threadlab.common.bench.Summary;
import dev.threadlab.common.cli.Cli;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
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
 * How much does each fix cost when threads fight over one counter? Runs {@link CounterBenchmark}
 * with JMH (through its Runner API), then prints, per counter, the median throughput over every
 * measured iteration of every fork, the spread (min to max), and the ratio of medians to the
 * {@code locked} counter measured in the same run.
 *
 * <p>Run (about 2 minutes with the defaults):
 * {@code ./mvnw -q -pl 03-locks -am process-test-classes -Pdemo -Ddemo.mainClass=dev.threadlab.locks.bench.Locks_06_CounterBenchmark}
 *
 * <p>What to observe: see the module README's "Measured" section for a real run, with the
 * machine's load average beside it. Numbers are never asserted in tests.
 */
@Command(
        name = "locks-06",
        mixinStandardHelpOptions = true,
        description = "JMH: throughput of each counter under contention; median, spread, ratio to the locked one.")
public final class Locks_06_CounterBenchmark implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "threads sharing each counter (1-16, default ${DEFAULT-VALUE})")
    int threads;

    @Option(
            names = "--forks",
            defaultValue = "2",
            description = "fresh JVMs per counter (1-5, default ${DEFAULT-VALUE})")
    int forks;

    @Option(
            names = "--warmups",
            defaultValue = "3",
            description = "warm-up iterations per fork (0-20, default ${DEFAULT-VALUE})")
    int warmups;

    @Option(
            names = "--iterations",
            defaultValue = "5",
            description = "measured iterations per fork (1-50, default ${DEFAULT-VALUE})")
    int iterations;

    @Option(
            names = "--time-ms",
            defaultValue = "1000",
            description = "length of one iteration, in ms (100-10000, default ${DEFAULT-VALUE})")
    int timeMs;

    /** One counter's figures: median and range of its iteration scores, in increments per µs. */
    record Row(String counter, int samples, double median, double min, double max) {}

    @Override
    public Integer call() throws RunnerException {
        Cli.require(spec, threads >= 1 && threads <= 16, "--threads must be between 1 and 16, was %d", threads);
        Cli.require(spec, forks >= 1 && forks <= 5, "--forks must be between 1 and 5, was %d", forks);
        Cli.require(spec, warmups >= 0 && warmups <= 20, "--warmups must be between 0 and 20, was %d", warmups);
        Cli.require(
                spec, iterations >= 1 && iterations <= 50, "--iterations must be between 1 and 50, was %d", iterations);
        Cli.require(spec, timeMs >= 100 && timeMs <= 10_000, "--time-ms must be between 100 and 10000, was %d", timeMs);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "JMH %s: %d threads on one counter, %d forks x (%d warm-up + %d measured) x %d ms;"
                        + " JDK %s, %d cores, load average %.2f%n",
                CounterBenchmark.class.getSimpleName(),
                threads,
                forks,
                warmups,
                iterations,
                timeMs,
                Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                Machine.oneMinuteLoad());
        out.flush();

        OptionsBuilder builder = new OptionsBuilder();
        if (Runtime.version().feature() >= 23) { // JMH 1.37 uses sun.misc.Unsafe; say it is allowed
            builder.jvmArgsAppend("--sun-misc-unsafe-memory-access=allow");
        }
        Options options = builder.include(CounterBenchmark.class.getName() + "\\.")
                .threads(threads)
                .forks(forks)
                .warmupIterations(warmups)
                .warmupTime(TimeValue.milliseconds(timeMs))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.milliseconds(timeMs))
                .verbosity(VerboseMode.SILENT)
                .build();
        List<Row> rows = summarize(new Runner(options).run());
        print(out, rows);
        out.printf(Locale.ROOT, "load average after: %.2f%n", Machine.oneMinuteLoad());
        return 0;
    }

    /** Median and range of every measured iteration, all forks together, one row per benchmark. */
    static List<Row> summarize(Collection<RunResult> results) {
        List<Row> rows = new ArrayList<>();
        for (RunResult result : results) {
            List<Double> scores = new ArrayList<>();
            for (BenchmarkResult fork : result.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    scores.add(iteration.getPrimaryResult().getScore());
                }
            }
            String method = result.getParams().getBenchmark();
            rows.add(row(method.substring(method.lastIndexOf('.') + 1), scores));
        }
        rows.sort(Comparator.comparingDouble(Row::median).reversed());
        return rows;
    }

    /**
     * @param scores one score per measured iteration (increments per µs)
     * @throws IllegalArgumentException if there is no score
     */
    static Row row(String counter, List<Double> scores) {
        if (scores.isEmpty()) {
            throw new IllegalArgumentException(counter + ": no measured iterations");
        }
        Summary summary =
                Summary.of(scores.stream().mapToDouble(Double::doubleValue).toArray());
        return new Row(counter, summary.count(), summary.median(), summary.min(), summary.max());
    }

    /** The table, with each median's ratio to the {@code locked} counter's median. */
    static void print(PrintWriter out, List<Row> rows) {
        double locked = rows.stream()
                .filter(r -> r.counter().equals("locked"))
                .mapToDouble(Row::median)
                .findFirst()
                .orElse(Double.NaN);
        out.printf(
                "%-20s %8s %14s %21s %10s%n", "counter", "samples", "median ops/us", "spread (min-max)", "vs locked");
        for (Row r : rows) {
            out.printf(
                    Locale.ROOT,
                    "%-20s %8d %14.1f %9.1f - %-9.1f %9.2fx%n",
                    r.counter(),
                    r.samples(),
                    r.median(),
                    r.min(),
                    r.max(),
                    r.median() / locked);
        }
        out.flush();
    }

    public static void main(String[] args) {
        Cli.exit(new Locks_06_CounterBenchmark(), args);
    }
}
