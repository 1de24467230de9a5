package dev.threadlab.gil;

import dev.threadlab.common.bench.Machine;
import dev.threadlab.common.bench.PythonOption;
import dev.threadlab.common.bench.Repetitions;
import dev.threadlab.common.bench.Summary;
import dev.threadlab.common.cli.Cli;
import dev.threadlab.gil.bench.PythonOriginals;
import dev.threadlab.gil.cli.HandOffChoice;
import dev.threadlab.gil.cli.SolutionOption;
import dev.threadlab.gil.engine.Experiments;
import dev.threadlab.gil.engine.Experiments.Neighbour;
import dev.threadlab.gil.engine.Gil;
import dev.threadlab.gil.engine.GilDesign;
import dev.threadlab.gil.engine.Interpreter.Run;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The module's numbers, all from one run: a harness that warms up, repeats, and prints each figure
 * as median [min-max] over the repetitions. Every speed-up is a ratio of two runs made one after the
 * other in the same repetition (same JVM, same machine load), and the CPython rows come from the
 * shipped Python originals run by the {@code python3} on the {@code PATH}, in the same run.
 *
 * <ol>
 *   <li>{@code cpu}: two CPU-bound threads vs the same work on one thread, on each GIL (and on
 *       CPython): speed-up, hand-offs per second, finish-time fairness.</li>
 *   <li>{@code java}: plain Java threads, the work split over 1, 2 and 4 of them.</li>
 *   <li>{@code convoy}: an I/O-bound thread's requests per second alone, beside a CPU-bound thread,
 *       and beside CPU-bound work done outside the interpreter (bpo-7946).</li>
 *   <li>{@code sweep}: the switch interval from 5 ms down to 1 µs: two threads vs one.</li>
 * </ol>
 *
 * <p>Run (about two minutes on 2 cores): {@code ./mvnw -q -pl 05-gil-simulation -am
 * process-test-classes -Pdemo -Ddemo.mainClass=dev.threadlab.gil.Gil_05_Benchmark}
 *
 * <p>Never run by {@code verify}: numbers are printed, never asserted. On a shared machine, read
 * them next to the load average printed at the start and the end.
 */
@Command(
        name = "gil-05",
        mixinStandardHelpOptions = true,
        description = "The GIL module's measurements: speed-up, hand-offs/s, fairness, convoy, switch-interval sweep.")
public final class Gil_05_Benchmark implements Callable<Integer> {

    /** What the benchmark can measure. */
    enum Section {
        CPU,
        JAVA,
        CONVOY,
        SWEEP
    }

    private static final List<Long> SWEEP_MICROS = List.of(5_000L, 1_000L, 100L, 10L, 1L);

    @Spec
    private CommandSpec spec;

    @Mixin
    private Repetitions repetitions;

    @Option(
            names = "--turns",
            defaultValue = "100000",
            description = "eval-loop turns per simulated thread (1000-10000000, default ${DEFAULT-VALUE})")
    private long turns;

    @Option(
            names = "--py-n",
            defaultValue = "3000000",
            description = "countdown per Python thread (1000-100000000, default ${DEFAULT-VALUE})")
    private long pythonN;

    @Option(
            names = "--window-ms",
            defaultValue = "500",
            description = "how long each convoy case runs (100-10000, default ${DEFAULT-VALUE})")
    private long windowMillis;

    @Mixin
    private PythonOption python;

    @Option(
            names = "--sections",
            split = ",",
            defaultValue = "cpu,java,convoy,sweep",
            description = "which sections, comma-separated: cpu, java, convoy, sweep (default ${DEFAULT-VALUE})")
    private List<String> sections;

    @Mixin
    private SolutionOption solution;

    private HandOffChoice handOff;

    private PrintWriter out;

    /** One repetition: measures and returns its figures. */
    @FunctionalInterface
    interface Trial {
        double[] run() throws Exception;
    }

    @Override
    public Integer call() throws Exception {
        return solution.explainingAStub(spec, this::demo);
    }

