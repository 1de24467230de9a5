package dev.threadlab.lifecycle;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.common.time.Ticker;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import net.jcip.annotations.NotThreadSafe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * When may {@code main} read what a worker computed? Only after {@code join()}.
 *
 * <p>Run: {@code ./mvnw -q -pl 02-join-isalive -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.lifecycle.Lifecycle_02_JoinWaits -Ddemo.args="--count 5 --pause-ms 200"}
 *
 * <p>What to observe (2 cores, JDK 25.0.3):
 * <pre>
 * [  20 ms] worker     wrote 1² = 1
 * [ 184 ms] main       without join: 0 of 5 written, isAlive() = true: [0, 0, 0, 0, 0]
 * [ 380 ms] worker     wrote 2² = 4
 * [ 581 ms] worker     wrote 3² = 9
 * [ 782 ms] worker     wrote 4² = 16
 * [ 982 ms] worker     wrote 5² = 25
 * [1183 ms] main       after join:   5 of 5 written, isAlive() = false: [1, 4, 9, 16, 25]
 * </pre>
 * Before {@code join()} the reader sees whatever happens to be there: here an empty table
 * (other runs show {@code 1 of 5}), and the Java memory model promises not even a consistent
 * snapshot (the writes are plain, no lock, no {@code volatile}). The console line of the worker
 * can come first because main read the table before it printed what it saw. {@code join()} waits until the worker has ended, and the end of a thread
 * <em>happens-before</em> the return of a {@code join} on it (JLS 17.4.4): every write the worker
 * made is now visible, complete, without a lock.
 *
 * <p>Source followed: {@link Thread#join()} (JDK 25 javadoc), JLS 17.4.4 "Synchronization Order".
 */
@Command(
        name = "lifecycle-02",
        mixinStandardHelpOptions = true,
        description = "A worker fills a table; main reads it before and after join().")
public final class Lifecycle_02_JoinWaits implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--count",
            defaultValue = "5",
            description = "how many squares to compute, 1..1000 (default: ${DEFAULT-VALUE})")
    int count;

    @Option(
            names = "--pause-ms",
            defaultValue = "200",
            description = "pause after each square, ms, 0..10000 (default: ${DEFAULT-VALUE})")
    long pauseMillis;

    /**
     * The worker's results: a plain array and counter, written by one thread and read by another
     * only after {@code join()} (which publishes them) or, to show the hazard, before.
     */
    @NotThreadSafe
    public static final class Squares {
        private final long[] values;
        private int written;

        Squares(int count) {
            values = new long[count];
        }

        /** @return how many squares had been written, as this thread sees it */
        public int written() {
            return written;
        }

        /** @return a copy of the table, as this thread sees it */
        public long[] values() {
            return values.clone();
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        Cli.require(spec, count >= 1 && count <= 1000, "--count must be between 1 and 1000, was %d", count);
        Cli.require(
                spec,
                pauseMillis >= 0 && pauseMillis <= 10_000,
                "--pause-ms must be between 0 and 10000, was %d",
                pauseMillis);
        Console console = new Console(spec.commandLine().getOut(), Ticker.system());
        Squares squares = new Squares(count);
        Thread worker = startFilling(squares, Duration.ofMillis(pauseMillis), Sleeper.real(), console);
        peekWithoutJoin(squares, worker, console);
        readAfterJoin(squares, worker, console);
        return 0;
    }

    /** Starts a thread "worker" that writes squares 1², 2², ... pausing after each. */
    static Thread startFilling(Squares squares, Duration pause, Sleeper sleeper, Console console) {
        return Thread.ofPlatform().name("worker").start(() -> {
            try {
                for (int i = 0; i < squares.values.length; i++) {
                    squares.values[i] = (long) (i + 1) * (i + 1);
                    squares.written = i + 1;
                    console.println("wrote " + (i + 1) + "² = " + squares.values[i]);
                    sleeper.sleep(pause);
                }
            } catch (InterruptedException e) {
                console.println("interrupted after " + squares.written + " squares");
            }
        });
    }

    /** The mistake: reads while the worker may still be writing. What it sees is not defined. */
    static int peekWithoutJoin(Squares squares, Thread worker, Console console) {
        int seen = squares.written(); // racy read, on purpose
        console.println("without join: " + seen + " of " + squares.values.length + " written, isAlive() = "
                + worker.isAlive() + ": " + Arrays.toString(squares.values()));
        return seen;
    }

    /** The fix: join() first; afterwards every write of the worker is visible. */
    static long[] readAfterJoin(Squares squares, Thread worker, Console console) throws InterruptedException {
        worker.join();
        long[] values = squares.values();
        console.println("after join:   " + squares.written() + " of " + values.length + " written, isAlive() = "
                + worker.isAlive() + ": " + Arrays.toString(values));
        return values;
    }

    /** @param args see {@code --help} */
    public static void main(String[] args) {
        Cli.exit(new Lifecycle_02_JoinWaits(), args);
    }
}
