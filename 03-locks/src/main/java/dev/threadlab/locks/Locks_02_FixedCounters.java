package dev.threadlab.locks;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.locks.counters.AtomicCounter;
import dev.threadlab.locks.counters.Counter;
import dev.threadlab.locks.counters.LockedCounter;
import dev.threadlab.locks.counters.LongAdderCounter;
import dev.threadlab.locks.counters.SynchronizedCounter;
import dev.threadlab.locks.counters.UnsafeCounter;
import dev.threadlab.locks.harness.CounterRace;
import dev.threadlab.locks.harness.RaceOptions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The same race on the broken counter and on each fix: which ones lose updates?
 *
 * <p>Run: {@code ./mvnw -q -pl 03-locks -am process-test-classes -Pdemo -Ddemo.mainClass=dev.threadlab.locks.Locks_02_FixedCounters}
 *
 * <p>What to observe (2 cores, JDK 25.0.3, load average about 4):
 * <pre>
 * 4 threads x 1000000 increments on each counter
 * counter               expected        got       lost
 * UnsafeCounter          4000000    3874608     125392
 * LockedCounter          4000000    4000000          0
 * SynchronizedCounter    4000000    4000000          0
 * AtomicCounter          4000000    4000000          0
 * LongAdderCounter       4000000    4000000          0
 * </pre>
 * Only the unsafe one loses updates. A run that loses nothing proves nothing, though: the
 * fixes are proven by {@code CounterLinearizabilityTest}, and their speed is compared by
 * {@code bench.Locks_06_CounterBenchmark}, not by this demo.
 */
@Command(
        name = "locks-02",
        mixinStandardHelpOptions = true,
        description = "Runs the same race on the unsafe counter and on each fixed one.")
public final class Locks_02_FixedCounters implements Callable<Integer> {

    /** The counters, broken first, in the order the README presents them. */
    static final List<Supplier<Counter>> COUNTERS = List.of(
            UnsafeCounter::new,
            LockedCounter::new,
            SynchronizedCounter::new,
            AtomicCounter::new,
            LongAdderCounter::new);

    @Spec
    CommandSpec spec;

    @Mixin
    RaceOptions race;

    @Override
    public Integer call() throws InterruptedException {
        race.validate(spec);
        var out = spec.commandLine().getOut();
        out.printf("%d threads x %d increments on each counter%n", race.threads, race.increments);
        out.printf("%-20s %9s %10s %10s%n", "counter", "expected", "got", "lost");
        for (Supplier<Counter> counter : COUNTERS) {
            CounterRace.Result r = CounterRace.run(counter.get(), race.threads, race.increments);
            out.printf("%-20s %9d %10d %10d%n", r.counter(), r.expected(), r.actual(), r.lost());
        }
        return 0;
    }

    public static void main(String[] args) {
        Cli.exit(new Locks_02_FixedCounters(), args);
    }
}