    private Integer demo() throws Exception {
        repetitions.validate();
        Cli.require(
                spec,
                turns >= 1_000 && turns <= 10_000_000,
                "--turns must be between 1000 and 10000000, was %d",
                turns);
        Cli.require(
                spec,
                pythonN >= 1_000 && pythonN <= 100_000_000,
                "--py-n must be between 1000 and 100000000, was %d",
                pythonN);
        Cli.require(
                spec,
                windowMillis >= 100 && windowMillis <= 10_000,
                "--window-ms must be between 100 and 10000, was %d",
                windowMillis);
        python.validate();
        handOff = solution.validated(spec);
        Set<Section> chosen = EnumSet.noneOf(Section.class);
        for (String name : sections) {
            Optional<Section> section = java.util.Arrays.stream(Section.values())
                    .filter(s -> s.name().equalsIgnoreCase(name.trim()))
                    .findFirst();
            Cli.require(spec, section.isPresent(), "--sections takes cpu, java, convoy, sweep; not %s", name);
            chosen.add(section.orElseThrow());
        }
        out = spec.commandLine().getOut();
        out.printf(
                "machine: %d cores, JDK %s (%s), %s %s%n",
                Runtime.getRuntime().availableProcessors(),
                Runtime.version(),
                System.getProperty("java.vm.name"),
                System.getProperty("os.name"),
                System.getProperty("os.arch"));
        out.printf("load average at start: %s%n", Machine.loadAverage());
        out.printf(
                "hand-off of the CPython-design GIL: --solution %s%n",
                handOff.name().toLowerCase(java.util.Locale.ROOT));
        out.printf(
                "each figure: median [min-max] of %d repetitions after %d warm-up(s)%n",
                repetitions.reps(), repetitions.warmups());
        Optional<PythonOriginals> originals = PythonOriginals.find(python.python());
        try {
            if (originals.isPresent()) {
                Map<String, String> version =
                        originals.get().run("cpu_bound.py", "--mode", "sequential", "--n", "1000");
                out.printf(
                        "CPython: %s %s (the shipped originals, src/main/python/)%n",
                        originals.get().python(), version.get("python"));
            } else {
                out.println("CPython: " + python.whyNone() + "; Java rows only");
            }
            out.flush();
            if (chosen.contains(Section.CPU)) {
                cpuSection(originals);
            }
            if (chosen.contains(Section.JAVA)) {
                javaSection();
            }
            if (chosen.contains(Section.CONVOY)) {
                convoySection(originals);
            }
            if (chosen.contains(Section.SWEEP)) {
                sweepSection(originals);
            }
        } finally {
            if (originals.isPresent()) {
                originals.get().close();
            }
        }
        out.printf("%nload average at end: %s%n", Machine.loadAverage());
        out.flush();
        return 0;
    }

    private void cpuSection(Optional<PythonOriginals> originals) throws Exception {
        out.printf(
                "%n== 1. Two CPU-bound threads vs the same work on one thread (%,d turns x %,d bytecodes per thread) ==%n",
                turns, Experiments.BYTECODES_PER_CHECK);
        out.printf("%-34s %-26s %-26s %s%n", "GIL", "speed-up (1 thread/2)", "hand-offs per second", "fairness");
        for (GilDesign design : List.of(
                GilDesign.NONE,
                GilDesign.CPYTHON,
                GilDesign.FAIR_LOCK,
                GilDesign.UNFAIR_LOCK,
                GilDesign.SYNCHRONIZED)) {
            List<double[]> runs = repeat(() -> {
                Run alone = Experiments.oneThreadDoingBoth(
                        gil(design, Duration.ofMillis(5)), turns, Experiments.BYTECODES_PER_CHECK);
                Gil gil = gil(design, Duration.ofMillis(5));
                Run two = Experiments.twoCpuBoundThreads(gil, turns, Experiments.BYTECODES_PER_CHECK);
                return new double[] {
                    (double) alone.elapsedNanos() / two.elapsedNanos(),
                    gil.handOffs() / (two.elapsedNanos() / 1e9),
                    two.fairness()
                };
            });
            row(design.toString(), runs, design != GilDesign.NONE);
        }
        if (originals.isPresent()) {
            PythonOriginals py = originals.get();
            List<double[]> runs = repeat(() -> {
                double alone = PythonOriginals.number(
                        py.run("cpu_bound.py", "--mode", "sequential", "--n", "" + pythonN), "elapsed_s");
                Map<String, String> two = py.run("cpu_bound.py", "--mode", "threads", "--n", "" + pythonN);
                double elapsed = PythonOriginals.number(two, "elapsed_s");
                return new double[] {
                    alone / elapsed,
                    PythonOriginals.number(two, "handoffs") / elapsed,
                    PythonOriginals.number(two, "fairness")
                };
            });
            row("CPython (python3, n=" + pythonN + ")", runs, true);
        }
    }

