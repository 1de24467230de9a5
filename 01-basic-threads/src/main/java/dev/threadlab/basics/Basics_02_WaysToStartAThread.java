package dev.threadlab.basics;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.common.time.Ticker;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Python has one way to make a thread, {@code threading.Thread(target=f)}. Java has several; which
 * one should you reach for? This demo runs the lesson's {@code print_numbers} body each way.
 *
 * <p>Run: {@code ./mvnw -q -pl 01-basic-threads -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.basics.Basics_02_WaysToStartAThread -Ddemo.args="--delay-ms 100"}
 *
 * <ol>
 *   <li>{@code new Thread(runnable, name)}: the classic, and the direct translation of Python.</li>
 *   <li>{@code Thread.ofPlatform().name("platform-", 1).start(runnable)}: the Java 21 builder;
 *       names are numbered for you, and it starts the thread in one call.</li>
 *   <li>{@code Thread.ofVirtual()}: a virtual thread (Java 21), scheduled by the JVM on a few
 *       carrier threads; cheap enough to have a million. Always a daemon thread.</li>
 *   <li>{@code ExecutorService} in try-with-resources: you submit tasks, the pool owns the threads,
 *       and {@code close()} (Java 19+) waits for every task, like joining every thread.</li>
 * </ol>
 *
 * <p>What to observe: each block prints with its own thread names ({@code classic-1},
 * {@code platform-1}, {@code virtual-1}, {@code pool-1-thread-1}); in each block the two threads
 * interleave, and the next block starts only after the previous one's threads are done.
 */
@Command(
        name = "basics-02",
        mixinStandardHelpOptions = true,
        description =
                "The lesson's two threads, started four ways: Thread, Thread.ofPlatform(), Thread.ofVirtual(), ExecutorService.")
public final class Basics_02_WaysToStartAThread implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--count",
            defaultValue = "2",
            description = "numbers each thread prints (0-100, default ${DEFAULT-VALUE})")
    private int count;

    @Option(
            names = "--delay-ms",
            defaultValue = "500",
            description = "pause after each number, in ms (0-10000, default ${DEFAULT-VALUE})")
    private long delayMs;

    /** Runs the two-thread program four ways, one after the other, on {@code console}. */
    static void run(int count, Duration delay, Sleeper sleeper, Console console) throws InterruptedException {
        Runnable body = () -> {
            try {
                Basics_01_PrintNumbers.printNumbers(count, delay, sleeper, console);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };

        console.println("1. new Thread(runnable, name), start(), join()");
        Thread a = new Thread(body, "classic-1");
        Thread b = new Thread(body, "classic-2");
        a.start();
        b.start();
        a.join();
        b.join();

        console.println("2. Thread.ofPlatform(): a builder that names and starts");
        Thread.Builder platform = Thread.ofPlatform().name("platform-", 1);
        Thread c = platform.start(body);
        Thread d = platform.start(body);
        c.join();
        d.join();

        console.println("3. Thread.ofVirtual(): virtual threads, same API");
        Thread.Builder virtual = Thread.ofVirtual().name("virtual-", 1);
        Thread e = virtual.start(body);
        Thread f = virtual.start(body);
        e.join();
        f.join();

        console.println("4. ExecutorService in try-with-resources: close() waits for the tasks");
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            pool.submit(body);
            pool.submit(body);
        } // close(): shutdown(), then wait until both tasks have finished

        console.println("Threads completed.");
    }

    @Override
    public Integer call() throws InterruptedException {
        Cli.require(spec, count >= 0 && count <= 100, "--count must be between 0 and 100, was %d", count);
        Cli.require(spec, delayMs >= 0 && delayMs <= 10_000, "--delay-ms must be between 0 and 10000, was %d", delayMs);
        run(
                count,
                Duration.ofMillis(delayMs),
                Sleeper.real(),
                new Console(spec.commandLine().getOut(), Ticker.system()));
        return 0;
    }

    /** Usage: {@code [--count N] [--delay-ms MS]}; bad values print usage and exit 2. */
    public static void main(String[] args) {
        Cli.exit(new Basics_02_WaysToStartAThread(), args);
    }
}
