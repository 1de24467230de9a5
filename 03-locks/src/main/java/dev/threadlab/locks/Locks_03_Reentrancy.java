package dev.threadlab.locks;

import dev.threadlab.common.cli.Cli;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Can a thread take a lock it already holds? In Python it depends on the lock: {@code Lock} no
 * (the thread blocks forever), {@code RLock} yes. In Java, {@code ReentrantLock} and
 * {@code synchronized} both say yes; a {@code Semaphore(1)} ({@link PythonLock}) behaves like
 * CPython's {@code Lock}.
 *
 * <p>Run: {@code ./mvnw -q -pl 03-locks -am process-test-classes -Pdemo -Ddemo.mainClass=dev.threadlab.locks.Locks_03_Reentrancy}
 *
 * <p>What to observe (2 cores, JDK 25.0.3):
 * <pre>
 * ReentrantLock: lock() twice in one thread -> held, hold count 2 (reentrant, like Python's RLock)
 * synchronized: entered the same monitor twice -> depth 2 (reentrant)
 * PythonLock (Semaphore(1)): acquire(), then acquire(timeout=500 ms) in the same thread -> false
 *   a plain acquire() would wait forever: CPython's Lock does the same (RLock would not)
 * PythonLock: release() when not held -> IllegalStateException: release unlocked lock
 * </pre>
 * The self-deadlock with a plain {@code acquire()} is not a cycle between threads, so
 * {@code ThreadMXBean.findDeadlockedThreads()} does not report it (a semaphore has no owner);
 * the course's hang report shows it instead ({@code ReentrancyTest}).
 */
@Command(
        name = "locks-03",
        mixinStandardHelpOptions = true,
        description = "Takes each kind of lock twice in one thread: reentrant or not?")
public final class Locks_03_Reentrancy implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--timeout-ms",
            defaultValue = "500",
            description = "how long the second PythonLock.acquire waits, in ms (1-60000, default ${DEFAULT-VALUE})")
    long timeoutMs;

    @Override
    public Integer call() throws InterruptedException {
        Cli.require(
                spec,
                timeoutMs >= 1 && timeoutMs <= 60_000,
                "--timeout-ms must be between 1 and 60000, was %d",
                timeoutMs);
        PrintWriter out = spec.commandLine().getOut();

        ReentrantLock reentrant = new ReentrantLock();
        reentrant.lock();
        try {
            reentrant.lock(); // the same thread again: allowed, the hold count goes up
            try {
                out.printf(
                        "ReentrantLock: lock() twice in one thread -> held, hold count %d"
                                + " (reentrant, like Python's RLock)%n",
                        reentrant.getHoldCount());
            } finally {
                reentrant.unlock();
            }
        } finally {
            reentrant.unlock();
        }

        Object monitor = new Object();
        synchronized (monitor) {
            synchronized (monitor) { // entering a monitor this thread owns never blocks
                out.println("synchronized: entered the same monitor twice -> depth 2 (reentrant)");
            }
        }

        PythonLock lock = new PythonLock();
        lock.acquire();
        try {
            boolean again = lock.acquire(Duration.ofMillis(timeoutMs));
            out.printf(
                    "PythonLock (Semaphore(1)): acquire(), then acquire(timeout=%d ms) in the same thread -> %s%n",
                    timeoutMs, again);
            out.println("  a plain acquire() would wait forever: CPython's Lock does the same (RLock would not)");
        } finally {
            lock.release();
        }
        try {
            lock.release();
        } catch (IllegalStateException e) {
            out.println("PythonLock: release() when not held -> IllegalStateException: " + e.getMessage());
        }
        return 0;
    }

    public static void main(String[] args) {
        Cli.exit(new Locks_03_Reentrancy(), args);
    }
}
