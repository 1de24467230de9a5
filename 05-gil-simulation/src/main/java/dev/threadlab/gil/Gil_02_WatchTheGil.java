package dev.threadlab.gil;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.common.time.Ticker;
import dev.threadlab.common.timeline.Timeline;
import dev.threadlab.gil.cli.HandOffChoice;
import dev.threadlab.gil.cli.SolutionOption;
import dev.threadlab.gil.cli.SwitchIntervalOption;
import dev.threadlab.gil.engine.Experiments;
import dev.threadlab.gil.engine.GilClock;
import dev.threadlab.gil.engine.Interpreter;
import dev.threadlab.gil.engine.SwitchIntervalGil;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Two CPU-bound Python threads on a GIL built like CPython's: who holds it, when, and how it
 * changes hands. Each waiting thread waits one switch interval (5 ms), then sets the drop request
 * ({@code ^} on its lane); the holder drops the GIL at its next check and waits until the other has
 * taken it ({@code ^} marks the hand-off on the new holder's lane).
 *
 * <p>Run: {@code ./mvnw -q -pl 05-gil-simulation -am process-test-classes -Pdemo} (this is the
 * module's default demo). Try {@code -Ddemo.args="--interval-us 1000"}, {@code "--io"} (adds an
 * I/O-bound thread), {@code "--svg /tmp/gil.svg"}, and, once you have done the exercise,
 * {@code "--solution yours"}.
 *
 * <p>What to observe (2 cores shared with other builds, load average 2.07, JDK 25.0.3):
 * <pre>
 *           0 ms                                                                                          110 ms
 * worker-1 |#######.......----^#########-------^#######-------^#######------^#######-------^#######------^####--|
 * worker-2 |-----^---^########---------^########-------^######-------^#######-------^#######------^#######---^#-|
 * switch interval 5000 µs; 13 hand-offs in 113 ms = 115 per second; 12 drop requests
 * finish-time fairness of the two CPU-bound threads (first / last): 1.00
 * </pre>
 * The lanes alternate, never both {@code #} at once although there are two cores; each slice lasts
 * at least one interval (here about 9 ms: the woken thread also waits for a CPU); both threads
 * finish together.
 */
@Command(
        name = "gil-02",
        mixinStandardHelpOptions = true,
        description = "Two CPU-bound Python threads on a CPython-design GIL, drawn as timeline lanes.")
public final class Gil_02_WatchTheGil implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private SwitchIntervalOption interval;

    @Option(
            names = "--turns",
            defaultValue = "40000",
            description = "eval-loop turns per thread (1-100000000, default ${DEFAULT-VALUE})")
    private long turns;

    @Option(names = "--io", description = "add an I/O-bound thread (1 ms of blocking I/O, then a few turns, 20 times)")
    private boolean io;

    @Mixin
    private SolutionOption solution;

    @Option(
            names = "--columns",
            defaultValue = "100",
            description = "width of the lanes (20-400, default ${DEFAULT-VALUE})")
    private int columns;

    @Option(names = "--svg", description = "also write the timeline as an SVG file")
    private Path svg;

    @Override
    public Integer call() throws Exception {
        return solution.explainingAStub(spec, this::demo);
    }

    private Integer demo() throws InterruptedException, IOException {
        Duration switchInterval = interval.validated(spec);
        Path svgDirectory = svg == null ? null : svg.toAbsolutePath().getParent();
        Cli.require(
                spec,
                svg == null || (Files.isDirectory(svgDirectory) && Files.isWritable(svgDirectory)),
                "--svg: no writable directory %s to write %s in",
                svgDirectory,
                svg == null ? null : svg.getFileName());
        Cli.require(spec, turns >= 1 && turns <= 100_000_000, "--turns must be between 1 and 100000000, was %d", turns);
        Cli.require(spec, columns >= 20 && columns <= 400, "--columns must be between 20 and 400, was %d", columns);
        HandOffChoice handOff = solution.validated(spec);
        Timeline timeline = Timeline.system();
        SwitchIntervalGil gil = new SwitchIntervalGil(GilClock.system(), switchInterval, handOff.create(), timeline);
        Map<String, Interpreter.PythonCode> threads = new LinkedHashMap<>();
        threads.put("worker-1", py -> py.compute(turns));
        threads.put("worker-2", py -> py.compute(turns));
        if (io) {
            threads.put("io-thread", py -> {
                for (int i = 0; i < 20; i++) {
                    py.io(Duration.ofMillis(1));
                    py.compute(10);
                }
            });
        }
        Interpreter.Run run =
                new Interpreter(gil, Sleeper.real(), Ticker.system(), Experiments.BYTECODES_PER_CHECK).run(threads);

        PrintWriter out = spec.commandLine().getOut();
        out.print(timeline.renderAscii(columns));
        double seconds = run.elapsedNanos() / 1e9;
        out.printf(
                "switch interval %d µs; %s in %.0f ms = %.0f per second; %s%n",
                interval.micros(),
                Experiments.count(gil.handOffs(), "hand-off"),
                seconds * 1000,
                gil.handOffs() / seconds,
                Experiments.count(gil.dropRequests(), "drop request"));
        for (Interpreter.Finished thread : run.threads()) {
            out.printf("%-9s finished at %5.0f ms%n", thread.name(), thread.elapsedNanos() / 1e6);
        }
        Interpreter.Run cpuOnly = new Interpreter.Run(run.threads().subList(0, 2));
        out.printf("finish-time fairness of the two CPU-bound threads (first / last): %.2f%n", cpuOnly.fairness());
        if (svg != null) {
            Files.writeString(svg, timeline.renderSvg(800));
            out.println("wrote " + svg.toAbsolutePath());
        }
        out.flush();
        return 0;
    }

    /** Usage: see {@code --help}; bad values exit 2. */
    public static void main(String[] args) {
        Cli.exit(new Gil_02_WatchTheGil(), args);
    }
}
