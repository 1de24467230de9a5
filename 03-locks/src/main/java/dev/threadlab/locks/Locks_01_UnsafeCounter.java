package dev.threadlab.locks;

import dev.threadlab.common.cli.Cli;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
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
 */
@Command(name = "locks-01", mixinStandardHelpOptions = true,
        description = "Threads increment one unsafe counter; prints expected vs actual and the lost updates.")
public final class Locks_01_UnsafeCounter implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RaceOptions race;

    @Override
    public Integer call() throws InterruptedException {
        race.validate(spec);
        CounterRace.Result result = CounterRace.run(new UnsafeCounter(), race.threads, race.increments);
        var out = spec.commandLine().getOut();
        out.printf("%d threads x %d increments on one UnsafeCounter%n", race.threads, race.increments);
        out.printf("expected %d, got %d, lost %d%n", result.expected(), result.actual(), result.lost());
        return 0;
    }

    public static void main(String[] args) {
        Cli.exit(new Locks_01_UnsafeCounter(), args);
    }
}
