package dev.threadlab.basics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.basics.bench.Basics_06_IoBenchmark;
import dev.threadlab.common.testsupport.CliRun;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The "why use threads" demos and their benchmark validate their arguments: the problem, the usage, exit code 2. */
class WhyThreadsCommandLineTest {

    static Stream<Arguments> badArguments() {
        Supplier<Callable<Integer>> io = Basics_04_IoBound::new;
        Supplier<Callable<Integer>> responsive = Basics_05_Responsiveness::new;
        Supplier<Callable<Integer>> bench = Basics_06_IoBenchmark::new;
        return Stream.of(
                Arguments.of(io, new String[] {"--requests", "0"}, "--requests must be between 1 and 1000, was 0"),
                Arguments.of(io, new String[] {"--delay-ms", "-1"}, "--delay-ms must be between 0 and 10000, was -1"),
                Arguments.of(
                        io,
                        new String[] {"--modes", "sequential,async"},
                        "--modes takes sequential, platform, virtual; not async"),
                Arguments.of(io, new String[] {"--requests", "many"}, "invalid value for --requests: 'many' ("),
                Arguments.of(
                        responsive, new String[] {"--task-ms", "0"}, "--task-ms must be between 1 and 10000, was 0"),
                Arguments.of(
                        responsive,
                        new String[] {"--tick-ms", "1001"},
                        "--tick-ms must be between 1 and 1000, was 1001"),
                Arguments.of(responsive, new String[] {"--loop", "tk"}, "--loop must be swing or plain, was tk"),
                Arguments.of(bench, new String[] {"--reps", "0"}, "--reps must be between 1 and 50, was 0"),
                Arguments.of(
                        bench,
                        new String[] {"--python", "maybe"},
                        "--python maybe: no such program on the PATH; give auto, skip or a Python's path"),
                Arguments.of(
                        bench, new String[] {"--python-script", "nowhere.py"}, "--python-script nowhere.py not found"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badArguments")
    void badArgumentsPrintTheProblemAndTheUsageAndExitWithCode2(
            Supplier<Callable<Integer>> demo, String[] args, String problem) {
        CliRun run = CliRun.of(demo.get(), args);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(problem).contains("Usage:");
        assertThat(run.out()).isEmpty();
    }
}
