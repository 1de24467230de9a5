package dev.threadlab.gil;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.gil.cli.HandOffChoice;
import dev.threadlab.gil.cli.SolutionOption;
import dev.threadlab.gil.cli.SwitchIntervalOption;
import dev.threadlab.gil.engine.Experiments;
import dev.threadlab.gil.engine.Experiments.Neighbour;
import dev.threadlab.gil.engine.Gil;
import dev.threadlab.gil.engine.GilClock;
import dev.threadlab.gil.engine.SwitchIntervalGil;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * "Use threading for I/O-bound tasks," says the lesson. Mostly right, with one famous exception:
 * an I/O-bound thread beside a CPU-bound one (bpo-7946, "Convoy effect with I/O bound threads and
 * New GIL", 2010). Every time the I/O thread's data arrives it needs the GIL back, the CPU-bound
 * thread has it, and the I/O thread waits a whole switch interval before it may even ask.
 *
 * <p>Run: {@code ./mvnw -q -pl 05-gil-simulation -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.gil.Gil_04_Convoy}
 *
 * <p>What to observe (2 cores shared with other builds, load average 2.38, JDK 25.0.3):
 * <pre>
 * I/O thread: 100 µs of blocking I/O, then 10 turns of bytecode, per request; switch interval 5000 µs
 * alone                                           4649 requests/s
 * beside a CPU-bound thread                        188 requests/s
 * beside CPU-bound work outside the interpreter    4819 requests/s
 * </pre>
 * Beside a CPU-bound thread each request waits a whole switch interval for the GIL: at most
 * 1 / 5 ms = 200 a second. The same work outside the interpreter (without the GIL, as hashlib or
 * numpy run theirs) costs the I/O thread nothing.
 */
@Command(
        name = "gil-04",
        mixinStandardHelpOptions = true,
        description = "The convoy effect: an I/O-bound thread's requests per second beside a CPU-bound thread.")
public final class Gil_04_Convoy implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--window-ms",
            defaultValue = "1000",
            description = "how long each case runs, in ms (100-60000, default ${DEFAULT-VALUE})")
    private long windowMillis;

    @Option(
            names = "--io-us",
            defaultValue = "100",
            description = "blocking I/O per request, in µs (0-1000000, default ${DEFAULT-VALUE})")
    private long ioMicros;

    @Mixin
    private SwitchIntervalOption interval;

    @Mixin
    private SolutionOption solution;

    @Override
    public Integer call() throws Exception {
        return solution.explainingAStub(spec, this::demo);
    }

    private Integer demo() throws InterruptedException {
        Cli.require(
                spec,
                windowMillis >= 100 && windowMillis <= 60_000,
                "--window-ms must be between 100 and 60000, was %d",
                windowMillis);
        Cli.require(
                spec,
                ioMicros >= 0 && ioMicros <= 1_000_000,
                "--io-us must be between 0 and 1000000, was %d",
                ioMicros);
        Duration switchInterval = interval.validated(spec);
        HandOffChoice handOff = solution.validated(spec);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "I/O thread: %d µs of blocking I/O, then 10 turns of bytecode, per request; switch interval %d µs%n",
                ioMicros, interval.micros());
        for (Neighbour neighbour : Neighbour.values()) {
            Gil gil = new SwitchIntervalGil(GilClock.system(), switchInterval, handOff.create(), null);
            double perSecond = Experiments.convoyRequestsPerSecond(
                    gil,
                    neighbour,
                    Duration.ofMillis(windowMillis),
                    Duration.ofNanos(ioMicros * 1_000),
                    10,
                    Experiments.BYTECODES_PER_CHECK);
            out.printf("%-44s %7.0f requests/s%n", neighbour, perSecond);
        }
        out.flush();
        return 0;
    }

    /** Usage: {@code [--window-ms MS] [--io-us US] [--interval-us US] [--solution reference|yours]}; bad values exit 2. */
    public static void main(String[] args) {
        Cli.exit(new Gil_04_Convoy(), args);
    }
}
