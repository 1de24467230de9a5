package dev.threadlab.multiprocessing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.testsupport.CliRun;
import dev.threadlab.multiprocessing.bench.Multiprocessing_04_ThreadsVersusProcesses;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The demos show what their javadoc says, on real worker JVMs, and refuse bad arguments with usage and status 2. */
class DemosTest {

    /** The numbers inside the last [...] of a line. */
    private static List<Long> listIn(String line) {
        String inside = line.substring(line.lastIndexOf('[') + 1, line.lastIndexOf(']'));
        return Arrays.stream(inside.split(", ")).map(Long::parseLong).toList();
    }

    @Test
    void separateMemoryShowsTheWorkersCountingLeavesTheParentsCounterAlone() {
        CliRun run = CliRun.of(new Multiprocessing_01_SeparateMemory());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.texts();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(2))
                .as("a fresh worker JVM counts from 0")
                .endsWith("ran incrementCounter 3 times and saw [1, 2, 3]");
        long afterThread = Long.parseLong(lines.get(1).split(" ")[3]);
        assertThat(lines.get(3))
                .as("the worker's increments are not the parent's")
                .startsWith("this JVM's counter: still " + afterThread + " ");
    }

    @Test
    void poolMapKeepsItemOrderAndRunsEachChunkOnOneWorker() {
        CliRun run = CliRun.of(new Multiprocessing_02_PoolMap(), "--chunk-size", "4", "--limits", "10,100,1000");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.texts();
        List<Long> workers = listIn(lines.get(0));
        List<Long> byChunksOfFour = listIn(lines.get(2));
        assertThat(lines.get(0)).startsWith("started 2 worker JVMs: ");
        assertThat(workers).hasSize(2);
        assertThat(byChunksOfFour).hasSize(8).isSubsetOf(workers);
        assertThat(byChunksOfFour.subList(0, 4))
                .as("a chunk of four runs on one worker")
                .containsOnly(byChunksOfFour.get(0));
        assertThat(byChunksOfFour.subList(4, 8))
                .as("a chunk of four runs on one worker")
                .containsOnly(byChunksOfFour.get(4));
        assertThat(lines.get(3)).isEqualTo("countPrimes of [10, 100, 1000] = [4, 25, 168]");
    }

    @Test
    void aWorkerKilledMidTaskCostsOnlyItsTaskAndIsReplaced() {
        CliRun run = CliRun.of(new Multiprocessing_03_CrashStaysInOneWorker());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.texts();
        long killed = Long.parseLong(lines.get(1).substring(lines.get(1).lastIndexOf(' ') + 1));
        assertThat(lines.get(2))
                .startsWith("its chunk failed: rendezvous(")
                .endsWith("worker pid " + killed
                        + " died with exit code 137 (killed by signal 9, SIGKILL) while running it");
        assertThat(lines.get(3)).isEqualTo("the pool goes on: squares of [1, 2, 3, 4] = [1, 4, 9, 16]");
        assertThat(listIn(lines.get(4).substring(0, lines.get(4).indexOf(" ("))))
                .hasSize(2)
                .doesNotContain(killed);
    }

    static List<Arguments> badArguments() {
        Supplier<Callable<Integer>> separateMemory = Multiprocessing_01_SeparateMemory::new;
        Supplier<Callable<Integer>> poolMap = Multiprocessing_02_PoolMap::new;
        Supplier<Callable<Integer>> crash = Multiprocessing_03_CrashStaysInOneWorker::new;
        Supplier<Callable<Integer>> benchmark = Multiprocessing_04_ThreadsVersusProcesses::new;
        return List.of(
                Arguments.of(
                        separateMemory, new String[] {"--increments", "0"}, "--increments must be in 1..1000, was 0"),
                Arguments.of(poolMap, new String[] {"--workers", "0"}, "--workers must be in 1..16, was 0"),
                Arguments.of(poolMap, new String[] {"--chunk-size", "0"}, "--chunk-size must be in 1..1000, was 0"),
                Arguments.of(
                        poolMap,
                        new String[] {"--limits", "10,-1"},
                        "--limits must each be in 0..10000000, were [10, -1]"),
                Arguments.of(poolMap, new String[] {"--limits", "ten"}, "invalid value for --limits: 'ten' ("),
                Arguments.of(crash, new String[] {"--workers", "17"}, "--workers must be in 1..16, was 17"),
                Arguments.of(
                        crash, new String[] {"--solution", "mine"}, "--solution must be reference or yours, was mine"),
                Arguments.of(
                        benchmark,
                        new String[] {"--solution", "theirs"},
                        "--solution must be reference or yours, was theirs"),
                Arguments.of(benchmark, new String[] {"--reps", "0"}, "--reps must be between 1 and 50, was 0"),
                Arguments.of(benchmark, new String[] {"--io-requests", "33"}, "--io-requests must be in 1..32, was 33"),
                Arguments.of(benchmark, new String[] {"--io-delay-ms", "0"}, "--io-delay-ms must be in 1..5000, was 0"),
                Arguments.of(
                        benchmark,
                        new String[] {"--round-trips", "10"},
                        "--round-trips must be in 100..1000000, was 10"),
                Arguments.of(
                        benchmark,
                        new String[] {"--python-script", "no/such/script.py"},
                        "--python-script no/such/script.py not found"),
                Arguments.of(
                        benchmark, new String[] {"--java-limit", "many"}, "invalid value for --java-limit: 'many' ("));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badArguments")
    void badArgumentsPrintTheProblemAndTheUsageAndExitWithStatus2(
            Supplier<Callable<Integer>> demo, String[] args, String problem) {
        CliRun run = CliRun.of(demo.get(), args);

        assertThat(run.exitCode()).as("bad input exits with the usage status").isEqualTo(Cli.USAGE);
        assertThat(run.err()).contains(problem).contains("Usage:");
        assertThat(run.out()).as("the demo did not run").isEmpty();
    }
}
