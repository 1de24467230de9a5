package dev.threadlab.daemon;

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

/** Every demo validates its arguments: bad input prints what is wrong and the usage, and exits 2. */
class DemoCommandLineTest {

    static Stream<Arguments> badArguments() {
        Supplier<Callable<Integer>> d1 = Daemon_01_DiesWithMain::new;
        Supplier<Callable<Integer>> d2 = Daemon_02_LostLogLines::new;
        Supplier<Callable<Integer>> d3 = Daemon_03_WhatEachFixGuarantees::new;
        Supplier<Callable<Integer>> d4 = Daemon_04_DaemonRules::new;
        Supplier<Callable<Integer>> d5 = Daemon_05_ForgottenPool::new;
        return Stream.of(
                Arguments.of(d1, new String[] {"--kind", "zombie"}, "invalid value for --kind: 'zombie' ("),
                Arguments.of(d1, new String[] {"--tick-ms", "-1"}, "--tick-ms must be between 0 and 10000, was -1"),
                Arguments.of(d2, new String[] {"--lines", "0"}, "--lines must be between 1 and 1000000, was 0"),
                Arguments.of(d2, new String[] {"--batch", "0"}, "--batch must be between 1 and 100000, was 0"),
                Arguments.of(d2, new String[] {"--fix", "prayer"}, "invalid value for --fix: 'prayer' ("),
                Arguments.of(
                        d2,
                        new String[] {"--file", "/nonexistent/dir/x.log"},
                        "--file must be in an existing directory, and /nonexistent/dir is not one"),
                Arguments.of(
                        d2,
                        new String[] {"--file", System.getProperty("java.io.tmpdir")},
                        "--file must be a file, not a directory: "),
                Arguments.of(d3, new String[] {"--runs", "21"}, "--runs must be between 1 and 20, was 21"),
                Arguments.of(d3, new String[] {"--end", "sigint"}, "invalid value for --end: 'sigint' ("),
                Arguments.of(d3, new String[] {"--jobs", "0"}, "--jobs must be between 1 and 9, was 0"),
                Arguments.of(d4, new String[] {"--frobnicate"}, "unknown option '--frobnicate'"),
                Arguments.of(d5, new String[] {"--pool-size", "0"}, "--pool-size must be between 1 and 64, was 0"),
                Arguments.of(d5, new String[] {"--grace-ms", "-5"}, "--grace-ms must be between 0 and 60000, was -5"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badArguments")
    void badArgumentsPrintTheProblemAndTheUsageAndExitWithCode2(
            Supplier<Callable<Integer>> demo, String[] args, String problem) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(demo.get(), new PrintWriter(out), new PrintWriter(err), args);

        assertThat(code).as("exit code for bad input").isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains(problem).contains("Usage:");
        assertThat(out.toString()).as("nothing runs on bad input").isEmpty();
    }
}
