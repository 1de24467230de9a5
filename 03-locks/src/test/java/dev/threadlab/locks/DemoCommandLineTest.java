package dev.threadlab.locks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.testsupport.CliRun;
import dev.threadlab.locks.bench.Locks_06_CounterBenchmark;
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
        Supplier<Callable<Integer>> one = Locks_01_UnsafeCounter::new;
        Supplier<Callable<Integer>> two = Locks_02_FixedCounters::new;
        Supplier<Callable<Integer>> three = Locks_03_Reentrancy::new;
        Supplier<Callable<Integer>> four = Locks_04_ForgottenRelease::new;
        Supplier<Callable<Integer>> five = Locks_05_Deadlock::new;
        Supplier<Callable<Integer>> six = Locks_06_CounterBenchmark::new;
        return Stream.of(
                Arguments.of(one, new String[] {"--threads", "0"}, "--threads must be between 1 and 64, was 0"),
                Arguments.of(
                        one,
                        new String[] {"--increments", "-3"},
                        "--increments must be between 1 and 100000000, was -3"),
                Arguments.of(two, new String[] {"--threads", "65"}, "--threads must be between 1 and 64, was 65"),
                Arguments.of(two, new String[] {"--increments", "lots"}, "invalid value for --increments: 'lots' ("),
                Arguments.of(
                        three, new String[] {"--timeout-ms", "0"}, "--timeout-ms must be between 1 and 60000, was 0"),
                Arguments.of(
                        four, new String[] {"--wait-ms", "70000"}, "--wait-ms must be between 1 and 60000, was 70000"),
                Arguments.of(four, new String[] {"--frobnicate"}, "unknown option '--frobnicate'"),
                Arguments.of(
                        five,
                        new String[] {"--fix", "pray"},
                        "--fix must be one of [none, ordered, trylock], was 'pray'"),
                Arguments.of(five, new String[] {"--try-ms", "0"}, "--try-ms must be between 1 and 10000, was 0"),
                Arguments.of(
                        five,
                        new String[] {"--fix", "none", "--try-ms", "100"},
                        "--try-ms applies only to --fix trylock, was given with --fix none"),
                Arguments.of(six, new String[] {"--forks", "0"}, "--forks must be between 1 and 5, was 0"),
                Arguments.of(six, new String[] {"--time-ms", "10"}, "--time-ms must be between 100 and 10000, was 10"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badArguments")
    void badArgumentsPrintTheProblemAndTheUsageAndExitWithCode2(
            Supplier<Callable<Integer>> demo, String[] args, String problem) {
        CliRun run = CliRun.of(demo.get(), args);

        assertThat(run.exitCode()).isEqualTo(Cli.USAGE);
        assertThat(run.err()).contains(problem).contains("Usage:");
        assertThat(run.out()).isEmpty();
    }

    static Stream<Arguments> fastRuns() {
        return Stream.of(
                Arguments.of(
                        "Locks_01",
                        new Locks_01_UnsafeCounter(),
                        new String[] {"--increments", "1000"},
                        "expected 4000, got "),
                Arguments.of(
                        "Locks_02",
                        new Locks_02_FixedCounters(),
                        new String[] {"--increments", "1000"},
                        "4 threads x 1000 increments on each counter"),
                Arguments.of(
                        "Locks_03",
                        new Locks_03_Reentrancy(),
                        new String[] {"--timeout-ms", "1"},
                        "release() when not held -> IllegalStateException: release unlocked lock"),
                Arguments.of(
                        "Locks_04",
                        new Locks_04_ForgottenRelease(),
                        new String[] {"--wait-ms", "1"},
                        "gave up: the lock says [Locked by thread teller-1], and teller-1 is TERMINATED"),
                Arguments.of(
                        "Locks_05",
                        new Locks_05_Deadlock(),
                        new String[] {"--fix", "ordered"},
                        "moved 50 from account B to account A"));
    }

    static Stream<Callable<Integer>> everyDemo() {
        return Stream.of(
                new Locks_01_UnsafeCounter(),
                new Locks_02_FixedCounters(),
                new Locks_03_Reentrancy(),
                new Locks_04_ForgottenRelease(),
                new Locks_05_Deadlock(),
                new Locks_06_CounterBenchmark());
    }

    @ParameterizedTest
    @MethodSource("everyDemo")
    void dashVPrintsTheDemoAndTheJdk(Callable<Integer> demo) {
        CliRun run = CliRun.of(demo, "-V");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("threadlab locks-0").contains(", Java " + Runtime.version());
    }

    @Test
    void theFixedCountersDemoShowsNoLostUpdateForAnyFix() {
        CliRun run = CliRun.of(new Locks_02_FixedCounters(), "--threads", "3", "--increments", "5000");

        assertThat(run.out()
                        .lines()
                        .filter(line -> !line.startsWith("UnsafeCounter"))
                        .skip(2))
                .as("every fixed counter must count 3 x 5000 and lose nothing")
                .hasSize(4)
                .allSatisfy(line -> assertThat(line.split(" +")).endsWith("15000", "15000", "0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fastRuns")
    void validArgumentsRunTheDemoAndExitWith0(String name, Callable<Integer> demo, String[] args, String expected) {
        CliRun run = CliRun.of(demo, args);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(expected);
    }
}
