package dev.threadlab.basics.bench;

import dev.threadlab.basics.Basics_04_IoBound;
import dev.threadlab.basics.Basics_04_IoBound.Mode;
import dev.threadlab.basics.Basics_04_IoBound.ModeRun;
import dev.threadlab.basics.harness.SlowServer;
import dev.threadlab.common.bench.Machine;
import dev.threadlab.common.bench.PythonOption;
import dev.threadlab.common.bench.PythonScript;
import dev.threadlab.common.bench.Repetitions;
import dev.threadlab.common.bench.Summary;
import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.time.Sleeper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The numbers behind "use threading for I/O-bound tasks", Java and CPython in one run: N requests
 * to a local server that answers each after a delay, one after the other and with a thread per
 * request ({@link Basics_04_IoBound}; its Python original {@code src/main/python/io_bound.py}).
 *
 * <p>Each repetition runs every Java mode and then the Python original (all its modes, in one
 * {@code python3} process). Warm-up repetitions are run and thrown away. Each figure is printed as
 * median [min-max] over the measured repetitions; each speed-up is the ratio of the sequential run
 * to the threaded run of the same repetition, so both saw the same machine load.
 *
 * <p>Run (about a minute on 2 cores): {@code ./mvnw -q -pl 01-basic-threads -am process-test-classes
 * -Pdemo -Ddemo.mainClass=dev.threadlab.basics.bench.Basics_06_IoBenchmark}
 *
 * <p>Never run by {@code verify}: numbers are printed, never asserted. The table it prints is
 * Markdown, ready for the module's {@code docs/}.
 */
@Command(
        name = "basics-06",
        mixinStandardHelpOptions = true,
        description =
                "I/O-bound requests, sequential vs threads: Java (platform, virtual) and CPython (Thread, ThreadPoolExecutor) in one run.")
public final class Basics_06_IoBenchmark implements Callable<Integer> {

