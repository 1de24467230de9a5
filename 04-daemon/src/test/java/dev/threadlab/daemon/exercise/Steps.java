package dev.threadlab.daemon.exercise;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.Objects;
import java.util.function.Consumer;
import net.jcip.annotations.ThreadSafe;

/**
 * A forced interleaving, as a model checker makes one: a saver's class is loaded again with a
 * call to {@link #step()} before each of its steps (each field read or write, each lock taken or
 * released, each method call, in every method of the class and of the classes of its package and
 * code base), so that the grading can pause one chosen thread before its n-th step, run something
 * else to the end, and let it go on. Nothing depends on timing: the paused thread does nothing
 * until it is let go, whatever the load.
 *
 * <p>Used by {@link AutoSaverSpec}'s rule "a save racing close() is either refused or written":
 * a {@code save} is paused before each of its steps in turn, and {@code close()} runs meanwhile.
 * A {@code save} that checks "still open" and queues the record as two steps, without holding
 * the lock {@code close()} takes, is caught between the two, in every run.
 *
 * <p>{@link #step()} is public because the re-loaded classes call it; the rest is the grading's.
 */
@ThreadSafe
public final class Steps {

    private static final Object LOCK = new Object();

    /** The thread whose steps are counted, or null. */
    private static volatile Thread counted;

    @GuardedBy("LOCK")
    private static int taken;

    @GuardedBy("LOCK")
    private static int pauseBefore;

    @GuardedBy("LOCK")
    private static boolean paused;

    @GuardedBy("LOCK")
    private static boolean letGo;

    /** Told of each step of every thread (before it is taken, and before a pause), while set; else null. */
    private static volatile Consumer<Thread> watcher;

    private Steps() {}

    /** Called by the re-loaded classes before each step: pauses the counted thread before its chosen step. */
    public static void step() {
        Consumer<Thread> watching = watcher;
        if (watching != null) {
            watching.accept(Thread.currentThread()); // what the thread holds here: 04.2 names the locks
        }
        if (Thread.currentThread() != counted) {
            return;
        }
        synchronized (LOCK) {
            taken++;
            if (taken != pauseBefore) {
                return;
            }
            paused = true;
            LOCK.notifyAll();
            boolean interrupted = false;
            while (!letGo) {
                try {
                    LOCK.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // kept for the saver's code, once let go
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Counts the steps of {@code thread} (not started yet) from now on, and pauses it before step {@code n} (1-based). */
    static void pause(Thread thread, int n) {
        synchronized (LOCK) {
            taken = 0;
            pauseBefore = n;
            paused = false;
            letGo = false;
            counted = Objects.requireNonNull(thread);
        }
    }

    /**
     * Tells {@code atEachStep} of each step of every thread from now on, on that thread, before the
     * step (and before a pause there); null: no more.
     */
    static void watch(Consumer<Thread> atEachStep) {
        watcher = atEachStep;
    }

    /** @return whether the counted thread is paused (before its chosen step) */
    static boolean paused() {
        synchronized (LOCK) {
            return paused;
        }
    }

    /** Lets the paused thread go on, and counts no more steps. */
    static void letGo() {
        synchronized (LOCK) {
            counted = null;
            letGo = true;
            LOCK.notifyAll();
        }
    }
}
