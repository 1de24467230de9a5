package dev.threadlab.multiprocessing;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Ticker;
import dev.threadlab.multiprocessing.pool.ProcessPool;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * CPython's answer to CPU-bound work, {@code Pool(2).map(count_primes, limits)}, with worker JVMs:
 * which worker runs which item, and do the results come back in order?
 *
 * <p>Run: {@code ./mvnw -q -pl 06-multiprocessing -am process-test-classes -Pdemo} (the module's
 * default demo; {@code -Ddemo.args="--workers 3 --chunk-size 2"} to change it)
 *
 * <p>What to observe (2 cores, JDK 25.0.3, load average 10 from other builds):
 * <pre>
 * [ 180 ms] main       started 2 worker JVMs: [27796, 27799]
 * [ 475 ms] main       pid per item, chunk size 1: [27796, 27799, 27799, 27799, 27799, 27799, 27799, 27799]
 * [ 481 ms] main       pid per item, chunk size 4: [27799, 27799, 27799, 27799, 27796, 27796, 27796, 27796]
 * [ 618 ms] main       countPrimes of [100000, 200000, 300000, 400000] = [9592, 17984, 25997, 33860]
 * </pre>
 * With chunk size 1 every item is a round trip to whichever worker is free: here item 0 waited
 * for worker 27796 to finish booting while 27799, ready first, answered the other seven; run it
 * again and the pids fall differently. With chunk size 4 a worker takes four items at once. The
 * results are always in item order, whatever order the workers finish in: {@code map} puts each
 * chunk's results in its place.
 */
@Command(
        name = "multiprocessing-02",
        mixinStandardHelpOptions = true,
        description = "Pool.map on worker JVMs: chunks, worker pids, results in order.")
public final class Multiprocessing_02_PoolMap implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--workers", defaultValue = "2", description = "worker JVMs (1-16, default ${DEFAULT-VALUE})")
    private int workers;

    @Option(
            names = "--solution",
            defaultValue = "reference",
            converter = PoolMapChoice.Converter.class,
            description = PoolMapChoice.DESCRIPTION)
    private PoolMapChoice solution;

    @Option(
            names = "--chunk-size",
            defaultValue = "4",
            description = "items per chunk for the second map (1-1000, default ${DEFAULT-VALUE})")
    private int chunkSize;

    @Option(
            names = "--limits",
            split = ",",
            defaultValue = "100000,200000,300000,400000",
            description = "count the primes below each of these (each 0-10000000, default ${DEFAULT-VALUE})")
    private List<Long> limits;

    @Override
    public Integer call() throws Exception {
        Cli.require(spec, workers >= 1 && workers <= 16, "--workers must be in 1..16, was %d", workers);
        Cli.require(spec, chunkSize >= 1 && chunkSize <= 1000, "--chunk-size must be in 1..1000, was %d", chunkSize);
        Cli.require(
                spec,
                limits.stream().allMatch(l -> l >= 0 && l <= 10_000_000),
                "--limits must each be in 0..10000000, were %s",
                limits);
        Console console = new Console(spec.commandLine().getOut(), Ticker.system());

        try (ProcessPool pool = ProcessPool.start(workers, solution.create())) {
            console.println("started " + workers + (workers == 1 ? " worker JVM: " : " worker JVMs: ") + pool.pids());
            List<Integer> items = IntStream.range(0, 8).boxed().toList();
            console.println("pid per item, chunk size 1: " + pool.map("pid", items, 1));
            console.println("pid per item, chunk size " + chunkSize + ": " + pool.map("pid", items, chunkSize));
            console.println("countPrimes of " + limits + " = " + pool.map("countPrimes", limits, 1));
        } catch (NotImplementedYet stub) {
            spec.commandLine().getErr().println(PoolMapChoice.notWrittenYet(stub));
            return 1;
        }
        return 0;
    }

    /** Usage: {@code [--workers N] [--chunk-size N] [--limits A,B,...]}; bad values exit 2. */
    public static void main(String[] args) {
        Cli.exit(new Multiprocessing_02_PoolMap(), args);
    }
}
