package dev.threadlab.locks;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Ticker;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What happens when a thread takes a lock and an exception skips its release?
 *
 * <p>Run: {@code ./mvnw -q -pl 03-locks -am process-test-classes -Pdemo -Ddemo.mainClass=dev.threadlab.locks.Locks_04_ForgottenRelease}
 * (add {@code -Ddemo.args=--release-in-finally} for the fix).
 *
 * <p>What to observe (2 cores, JDK 25.0.3):
 * <pre>
 * [   5 ms] teller-1   posting -5 while holding the ledger lock (unlock() is not in finally)
 * [  22 ms] teller-1   failed inside the critical section: a posting must be positive, was -5
 * [  27 ms] teller-2   posting 10: waiting up to 500 ms for the ledger lock
 * [ 535 ms] teller-2   gave up: the lock says [Locked by thread teller-1], and teller-1 is TERMINATED
 * [ 536 ms] main       nobody can ever release it now: unlock() belongs in finally
 * </pre>
 * The owner died still holding the lock. With {@code --release-in-finally}, teller-2 posts at
 * once. A test ({@code ForgottenReleaseTest}) shows the course's hang report naming the owner.
 */
@Command(
        name = "locks-04",
        mixinStandardHelpOptions = true,
        description = "A thread fails inside a critical section without unlocking; the next one waits.")
public final class Locks_04_ForgottenRelease implements Callable<Integer> {

    /** How the second teller fared. */
    public record Outcome(boolean secondTellerPosted, String owner, Thread.State ownerState) {}

    @Spec
    CommandSpec spec;

    @Option(
            names = "--wait-ms",
            defaultValue = "500",
            description = "how long teller-2 waits for the lock, in ms (1-60000, default ${DEFAULT-VALUE})")
    long waitMs;

    @Option(names = "--release-in-finally", description = "teller-1 posts the right way (unlock in finally)")
    boolean releaseInFinally;

    @Override
    public Integer call() throws InterruptedException {
        Cli.require(spec, waitMs >= 1 && waitMs <= 60_000, "--wait-ms must be between 1 and 60000, was %d", waitMs);
        run(
                new Console(spec.commandLine().getOut(), Ticker.system()),
                new Ledger(new ReentrantLock()),
                releaseInFinally,
                waitMs);
        return 0;
    }

    /**
     * teller-1 posts -5 (refused inside the critical section), then teller-2 tries to post 10.
     *
     * @param waitMs how long teller-2 waits for the lock, in ms
     * @return whether teller-2 got to post, and who held the lock if not
     * @throws InterruptedException if interrupted while waiting for the tellers
     */
    public static Outcome run(Console console, Ledger ledger, boolean releaseInFinally, long waitMs)
            throws InterruptedException {
        Thread first = Thread.ofPlatform().name("teller-1").start(() -> {
            console.println("posting -5 while holding the ledger lock"
                    + (releaseInFinally ? " (unlock() in finally)" : " (unlock() is not in finally)"));
            try {
                if (releaseInFinally) {
                    ledger.post(-5);
                } else {
                    ledger.postForgettingToUnlock(-5);
                }
            } catch (IllegalArgumentException e) {
                console.println("failed inside the critical section: " + e.getMessage());
            }
        });
        first.join();

        AtomicBoolean posted = new AtomicBoolean();
        Thread second = Thread.ofPlatform().name("teller-2").start(() -> {
            console.println("posting 10: waiting up to " + waitMs + " ms for the ledger lock");
            try {
                if (ledger.tryPost(10, Duration.ofMillis(waitMs))) {
                    posted.set(true);
                    console.println("posted 10; postings so far: " + ledger.postings());
                } else {
                    console.println("gave up: the lock says " + ownerOf(ledger.lock()) + ", and " + first.getName()
                            + " is " + first.getState());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        second.join();
        if (!posted.get()) {
            console.println("nobody can ever release it now: unlock() belongs in finally");
        }
        return new Outcome(posted.get(), posted.get() ? "" : first.getName(), first.getState());
    }

    /** The lock's own account of its state: "[Locked by thread teller-1]" or "[Unlocked]". */
    private static String ownerOf(ReentrantLock lock) {
        String description = lock.toString();
        return description.substring(description.indexOf('['));
    }

    public static void main(String[] args) {
        Cli.exit(new Locks_04_ForgottenRelease(), args);
    }
}
