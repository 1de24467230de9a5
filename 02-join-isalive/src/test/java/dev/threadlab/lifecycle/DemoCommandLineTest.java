package dev.threadlab.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.testsupport.CliRun;
import dev.threadlab.lifecycle.bench.Lifecycle_07_StartJoinCost;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every demo's main validates its arguments: bad input prints what is wrong and the usage, and exits 2. */
class DemoCommandLineTest {

    static Stream<Arguments> badArguments() {
        Supplier<Callable<Integer>> one = Lifecycle_01_StartVersusRun::new;
        Supplier<Callable<Integer>> two = Lifecycle_02_JoinWaits::new;
        Supplier<Callable<Integer>> three = Lifecycle_03_JoinWithTimeout::new;
        Supplier<Callable<Integer>> four = Lifecycle_04_ThreadStates::new;
        Supplier<Callable<Integer>> five = Lifecycle_05_Interrupt::new;
        Supplier<Callable<Integer>> six = Lifecycle_06_UncaughtException::new;
        Supplier<Callable<Integer>> bench = Lifecycle_07_StartJoinCost::new;
        return Stream.of(
                Arguments.of(one, new String[] {"--name", " "}, "--name must not be blank"),
                Arguments.of(two, new String[] {"--count", "0"}, "--count must be between 1 and 1000, was 0"),
                Arguments.of(two, new String[] {"--pause-ms", "-5"}, "--pause-ms must be between 0 and 10000, was -5"),
                Arguments.of(
                        three,
                        new String[] {"--timeout-ms", "0"},
                        "--timeout-ms must be between 1 and 60000, was 0 (0 would mean: wait forever)"),
                Arguments.of(three, new String[] {"--work-ms", "soon"}, "invalid value for --work-ms: 'soon' ("),
                Arguments.of(four, new String[] {"--nap-ms", "0"}, "--nap-ms must be between 1 and 5000, was 0"),
                Arguments.of(four, new String[] {"--width", "5"}, "--width must be between 10 and 200, was 5"),
                Arguments.of(five, new String[] {"--steps", "101"}, "--steps must be between 1 and 100, was 101"),
                Arguments.of(six, new String[] {"--message", ""}, "--message must not be blank"),
                Arguments.of(six, new String[] {"--frobnicate"}, "unknown option '--frobnicate'"),
                Arguments.of(bench, new String[] {"--iterations", "2"}, "--iterations must be between 3 and 50, was 2"),
                Arguments.of(bench, new String[] {"--warmups", "0"}, "--warmups must be between 1 and 20, was 0"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badArguments")
    void badArgumentsPrintTheProblemAndTheUsageAndExitWithCode2(
            Supplier<Callable<Integer>> demo, String[] args, String problem) {
        CliRun run = CliRun.of(demo.get(), args);

        assertThat(run.exitCode()).as("exit code for bad input (%s)", run.err()).isEqualTo(Cli.USAGE);
        assertThat(run.err()).contains(problem).contains("Usage:");
        assertThat(run.out()).as("nothing runs on bad input").isEmpty();
    }

    @Test
    void aNewThreadNamedLikeTheCallerIsRefusedBecauseRunAndStartWouldLookAlike() {
        String caller = Thread.currentThread().getName();

        CliRun run = CliRun.of(new Lifecycle_01_StartVersusRun(), "--name", caller);

        assertThat(run.exitCode()).isEqualTo(Cli.USAGE);
        assertThat(run.err()).contains("--name must differ from the caller's thread name \"" + caller + "\"");
    }

    static Stream<Arguments> fastRuns() {
        return Stream.of(
                Arguments.of(
                        "Lifecycle_01",
                        new Lifecycle_01_StartVersusRun(),
                        new String[] {},
                        "start() again: java.lang.IllegalThreadStateException"),
                Arguments.of(
                        "Lifecycle_02",
                        new Lifecycle_02_JoinWaits(),
                        new String[] {"--pause-ms", "0"},
                        "after join:   5 of 5 written, isAlive() = false: [1, 4, 9, 16, 25]"),
                Arguments.of(
                        "Lifecycle_03",
                        new Lifecycle_03_JoinWithTimeout(),
                        new String[] {"--work-ms", "0", "--timeout-ms", "1"},
                        "join() returned; isAlive() = false"),
                Arguments.of(
                        "Lifecycle_04",
                        new Lifecycle_04_ThreadStates(),
                        new String[] {"--hold-ms", "0", "--nap-ms", "1"},
                        "subject is TERMINATED"),
                Arguments.of(
                        "Lifecycle_05",
                        new Lifecycle_05_Interrupt(),
                        new String[] {"--steps", "1"},
                        "sleeping: woken by InterruptedException, stopped"),
                Arguments.of(
                        "Lifecycle_06",
                        new Lifecycle_06_UncaughtException(),
                        new String[] {},
                        "main learned: java.lang.IllegalStateException: disk full"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fastRuns")
    void validArgumentsRunTheDemoAndExitWith0(String name, Callable<Integer> demo, String[] args, String line) {
        CliRun run = CliRun.of(demo, args);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(line);
    }

    @Test
    void theUncaughtTraceIsPrintedInOrderBeforeMainSaysJoinReturned() {
        CliRun run = CliRun.of(new Lifecycle_06_UncaughtException());

        String out = run.out();
        int trace = out.indexOf("Exception in thread \"worker\" java.lang.IllegalStateException: disk full");
        assertThat(trace)
                .as("the default-like trace is on the demo's own output:%n%s", out)
                .isNotNegative();
        assertThat(out.indexOf("join() returned normally"))
                .as("the trace comes first, as it happened:%n%s", out)
                .isGreaterThan(trace);
        assertThat(run.err()).as("nothing on stderr, so nothing to reorder").isEmpty();
    }
}
