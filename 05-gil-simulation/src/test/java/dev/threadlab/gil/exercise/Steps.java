package dev.threadlab.gil.exercise;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.function.Predicate;
import net.jcip.annotations.ThreadSafe;

/**
 * A forced interleaving, as a model checker makes one (04-daemon's {@code Steps}, for 05.1): a
 * solution's class is loaded again with a call to {@link #step()} before each of its steps (each
 * field or array element read or written, each lock taken or released, each method call, in every
 * method of the class and of the classes beside it). The first of runAll's threads to take a step,
 * "A", runs alone (the others wait at their first step) until it is paused before its n-th step;
 * then the others run until they can move no further (they wait, have ended, or have taken
 * {@link #BUDGET} steps meanwhile: they spin), and A goes on. Nothing depends on timing: a paused
 * thread does nothing until it is let go, whatever the load.
 *
 * <p>{@link #step()} is public because the re-loaded classes call it; the rest is the grading's.
 */
@ThreadSafe
public final class Steps {

    /** Where the interleaving is. */
    enum Phase {
        /** A runs alone, up to its n-th step. */
        A_ALONE,
        /** A is paused before its n-th step; the others run. */
        A_PAUSED,
        /** Every thread runs freely. */
        FREE
    }

    /** The steps the other threads may take while A is paused before they count as spinning: then A goes on. */
    static final int BUDGET = 10_000;

    private static final Object LOCK = new Object();

    /** Which threads are runAll's (the grading's own threads take no part); null while nothing is arranged. */
    private static volatile Predicate<Thread> arranged;

    /** What each step of runAll's threads does instead, while {@link #beforeEachStep} is arranged; else null. */
    private static volatile java.util.function.Consumer<Thread> eachStep;

    @GuardedBy("LOCK")
    private static Thread first;

    @GuardedBy("LOCK")
    private static int taken;

    @GuardedBy("LOCK")
    private static int othersTaken;

    @GuardedBy("LOCK")
    private static int pauseBefore;

    @GuardedBy("LOCK")
    private static Phase phase = Phase.FREE;

    private Steps() {}

    /** Called by the re-loaded classes before each step: keeps to the interleaving arranged. */
    public static void step() {
        Predicate<Thread> solutions = arranged;
        Thread me = Thread.currentThread();
        java.util.function.Consumer<Thread> each = eachStep;
        if (each != null && solutions != null && solutions.test(me)) {
            each.accept(me);
            return;
        }
        if (solutions == null || !solutions.test(me)) {
            return;
        }
        synchronized (LOCK) {
            if (first == null && phase == Phase.A_ALONE) {
                first = me;
            }
            boolean interrupted = false;
            if (me == first) {
                if (phase != Phase.A_ALONE || ++taken < pauseBefore) {
                    return;
                }
                phase = Phase.A_PAUSED;
                LOCK.notifyAll();
                while (phase == Phase.A_PAUSED) {
                    try {
                        LOCK.wait();
                    } catch (InterruptedException e) {
                        interrupted = true; // kept for the solution's code, once let go
                    }
                }
            } else {
                while (phase == Phase.A_ALONE) {
                    try {
                        LOCK.wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (phase == Phase.A_PAUSED && ++othersTaken > BUDGET) {
                    phase = Phase.FREE; // the others spin, waiting for A: let it go on
                    LOCK.notifyAll();
                }
            }
            if (interrupted) {
                me.interrupt();
            }
        }
    }

    /** Arranges the interleaving for the next run: runAll's threads are those {@code solutions} accepts. */
    static void arrange(int n, Predicate<Thread> solutions) {
        synchronized (LOCK) {
            first = null;
            taken = 0;
            othersTaken = 0;
            pauseBefore = n;
            phase = Phase.A_ALONE;
            arranged = solutions;
        }
    }

    /**
     * Arranges that each step of runAll's threads (those {@code solutions} accepts) calls {@code
     * atStep} with the thread, instead of keeping to an interleaving: 05.1's rule 5 holds there a
     * thread that runAll does not wait for.
     */
    static void beforeEachStep(Predicate<Thread> solutions, java.util.function.Consumer<Thread> atStep) {
        synchronized (LOCK) {
            phase = Phase.FREE;
            eachStep = atStep;
            arranged = solutions;
            LOCK.notifyAll();
        }
    }

    /** @return the thread that runs first and is paused, or null while none has taken a step */
    static Thread first() {
        synchronized (LOCK) {
            return first;
        }
    }

    /** @return where the interleaving is */
    static Phase phase() {
        synchronized (LOCK) {
            return phase;
        }
    }

    /** Lets every thread run freely (A goes on, the others too). */
    static void free() {
        synchronized (LOCK) {
            phase = Phase.FREE;
            LOCK.notifyAll();
        }
    }

    /** Ends the arrangement: no thread is counted or held any more. */
    static void disarm() {
        free();
        eachStep = null;
        arranged = null;
    }
}
