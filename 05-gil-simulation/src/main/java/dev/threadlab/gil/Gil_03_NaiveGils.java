package dev.threadlab.gil;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.timeline.Timeline;
import dev.threadlab.gil.cli.HandOffChoice;
import dev.threadlab.gil.cli.SolutionOption;
import dev.threadlab.gil.engine.Experiments;
import dev.threadlab.gil.engine.Gil;
import dev.threadlab.gil.engine.GilDesign;
import dev.threadlab.gil.engine.Interpreter;
import dev.threadlab.gil.engine.SwitchIntervalGil;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Why CPython's GIL is not just a lock. The same two CPU-bound Python threads run on four GILs: a
 * fair {@code ReentrantLock} taken per chunk of bytecode, an unfair one, a {@code synchronized}
 * block, and CPython's design. Same work, same machine: how long, how many hand-offs, how fair?
 *
 * <p>Run: {@code ./mvnw -q -pl 05-gil-simulation -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.gil.Gil_03_NaiveGils}
 *
 * <p>What to observe (2 cores shared with other builds, load average 2.46, JDK 25.0.3; abridged):
 * <pre>
 * fair ReentrantLock per chunk: both done in 124 ms, 1654 hand-offs (13339 per second), fairness 0.92
 * worker-1 |-#-######--##-######---##--##--##--#-###--##--###-#-########|
 * worker-2 |#-#------##--#------###--##--##--##-#---##--##---#-#---     |
 * CPython design (switch interval): both done in 46 ms, 6 hand-offs (130 per second), fairness 0.99
 * worker-2 |########----------^##########----------^##########---------^|
 * worker-1 | -------^^########----------^##########----------^^########-|
 * </pre>
 * The fair lock hands over far more often (every hand-off a park and an unpark) and finishes
 * late: it thrashes. The unfair lock and {@code synchronized} let a running thread barge back in;
 * how long the other starves depends on what else the cores are doing. CPython's design hands over
 * once per switch interval and finishes both threads together.
 *
 * <p>"Both done in" counts from the moment both threads were told to start; a lane's axis starts at
 * the first thing a thread did, which on a loaded machine comes a few ms later, so the axis can end
 * short of it.
 */
@Command(
        name = "gil-03",
        mixinStandardHelpOptions = true,
        description = "Two CPU-bound threads on a fair lock, an unfair lock, synchronized, and CPython's GIL.")
public final class Gil_03_NaiveGils implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private SolutionOption solution;

    @Option(
            names = "--turns",
            defaultValue = "20000",
            description = "eval-loop turns per thread (1-10000000, default ${DEFAULT-VALUE})")
    private long turns;

    @Option(
            names = "--columns",
            defaultValue = "60",
            description = "width of the lanes (20-400, default ${DEFAULT-VALUE})")
    private int columns;

    @Override
    public Integer call() throws Exception {
        return solution.explainingAStub(spec, this::demo);
    }

    private Integer demo() throws InterruptedException {
        Cli.require(spec, turns >= 1 && turns <= 10_000_000, "--turns must be between 1 and 10000000, was %d", turns);
        Cli.require(spec, columns >= 20 && columns <= 400, "--columns must be between 20 and 400, was %d", columns);
        HandOffChoice handOff = solution.validated(spec);
        PrintWriter out = spec.commandLine().getOut();
        for (GilDesign design :
                List.of(GilDesign.FAIR_LOCK, GilDesign.UNFAIR_LOCK, GilDesign.SYNCHRONIZED, GilDesign.CPYTHON)) {
            Timeline timeline = Timeline.system();
            Gil gil = design.create(SwitchIntervalGil.DEFAULT_INTERVAL, handOff.create(), timeline);
            Interpreter.Run run = Experiments.twoCpuBoundThreads(gil, turns, Experiments.BYTECODES_PER_CHECK);
            double seconds = run.elapsedNanos() / 1e9;
            out.printf(
                    "%n%s: both done in %.0f ms, %s (%.0f per second), fairness %.2f%n",
                    design,
                    seconds * 1000,
                    Experiments.count(gil.handOffs(), "hand-off"),
                    gil.handOffs() / seconds,
                    run.fairness());
            out.print(timeline.renderAscii(columns));
        }
        out.flush();
        return 0;
    }

    /** Usage: {@code [--turns N] [--columns N] [--solution reference|yours]}; bad values exit 2. */
    public static void main(String[] args) {
        Cli.exit(new Gil_03_NaiveGils(), args);
    }
}
