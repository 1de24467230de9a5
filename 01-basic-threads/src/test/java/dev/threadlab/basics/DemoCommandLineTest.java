package dev.threadlab.basics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.testsupport.CliRun;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every demo's main validates its arguments: bad input prints what is wrong and the usage, and exits 2. */
class DemoCommandLineTest {

    static Stream<Arguments> badArguments() {
        Supplier<Callable<Integer>> one = Basics_01_PrintNumbers::new;
        Supplier<Callable<Integer>> two = Basics_02_WaysToStartAThread::new;
        Supplier<Callable<Integer>> three = Basics_03_SharedMemory::new;
        return Stream.of(
                Arguments.of(one, new String[] {"--threads", "0"}, "--threads must be between 1 and 16, was 0"),
                Arguments.of(one, new String[] {"--count", "-1"}, "--count must be between 0 and 100, was -1"),
                Arguments.of(one, new String[] {"--delay-ms", "many"}, "invalid value for --delay-ms: 'many' ("),
                Arguments.of(one, new String[] {"--frobnicate"}, "unknown option '--frobnicate'"),
                Arguments.of(
                        two, new String[] {"--delay-ms", "20000"}, "--delay-ms must be between 0 and 10000, was 20000"),
                Arguments.of(three, new String[] {"--threads", "17"}, "--threads must be between 1 and 16, was 17"));
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("fastRuns")
    void validArgumentsRunTheDemoAndExitWith0(String name, Callable<Integer> demo, String[] args, String lastLine) {
        CliRun run = CliRun.of(demo, args);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(lastLine);
    }

    static Stream<Arguments> fastRuns() {
        return Stream.of(
                Arguments.of(
                        "Basics_01",
                        new Basics_01_PrintNumbers(),
                        new String[] {"--delay-ms", "0"},
                        "Threads completed."),
                Arguments.of(
                        "Basics_02",
                        new Basics_02_WaysToStartAThread(),
                        new String[] {"--delay-ms", "0"},
                        "Threads completed."),
                Arguments.of(
                        "Basics_03",
                        new Basics_03_SharedMemory(),
                        new String[] {"--delay-ms", "0"},
                        "shared list, as main sees it"));
    }
}
