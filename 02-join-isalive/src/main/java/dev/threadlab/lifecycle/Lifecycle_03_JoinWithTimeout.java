package dev.threadlab.lifecycle;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.common.time.Ticker;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How do you wait for a thread, but not forever? CPython's {@code join(timeout)} returns
 * {@code None} and you must ask {@code is_alive()}; Java 19+'s {@code join(Duration)} answers.
 *
 * <p>Run: {@code ./mvnw -q -pl 02-join-isalive -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.lifecycle.Lifecycle_03_JoinWithTimeout -Ddemo.args="--work-ms 1500 --timeout-ms 500"}
 *
 * <p>What to observe (2 cores, JDK 25.0.3):
 * <pre>
 * [   4 ms] worker     working for 1500 ms
 * [ 509 ms] main       join(500) returned; isAlive() = true: still working, do something else
 * [1013 ms] main       join(Duration.ofMillis(500)) returned false: still working
 * [1015 ms] main       join(Duration.ZERO) returned false at once
 * [1550 ms] worker     done
 * [1551 ms] main       join() returned; isAlive() = false
 * </pre>
 * Both styles wait at most the timeout and then let you decide. The old {@code join(long millis)}
 * returns nothing, like Python's, so {@code isAlive()} must be asked; and between the two calls the
 * thread may end, so the answer is about "then", not "now". {@code join(Duration)} returns the
 * answer. One trap: {@code join(0)} means "wait forever", while {@code join(Duration.ZERO)} means
 * "don't wait, just tell me".
 *
 * <p>Source followed: {@link Thread#join(long)}, {@link Thread#join(Duration)} (JDK 25 javadoc),
 * CPython's {@code Lib/threading.py} ({@code Thread.join(timeout=None)}).
 */
@Command(
        name = "lifecycle-03",
        mixinStandardHelpOptions = true,
        description = "join with a timeout: the Python style (join, then isAlive) and Java's join(Duration).")
public final class Lifecycle_03_JoinWithTimeout implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--work-ms",
            defaultValue = "1500",
            description = "how long the worker works, ms, 0..60000 (default: ${DEFAULT-VALUE})")
    long workMillis;

    @Option(
            names = "--timeout-ms",
            defaultValue = "500",
            description = "how long each timed join waits, ms, 1..60000 (default: ${DEFAULT-VALUE})")
    long timeoutMillis;

    /** What each style of timed join said about a worker that was still running. */
    public record Answers(
            boolean aliveAfterPythonStyleJoin,
            boolean joinDurationSaidDone,
            boolean joinZeroSaidDone,
            boolean aliveAfterFullJoin) {}

    @Override
    public Integer call() throws InterruptedException {
        Cli.require(
                spec,
                workMillis >= 0 && workMillis <= 60_000,
                "--work-ms must be between 0 and 60000, was %d",
                workMillis);
        Cli.require(
                spec,
                timeoutMillis >= 1 && timeoutMillis <= 60_000,
                "--timeout-ms must be between 1 and 60000, was %d (0 would mean: wait forever)",
                timeoutMillis);
        demonstrate(
                Duration.ofMillis(workMillis),
                Duration.ofMillis(timeoutMillis),
                Sleeper.real(),
                new Console(spec.commandLine().getOut(), Ticker.system()));
        return 0;
    }

    /**
     * Starts a worker that works for {@code work}, waits for it both ways with {@code timeout},
     * then with {@code Duration.ZERO}, then without a timeout.
     *
     * @param sleeper how the worker "works" (a test holds it on a latch)
     * @param console where both threads report
     * @throws InterruptedException if interrupted while joining
     */
    static Answers demonstrate(Duration work, Duration timeout, Sleeper sleeper, Console console)
            throws InterruptedException {
        Thread worker = Thread.ofPlatform().name("worker").start(() -> {
            console.println("working for " + work.toMillis() + " ms");
            try {
                sleeper.sleep(work);
                console.println("done");
            } catch (InterruptedException e) {
                console.println("interrupted");
            }
        });

        // Python: t.join(timeout=0.5); if t.is_alive(): ...
        worker.join(timeout.toMillis());
        boolean alive = worker.isAlive();
        console.println("join(" + timeout.toMillis() + ") returned; isAlive() = " + alive
                + (alive ? ": still working, do something else" : ": finished"));

        // Java 19+: the answer is the return value
        boolean done = worker.join(timeout);
        console.println("join(Duration.ofMillis(" + timeout.toMillis() + ")) returned " + done
                + (done ? ": finished" : ": still working"));

        boolean doneNow = worker.join(Duration.ZERO); // checks and returns; join(0) would wait forever
        console.println("join(Duration.ZERO) returned " + doneNow + " at once");

        worker.join();
        console.println("join() returned; isAlive() = " + worker.isAlive());
        return new Answers(alive, done, doneNow, worker.isAlive());
    }

    /** @param args see {@code --help} */
    public static void main(String[] args) {
        Cli.exit(new Lifecycle_03_JoinWithTimeout(), args);
    }
}
