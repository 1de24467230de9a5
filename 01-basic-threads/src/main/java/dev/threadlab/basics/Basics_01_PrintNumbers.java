package dev.threadlab.basics;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.common.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The lesson's first program, in Java: two threads each print {@code Number: 0..4}, pausing one
 * second after each; the main thread starts both, waits for both, then prints
 * {@code Threads completed.}
 *
 * <p>Run: {@code ./mvnw -q -pl 01-basic-threads -am process-test-classes -Pdemo}
 * (options: {@code -Ddemo.args="--threads 3 --count 2 --delay-ms 200"}).
 *
 * <p>What to observe (2 cores, JDK 25.0.3): both threads print {@code Number: 0} at once, then
 * both print {@code Number: 1} a second later, and so on: they run concurrently, so the whole
 * program takes about 5 s, not 10 s. Within a pair, which thread prints first varies from run to
 * run: the OS scheduler decides, as in Python ("Output may vary due to concurrency").
 * {@code Threads completed.} is always last, because {@code join()} waits.
 *
 * <pre>
 * [   0 ms] worker-1   Number: 0
 * [   0 ms] worker-2   Number: 0
 * [1000 ms] worker-2   Number: 1
 * [1000 ms] worker-1   Number: 1
 * ...
 * [5002 ms] main       Threads completed.
 * </pre>
 */
@Command(
        name = "basics-01",
        mixinStandardHelpOptions = true,
        description = "Two threads print Number: 0..4 with a pause; main joins them, then prints Threads completed.")
public final class Basics_01_PrintNumbers implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--threads", defaultValue = "2", description = "how many threads (1-16, default ${DEFAULT-VALUE})")
    private int threads;

    @Option(
            names = "--count",
            defaultValue = "5",
            description = "numbers each thread prints (0-100, default ${DEFAULT-VALUE})")
    private int count;

    @Option(
            names = "--delay-ms",
            defaultValue = "1000",
            description = "pause after each number, in ms (0-10000, default ${DEFAULT-VALUE})")
    private long delayMs;

    /**
     * The Python {@code print_numbers} target: prints {@code Number: 0} .. {@code Number: count-1},
     * pausing {@code delay} after each.
     *
     * <pre>
     * def print_numbers():                   // Python, from the lesson
     *     for i in range(5):
     *         print(f"Number: {i}")
     *         time.sleep(1)
     * </pre>
     *
     * @throws InterruptedException if the thread is interrupted while pausing
     */
    static void printNumbers(int count, Duration delay, Sleeper sleeper, Console console) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            console.println("Number: " + i);
            sleeper.sleep(delay);
        }
    }

    /**
     * The program: create the threads, start them all, join them all, then report.
     *
     * @param threads how many threads run {@link #printNumbers}, at least 1
     * @throws InterruptedException if the main thread is interrupted while joining
     */
    static void run(int threads, int count, Duration delay, Sleeper sleeper, Console console)
            throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        for (int n = 1; n <= threads; n++) {
            // threading.Thread(target=print_numbers): a Thread with a Runnable (here a lambda).
            // The body may not throw InterruptedException, so an interrupt ends the loop early.
            Thread worker = new Thread(
                    () -> {
                        try {
                            printNumbers(count, delay, sleeper, console);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt(); // keep the flag: someone asked us to stop
                        }
                    },
                    "worker-" + n);
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.start(); // thread1.start(): from here on, the body runs beside main
        }
        for (Thread worker : workers) {
            worker.join(); // thread1.join(): main waits until that thread has finished
        }
        console.println("Threads completed.");
    }

    @Override
    public Integer call() throws InterruptedException {
        Cli.require(spec, threads >= 1 && threads <= 16, "--threads must be between 1 and 16, was %d", threads);
        Cli.require(spec, count >= 0 && count <= 100, "--count must be between 0 and 100, was %d", count);
        Cli.require(spec, delayMs >= 0 && delayMs <= 10_000, "--delay-ms must be between 0 and 10000, was %d", delayMs);
        run(
                threads,
                count,
                Duration.ofMillis(delayMs),
                Sleeper.real(),
                new Console(spec.commandLine().getOut(), Ticker.system()));
        return 0;
    }

    /** Usage: {@code [--threads N] [--count N] [--delay-ms MS]}; bad values print usage and exit 2. */
    public static void main(String[] args) {
        Cli.exit(new Basics_01_PrintNumbers(), args);
    }
}
