package dev.threadlab.lifecycle;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.common.time.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How do you stop a thread? CPython has no word for it; Java has {@link Thread#interrupt()}, a
 * request the thread must honour itself. Three workers get the same request; what each does with
 * it is up to its code.
 *
 * <p>Run: {@code ./mvnw -q -pl 02-join-isalive -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.lifecycle.Lifecycle_05_Interrupt}
 *
 * <p>What to observe (2 cores, JDK 25.0.3):
 * <pre>
 * [  13 ms] main       interrupt() sleeping
 * [  64 ms] main       interrupt() busy
 * [  64 ms] main       interrupt() careless
 * [  77 ms] main       sleeping: woken by InterruptedException, stopped
 * [  77 ms] main       busy: saw isInterrupted() after 20866276 rounds of work, stopped
 * [ 278 ms] main       careless: took all 3 steps, swallowed 1 interrupt(s); isInterrupted() = false
 * </pre>
 * A thread blocked in {@code sleep}, {@code wait}, {@code join} or a latch is woken with
 * {@link InterruptedException}: it stops at once if it lets the exception end its work. A thread
 * busy computing is not woken; it stops only if it checks {@code isInterrupted()}. And a thread
 * that catches {@code InterruptedException} and carries on has swallowed the request: the flag is
 * cleared when the exception is thrown, so nobody can see it was ever asked.
 *
 * <p>Source followed: {@link Thread#interrupt()} (JDK 25 javadoc); Goetz et al., <i>Java
 * Concurrency in Practice</i>, 7.1 "Task cancellation".
 */
@Command(
        name = "lifecycle-05",
        mixinStandardHelpOptions = true,
        description =
                "interrupt() asks; a sleeping thread is woken, a busy one must check, a careless one swallows it.")
public final class Lifecycle_05_Interrupt implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--steps",
            defaultValue = "3",
            description = "how many 100 ms steps the careless worker takes, 1..100 (default: ${DEFAULT-VALUE})")
    int steps;

    /** How each worker ended. */
    public record Endings(String sleeping, String busy, String careless) {}

    @Override
    public Integer call() throws InterruptedException {
        Cli.require(spec, steps >= 1 && steps <= 100, "--steps must be between 1 and 100, was %d", steps);
        demonstrate(steps, Sleeper.real(), new Console(spec.commandLine().getOut(), Ticker.system()));
        return 0;
    }

    /**
     * Starts the three workers, interrupts each once it is running, and joins them.
     *
     * @param steps   the careless worker's number of 100 ms steps
     * @param sleeper how the workers sleep (a test makes the sleeps last until interrupted)
     * @param console where main reports
     * @return how each ended, in its own words
     * @throws InterruptedException if the caller is interrupted while joining
     */
    static Endings demonstrate(int steps, Sleeper sleeper, Console console) throws InterruptedException {
        String[] endings = new String[3]; // each written by one worker, read after join()
        CountDownLatch running = new CountDownLatch(3);

        Thread sleeping = Thread.ofPlatform().name("sleeping").unstarted(() -> {
            running.countDown();
            try {
                sleeper.sleep(Duration.ofHours(1));
                endings[0] = "slept a whole hour";
            } catch (InterruptedException e) {
                endings[0] = "woken by InterruptedException, stopped";
            }
        });
        Thread busy = Thread.ofPlatform().name("busy").unstarted(() -> {
            running.countDown();
            long rounds = 0;
            while (!Thread.currentThread().isInterrupted()) { // the check that makes it stoppable
                rounds++; // (the "work")
            }
            endings[1] = "saw isInterrupted() after " + rounds + " rounds of work, stopped";
        });
        Thread careless = Thread.ofPlatform().name("careless").unstarted(() -> {
            running.countDown();
            int swallowed = 0;
            for (int step = 0; step < steps; step++) {
                try {
                    sleeper.sleep(Duration.ofMillis(100));
                } catch (InterruptedException e) {
                    swallowed++; // the mistake: carry on as if nothing was asked
                }
            }
            endings[2] = "took all " + steps + " steps, swallowed " + swallowed + " interrupt(s); isInterrupted() = "
                    + Thread.currentThread().isInterrupted();
        });

        List<Thread> workers = List.of(sleeping, busy, careless);
        workers.forEach(Thread::start);
        running.await();
        for (Thread worker : workers) {
            console.println("interrupt() " + worker.getName());
            worker.interrupt();
        }
        for (int i = 0; i < workers.size(); i++) {
            workers.get(i).join();
            console.println(workers.get(i).getName() + ": " + endings[i]);
        }
        return new Endings(endings[0], endings[1], endings[2]);
    }

    /** @param args see {@code --help} */
    public static void main(String[] args) {
        Cli.exit(new Lifecycle_05_Interrupt(), args);
    }
}
