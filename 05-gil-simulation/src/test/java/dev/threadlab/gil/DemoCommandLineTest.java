package dev.threadlab.gil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every demo's main, and the benchmark's, validates its arguments: bad input says what is wrong, shows usage, exits 2. */
class DemoCommandLineTest {

    record Result(int exitCode, String out, String err) {}

    static Result run(Callable<Integer> demo, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(demo, new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    static Stream<Arguments> badArguments() {
        Supplier<Callable<Integer>> noGil = Gil_01_JavaHasNoGil::new;
        Supplier<Callable<Integer>> watch = Gil_02_WatchTheGil::new;
        Supplier<Callable<Integer>> naive = Gil_03_NaiveGils::new;
        Supplier<Callable<Integer>> convoy = Gil_04_Convoy::new;
        Supplier<Callable<Integer>> bench = Gil_05_Benchmark::new;
        return Stream.of(
                Arguments.of(
                        noGil, new String[] {"--threads", "1,0"}, "--threads must each be between 1 and 64, was 0"),
                Arguments.of(
                        noGil,
                        new String[] {"--bytecodes", "10"},
                        "--bytecodes must be between 1000 and 10000000000, was 10"),
                Arguments.of(
                        watch,
                        new String[] {"--interval-us", "0"},
                        "--interval-us must be between 1 and 1000000, was 0"),
                Arguments.of(
                        watch, new String[] {"--solution", "mine"}, "--solution must be reference or yours, was mine"),
                Arguments.of(watch, new String[] {"--turns", "many"}, "invalid value for --turns: 'many' ("),
                Arguments.of(
                        watch,
                        new String[] {"--svg", "/nonexistent/dir/x.svg"},
                        "--svg: no writable directory /nonexistent/dir to write x.svg in"),
                Arguments.of(naive, new String[] {"--columns", "5"}, "--columns must be between 20 and 400, was 5"),
                Arguments.of(
                        naive,
                        new String[] {"--solution", "Reference"},
                        "--solution must be reference or yours, was Reference"),
                Arguments.of(
                        convoy,
                        new String[] {"--solution", "theirs"},
                        "--solution must be reference or yours, was theirs"),
                Arguments.of(
                        bench, new String[] {"--solution", "mine"}, "--solution must be reference or yours, was mine"),
                Arguments.of(
                        convoy,
                        new String[] {"--window-ms", "50"},
                        "--window-ms must be between 100 and 60000, was 50"),
                Arguments.of(bench, new String[] {"--reps", "0"}, "--reps must be between 1 and 50, was 0"),
                Arguments.of(
                        bench,
                        new String[] {"--sections", "cpu,gpu"},
                        "--sections takes cpu, java, convoy, sweep; not gpu"),
                Arguments.of(
                        bench,
                        new String[] {"--python", "maybe"},
                        "--python maybe: no such program on the PATH; give auto, skip or a Python's path"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badArguments")
    void badArgumentsPrintTheProblemAndTheUsageAndExitWithCode2(
            Supplier<Callable<Integer>> demo, String[] args, String problem) {
        Result result = run(demo.get(), args);

        assertThat(result.exitCode()).as("exit code for bad input").isEqualTo(2);
        assertThat(result.err()).contains(problem).contains("Usage:");
        assertThat(result.out()).isEmpty();
    }

    static Stream<Arguments> quickRuns() {
        return Stream.of(
                Arguments.of(
                        "Gil_01",
                        new Gil_01_JavaHasNoGil(),
                        new String[] {"--bytecodes", "100000"},
                        "speed-up vs 1 thread(s)"),
                Arguments.of(
                        "Gil_02",
                        new Gil_02_WatchTheGil(),
                        new String[] {"--turns", "200", "--io"},
                        "finish-time fairness"),
                Arguments.of(
                        "Gil_03",
                        new Gil_03_NaiveGils(),
                        new String[] {"--turns", "200"},
                        "CPython design (switch interval): both done"),
                Arguments.of(
                        "Gil_04",
                        new Gil_04_Convoy(),
                        new String[] {"--window-ms", "100"},
                        "beside CPU-bound work outside the interpreter"),
                Arguments.of(
                        "Gil_05_Benchmark",
                        new Gil_05_Benchmark(),
                        new String[] {
                            "--sections", "java", "--reps", "1", "--warmups", "0", "--turns", "1000", "--python", "skip"
                        },
                        "4 threads, speed-up"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quickRuns")
    void validArgumentsRunTheDemoAndExitWith0(String name, Callable<Integer> demo, String[] args, String expected) {
        Result result = run(demo, args);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains(expected);
    }
}