    private void javaSection() throws Exception {
        long work = 2 * turns * Experiments.BYTECODES_PER_CHECK;
        out.printf("%n== 2. Java, no GIL: %,d bytecodes split over 1, 2 and 4 platform threads ==%n", work);
        List<double[]> runs = repeat(() -> {
            double one = Experiments.plainJavaThreads(1, work);
            return new double[] {
                one / 1e6, one / Experiments.plainJavaThreads(2, work), one / Experiments.plainJavaThreads(4, work)
            };
        });
        out.printf("%-34s %s%n", "1 thread", Summary.of(column(runs, 0)).format("%.0f", " ms"));
        out.printf(
                "%-34s %s%n", "2 threads, speed-up", Summary.of(column(runs, 1)).format("%.2f", "x"));
        out.printf(
                "%-34s %s%n", "4 threads, speed-up", Summary.of(column(runs, 2)).format("%.2f", "x"));
        out.flush();
    }

    private void convoySection(Optional<PythonOriginals> originals) throws Exception {
        out.printf(
                "%n== 3. Convoy effect (bpo-7946): I/O thread requests per second (%d ms windows, 100 µs I/O each) ==%n",
                windowMillis);
        out.printf(
                "%-48s %-26s %s%n", "the I/O thread runs", "simulation (5 ms)", originals.isPresent() ? "CPython" : "");
        String[] pythonNeighbour = {"none", "thread", "native"};
        for (Neighbour neighbour : Neighbour.values()) {
            List<double[]> sim = repeat(() -> new double[] {
                Experiments.convoyRequestsPerSecond(
                        gil(GilDesign.CPYTHON, Duration.ofMillis(5)),
                        neighbour,
                        Duration.ofMillis(windowMillis),
                        Duration.ofNanos(100_000),
                        10,
                        Experiments.BYTECODES_PER_CHECK)
            });
            String cpython = "";
            if (originals.isPresent()) {
                List<double[]> py = repeat(() -> new double[] {
                    PythonOriginals.number(
                            originals
                                    .get()
                                    .run(
                                            "convoy.py",
                                            "--neighbour",
                                            pythonNeighbour[neighbour.ordinal()],
                                            "--window",
                                            "" + windowMillis / 1000.0),
                            "requests_per_s")
                });
                cpython = Summary.of(column(py, 0)).format("%.0f", "");
            }
            out.printf("%-48s %-26s %s%n", neighbour, Summary.of(column(sim, 0)).format("%.0f", ""), cpython);
            out.flush();
        }
    }

