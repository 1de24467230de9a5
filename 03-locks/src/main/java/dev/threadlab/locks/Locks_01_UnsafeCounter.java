package dev.threadlab.locks;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.locks.counters.Counter;
import dev.threadlab.locks.counters.UnsafeCounter;
import dev.threadlab.locks.harness.CounterRace;
import dev.threadlab.locks.harness.RaceOptions;
import java.util.concurrent.Callable;
import net.jcip.annotations.NotThreadSafe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Four threads add 1 to the same counter a million times each. Do we get four million?
 *
 * <p>Run: {@code ./mvnw -q -pl 03-locks -am process-test-classes -Pdemo}
 * (the lesson's two threads: {@code -Ddemo.args="--threads 2 --increments 100000"}).
 *
 * <p>What to observe (2 cores, JDK 25.0.3, machine shared with other builds, load average about 4;
 * the numbers change from run to run, and a run may lose nothing):
 * <pre>
 * 4 threads x 1000000 increments on one UnsafeCounter
 * expected 4000000, got 3212556, lost 787444
 * </pre>
 * {@code count++} is three steps (read, add, write); two threads can read the same value, and
 * one write overwrites the other. The Python lesson's {@code counter += 1} loses updates for the
 * same reason. Proven, rather than observed, by {@code CounterLinearizabilityTest}.
 *
 * <p>On one free core the threads may take turns and lose nothing ({@code taskset -c 0} shows it):
 * the window between the read and the write is a few nanoseconds, and a thread is rarely switched
 * out inside it. The demo then says so, and {@code --widen} shows the race anyway: each increment
 * gives up the core ({@code Thread.yield()}) between its read and its write, so another thread
 * runs inside the window (one core, JDK 25.0.3, {@code taskset -c 0 java … --widen --increments 1000}):
 * <pre>
 * 4 threads x 1000 increments on one UnsafeCounter, widened (yield between read and write)
 * expected 4000, got 1000, lost 3000
 * </pre>
 */
@Command(
        name = "locks-01",
        mixinStandardHelpOptions = true,
        description = "Threads increment one unsafe counter; prints expected vs actual and the lost updates.")
public final class Locks_01_UnsafeCounter implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RaceOptions race;

    @Option(
            names = "--widen",
            description = "yield between each increment's read and write, so the race shows even on one core")
    boolean widen;

    @Override
    public Integer call() throws InterruptedException {
        race.validate(spec);
        Counter counter = widen ? new WidenedUnsafeCounter() : new UnsafeCounter();
        CounterRace.Result result = CounterRace.run(counter, race.threads, race.increments);
        var out = spec.commandLine().getOut();
        out.printf(
                "%d threads x %d increments on one UnsafeCounter%s%n",
                race.threads, race.increments, widen ? ", widened (yield between read and write)" : "");
        out.printf("expected %d, got %d, lost %d%n", result.expected(), result.actual(), result.lost());
        if (result.lost() == 0) {
            out.println(
                    race.threads == 1
                            ? "Nothing was lost: with one thread there is no one to race (try --threads 2)."
                            : "Nothing was lost this time, and that proves nothing: the threads took turns (this JVM sees "
                                    + Runtime.getRuntime().availableProcessors()
                                    + " core(s)), and a thread is rarely switched "
                                    + "out in the nanoseconds between count++'s read and its write. Run again with --widen to "
                                    + "hold that window open, or read the interleaving the model checker finds "
                                    + "(CounterLinearizabilityTest: read 0, read 0, write 1, write 1).");
        }
        return 0;
    }

    /** {@link UnsafeCounter} with its window held open: another thread gets the core between read and write. */
    @NotThreadSafe
    static final class WidenedUnsafeCounter implements Counter {
        private volatile long count;

        @Override
        public void increment() {
            long read = count;
            Thread.yield(); // the window: on one core, another thread now runs and reads the same value
            count = read + 1;
        }

        @Override
        public long get() {
            return count;
        }
    }

    public static void main(String[] args) {
        Cli.exit(new Locks_01_UnsafeCounter(), args);
    }
}