    private static final String MODULE = "01-basic-threads";
    private static final Duration PYTHON_TIMEOUT = Duration.ofMinutes(10);

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--requests",
            defaultValue = "50",
            description = "requests per run (1-1000, default ${DEFAULT-VALUE})")
    private int requests;

    @Option(
            names = "--delay-ms",
            defaultValue = "50",
            description = "server delay per request, ms (0-10000, default ${DEFAULT-VALUE})")
    private long delayMs;

    @Mixin
    private Repetitions repetitions;

    @Mixin
    private PythonOption python;

    @Option(
            names = "--python-script",
            defaultValue = "src/main/python/io_bound.py",
            description =
                    "the Python original, from the module's folder or the repository root (default ${DEFAULT-VALUE})")
    private Path pythonScript;

    /** One table row: a runtime, a way of sending the requests, and the key the figures come under. */
    private record Row(String runtime, String how, String key) {}

    @Override
    public Integer call() throws Exception {
        Cli.require(spec, requests >= 1 && requests <= 1000, "--requests must be between 1 and 1000, was %d", requests);
        Cli.require(spec, delayMs >= 0 && delayMs <= 10_000, "--delay-ms must be between 0 and 10000, was %d", delayMs);
        repetitions.validate();
        python.validate();
        Optional<Path> located = python.skipped() ? Optional.empty() : locate(pythonScript);
        Cli.require(
                spec,
                python.skipped() || located.isPresent(),
                "--python-script %s not found (from the module's folder or the repository root); pass its path, or --python skip",
                pythonScript);
        Optional<Path> python3 = python.python();
        Optional<Path> script = python3.isEmpty() ? Optional.empty() : located;

        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "machine: %d cores, %s %s; Java %s (%s)%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                Runtime.version(),
                System.getProperty("java.vm.name"));
        String pythonVersion = "";
        if (script.isPresent()) {
            pythonVersion = PythonScript.run(
                            python3.orElseThrow(),
                            script.orElseThrow(),
                            PYTHON_TIMEOUT,
                            "--raw",
                            "--requests",
                            "1",
                            "--delay-ms",
                            "0",
                            "--modes",
                            "sequential")
                    .getOrDefault("python", "?");
            out.printf("CPython %s: %s %s%n", pythonVersion, python3.orElseThrow(), script.orElseThrow());
        } else {
            out.println("CPython: " + python.whyNone() + (python.skipped() ? "" : "; Java rows only"));
        }
        out.printf(
                "command: ./mvnw -q -pl %s -am process-test-classes -Pdemo -Ddemo.mainClass=%s -Ddemo.args=\"--requests %d"
                        + " --delay-ms %d --reps %d --warmups %d%s\"%n",
                MODULE,
                Basics_06_IoBenchmark.class.getName(),
                requests,
                delayMs,
                repetitions.reps(),
                repetitions.warmups(),
                python.asArgument());
        out.printf("load average at start: %s%n", Machine.loadAverage());
        out.printf(
                "%d requests, each answered after %d ms; each figure: median [min-max] of %d repetitions after %d warm-up(s)%n",
                requests, delayMs, repetitions.reps(), repetitions.warmups());
        out.flush();

        List<Row> rows = new ArrayList<>();
        rows.add(new Row("Java", "one after the other", "java-sequential"));
        rows.add(new Row("Java", "a platform thread per request", "java-platform"));
        rows.add(new Row("Java", "a virtual thread per request", "java-virtual"));
        if (script.isPresent()) {
            rows.add(new Row("CPython", "one after the other", "sequential"));
            rows.add(new Row("CPython", "a threading.Thread per request", "threads"));
            rows.add(new Row("CPython", "ThreadPoolExecutor(max_workers=N)", "pool"));
        }
        // per row: seconds, speed-up over the same repetition's sequential run, most held at once
        Map<String, List<double[]>> measured = new java.util.LinkedHashMap<>();
        rows.forEach(row -> measured.put(row.key(), new ArrayList<>()));

        try (SlowServer server = SlowServer.start(Duration.ofMillis(delayMs), Sleeper.real())) {
            for (int rep = -repetitions.warmups(); rep < repetitions.reps(); rep++) {
                Map<String, double[]> one = new java.util.LinkedHashMap<>();
                double javaSequential = Double.NaN;
                for (Mode mode : Mode.values()) {
                    ModeRun run = Basics_04_IoBound.timeMode(server, mode, requests);
                    if (run.answeredRight() != requests) {
                        throw new IOException("Java, " + mode.label() + ": only " + run.answeredRight() + " of "
                                + requests + " answers were right");
                    }
                    double seconds = run.nanos() / 1e9;
                    if (mode == Mode.SEQUENTIAL) {
                        javaSequential = seconds;
                    }
                    one.put(
                            "java-" + mode.name().toLowerCase(Locale.ROOT),
                            new double[] {seconds, javaSequential / seconds, run.maxHeldAtOnce()});
                }
                if (script.isPresent()) {
                    Map<String, String> figures = PythonScript.run(
                            python3.orElseThrow(),
                            script.orElseThrow(),
                            PYTHON_TIMEOUT,
                            "--raw",
                            "--requests",
                            "" + requests,
                            "--delay-ms",
                            "" + delayMs);
                    double pythonSequential = PythonScript.number(figures, "sequential_s");
                    for (String key : List.of("sequential", "threads", "pool")) {
                        if (PythonScript.number(figures, key + "_answered") != requests) {
                            throw new IOException("CPython, " + key + ": only " + figures.get(key + "_answered")
                                    + " of " + requests + " answers were right");
                        }
                        double seconds = PythonScript.number(figures, key + "_s");
                        one.put(key, new double[] {
                            seconds, pythonSequential / seconds, PythonScript.number(figures, key + "_max_held")
                        });
                    }
                }
                out.printf(
                        "%s %d: %s%n",
                        rep < 0 ? "warm-up" : "repetition",
                        rep < 0 ? rep + repetitions.warmups() + 1 : rep + 1,
                        brief(one));
                out.flush();
                if (rep >= 0) {
                    one.forEach((key, figures) -> measured.get(key).add(figures));
                }
            }
        }

        out.printf(
                "%n| runtime | how the %d requests are sent | wall time | speed-up vs sequential | most held at once |%n",
                requests);
        out.println("| --- | --- | --- | --- | --- |");
        for (Row row : rows) {
            List<double[]> runs = measured.get(row.key());
            Summary seconds =
                    Summary.of(runs.stream().mapToDouble(r -> r[0] * 1000).toArray());
            Summary speedUp = Summary.of(runs.stream().mapToDouble(r -> r[1]).toArray());
            Summary held = Summary.of(runs.stream().mapToDouble(r -> r[2]).toArray());
            boolean baseline = row.how().equals("one after the other");
            out.printf(
                    "| %s | %s | %s | %s | %s |%n",
                    row.runtime() + (row.runtime().equals("CPython") ? " " + pythonVersion : ""),
                    row.how(),
                    seconds.format("%.0f", " ms"),
                    baseline ? "1x (the baseline)" : speedUp.format("%.1f", "x"),
                    held.format("%.0f", ""));
        }
        out.printf("%nload average at end: %s%n", Machine.loadAverage());
        out.flush();
        return 0;
    }

    private static String brief(Map<String, double[]> one) {
        StringBuilder text = new StringBuilder();
        one.forEach((key, figures) -> text.append(String.format(Locale.ROOT, "%s %.0f ms  ", key, figures[0] * 1000)));
        return text.toString().strip();
    }

    /** @return {@code path} as given (relative to the working folder), or under the module's folder from the repository root */
    private static Optional<Path> locate(Path path) {
        if (Files.isRegularFile(path)) {
            return Optional.of(path.toAbsolutePath().normalize());
        }
        Path fromRoot = Path.of(MODULE).resolve(path);
        return Files.isRegularFile(fromRoot)
                ? Optional.of(fromRoot.toAbsolutePath().normalize())
                : Optional.empty();
    }

    /** Usage: {@code [--requests N] [--delay-ms MS] [--reps N] [--warmups N] [--python auto|skip|CMD] [--python-script FILE]}. */
    public static void main(String[] args) {
        Cli.exit(new Basics_06_IoBenchmark(), args);
    }
}