    private void sweepSection(Optional<PythonOriginals> originals) throws Exception {
        out.printf("%n== 4. Switch interval sweep: speed-up of two CPU-bound threads over one (and hand-offs/s) ==%n");
        out.printf(
                "%-12s %-26s %-20s %-26s %s%n",
                "interval",
                "simulation",
                "hand-offs/s",
                originals.isPresent() ? "CPython" : "",
                originals.isPresent() ? "hand-offs/s" : "");
        long sweepTurns = Math.max(1_000, turns / 2);
        long sweepN = Math.max(1_000, pythonN / 2);
        // The control: the same two threads with no GIL show how much of two cores this run really had.
        List<double[]> control = repeat(() -> new double[] {
            (double) Experiments.oneThreadDoingBoth(
                                    gil(GilDesign.NONE, null), sweepTurns, Experiments.BYTECODES_PER_CHECK)
                            .elapsedNanos()
                    / Experiments.twoCpuBoundThreads(
                                    gil(GilDesign.NONE, null), sweepTurns, Experiments.BYTECODES_PER_CHECK)
                            .elapsedNanos()
        });
        out.printf(
                "%-12s %-26s %s%n",
                "no GIL",
                Summary.of(column(control, 0)).format("%.2f", "x"),
                "(control: the cores this run really had)");
        for (long micros : SWEEP_MICROS) {
            Duration interval = Duration.ofNanos(micros * 1_000);
            List<double[]> sim = repeat(() -> {
                Run alone = Experiments.oneThreadDoingBoth(
                        gil(GilDesign.CPYTHON, interval), sweepTurns, Experiments.BYTECODES_PER_CHECK);
                Gil gil = gil(GilDesign.CPYTHON, interval);
                Run two = Experiments.twoCpuBoundThreads(gil, sweepTurns, Experiments.BYTECODES_PER_CHECK);
                return new double[] {
                    (double) alone.elapsedNanos() / two.elapsedNanos(), gil.handOffs() / (two.elapsedNanos() / 1e9)
                };
            });
            String cpython = "";
            String cpythonHandOffs = "";
            if (originals.isPresent()) {
                String seconds = String.valueOf(micros / 1e6);
                List<double[]> py = repeat(() -> {
                    double alone = PythonOriginals.number(
                            originals
                                    .get()
                                    .run(
                                            "cpu_bound.py",
                                            "--mode",
                                            "sequential",
                                            "--n",
                                            "" + sweepN,
                                            "--switch-interval",
                                            seconds),
                            "elapsed_s");
                    Map<String, String> two = originals
                            .get()
                            .run("cpu_bound.py", "--mode", "threads", "--n", "" + sweepN, "--switch-interval", seconds);
                    double elapsed = PythonOriginals.number(two, "elapsed_s");
                    return new double[] {alone / elapsed, PythonOriginals.number(two, "handoffs") / elapsed};
                });
                cpython = Summary.of(column(py, 0)).format("%.2f", "x");
                cpythonHandOffs = Summary.of(column(py, 1)).format("%.0f", "");
            }
            out.printf(
                    "%-12s %-26s %-20s %-26s %s%n",
                    micros + " µs",
                    Summary.of(column(sim, 0)).format("%.2f", "x"),
                    Summary.of(column(sim, 1)).format("%.0f", ""),
                    cpython,
                    cpythonHandOffs);
            out.flush();
        }
    }

    private Gil gil(GilDesign design, Duration interval) {
        return design.create(interval, handOff.create(), null);
    }

    private List<double[]> repeat(Trial trial) throws Exception {
        for (int i = 0; i < repetitions.warmups(); i++) {
            trial.run();
        }
        List<double[]> runs = new ArrayList<>();
        for (int i = 0; i < repetitions.reps(); i++) {
            runs.add(trial.run());
        }
        return runs;
    }

    /** One row of section 1: speed-up, hand-offs per second (if the GIL has hand-offs), fairness. */
    private void row(String name, List<double[]> runs, boolean handsOff) {
        out.printf(
                "%-34s %-26s %-26s %s%n",
                name,
                Summary.of(column(runs, 0)).format("%.2f", "x"),
                handsOff ? Summary.of(column(runs, 1)).format("%.0f", "") : "-",
                Summary.of(column(runs, 2)).format("%.2f", ""));
        out.flush();
    }

    private static double[] column(List<double[]> runs, int index) {
        return runs.stream().mapToDouble(r -> r[index]).toArray();
    }

    /** Usage: see {@code --help}; bad values exit 2. */
    public static void main(String[] args) {
        Cli.exit(new Gil_05_Benchmark(), args);
    }
}
