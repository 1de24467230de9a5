package dev.threadlab.locks.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.SolutionHung;
import dev.threadlab.common.testsupport.SteppedClasses;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Rule 2 of 03.1, decided by a forced interleaving (the course's {@link SteppedClasses}, as 04's
 * and 05's {@code Steps}): the counter's class is loaded again, in a class loader of its own for
 * each run (so its static fields, a static lock say, start afresh every run), with a call to
 * {@link #step()} before each of its steps (each field read or write, each lock taken or released,
 * each method call). Two threads call {@code increment()} once each on one new counter. The first
 * to take a step, A, runs alone until it is paused before its n-th step; the other, B, runs until
 * it can move no further (it has ended, or it waits for a lock: nothing but A can release it, or it
 * has taken {@link #BUDGET} steps: it spins), then A goes on. n = 1, 2, … until A ends before its
 * n-th step. An increment that reads the count and writes it back in two steps, with no lock shared
 * by both calls from before the read to after the write, is certainly paused between the two in one
 * of these runs, and B's whole increment comes between: an update is lost. Under a shared lock (any
 * kind, in an instance or a static field, or a synchronized method) B waits for A instead, and with
 * an atomic variable the read and the write are one step: no run can lose an update. Nothing
 * depends on timing: a paused thread does nothing until it is let go, whatever the load.
 *
 * <p>{@link #step()} is public because the re-loaded classes call it; the rest is the grading's.
 * Each run has its own {@link Run}, reached through its threads: runs never share state.
 */
public final class LostUpdates {

    /** The steps B may take while A is paused before it counts as spinning: then A goes on. */
    static final int BUDGET = 10_000;

    /** The most steps of A the grading pauses before (an increment takes a handful). */
    static final int MAX_STEPS = 200;

    private LostUpdates() {}

    /** Called by the re-loaded classes before each step: keeps to the run's interleaving. */
    public static void step() {
        if (Thread.currentThread() instanceof Incrementer me) {
            me.run.step(me);
        }
    }

    /** What a lost update looks like: the step of A it was paused before, and what get() returned. */
    record Lost(int step, long got) {}

    /**
     * Runs the forced interleavings of two increments on new counters of {@code type}.
     *
     * @return the first run that lost an update, or null if none did
     * @throws AssertionError if an increment threw, or the class cannot be loaded again
     * @throws SolutionHung if the two increments did not both return within {@code patience}
     */
    static Lost firstLostUpdate(Class<?> type, Duration patience) throws InterruptedException {
        for (int n = 1; n <= MAX_STEPS; n++) {
            SafeCounter counter = newSteppedCounter(type);
            Run run = new Run(n);
            boolean reached = run.twoIncrements(counter, patience);
            long got = counter.get(); // the run's threads have ended: no step pauses here
            if (got != 2) {
                return new Lost(n, got);
            }
            if (!reached) {
                return null; // A ended before its n-th step: every step has been tried
            }
        }
        return null;
    }

    private static SafeCounter newSteppedCounter(Class<?> type) {
        try {
            var constructor = SteppedClasses.reloaded(type, LostUpdates.class).getDeclaredConstructor();
            constructor.setAccessible(true);
            return (SafeCounter) constructor.newInstance();
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            throw new AssertionError(
                    "the grading could not make a new " + type.getSimpleName() + " through its no-argument"
                            + " constructor: " + e,
                    e);
        }
    }

    /** A thread of a run: carries the run its steps keep to, and counts its entries into and exits from steps. */
    static final class Incrementer extends Thread {
        final Run run;

        /** Odd while the thread is inside a step (waiting for the grading's interleaving, say), even outside. */
        private final AtomicLong stepEdges = new AtomicLong();

        Incrementer(Run run, String name, Runnable calls) {
            super(calls, name);
            this.run = run;
            setDaemon(true);
        }

        void enterStep() {
            stepEdges.incrementAndGet();
        }

        void leaveStep() {
            stepEdges.incrementAndGet();
        }

        /**
         * @return whether this thread has ended, or waits outside a step: for a lock (nothing but the
         *     paused thread can release it). The step count read before and after the state proves the
         *     thread was outside a step, the whole time, when the state was read.
         */
        boolean cannotMove() {
            long before = stepEdges.get();
            State state = getState();
            long after = stepEdges.get();
            return state == State.TERMINATED
                    || (before == after
                            && before % 2 == 0
                            && (state == State.BLOCKED || state == State.WAITING || state == State.TIMED_WAITING));
        }
    }

    /** One run: A paused before its n-th step. */
    static final class Run {
        private final Object lock = new Object();
        private final int pauseBefore;
        private Incrementer first; // guarded by lock
        private int taken; // guarded by lock
        private int othersTaken; // guarded by lock
        private boolean paused; // guarded by lock: A is paused before its n-th step
        private boolean free; // guarded by lock: every thread runs freely

        Run(int pauseBefore) {
            this.pauseBefore = pauseBefore;
        }

        void step(Incrementer me) {
            me.enterStep();
            boolean interrupted = false;
            try {
                synchronized (lock) {
                    if (free) {
                        return;
                    }
                    if (first == null) {
                        first = me;
                    }
                    if (me == first) {
                        if (paused || ++taken < pauseBefore) {
                            return;
                        }
                        paused = true;
                        lock.notifyAll();
                        while (!free) {
                            try {
                                lock.wait();
                            } catch (InterruptedException e) {
                                interrupted = true; // kept for the solution's code, once let go
                            }
                        }
                    } else {
                        while (!paused && !free) { // B waits at its first step while A runs alone
                            try {
                                lock.wait();
                            } catch (InterruptedException e) {
                                interrupted = true;
                            }
                        }
                        if (!free && ++othersTaken > BUDGET) {
                            free = true; // B spins, waiting for A: let A go on
                            lock.notifyAll();
                        }
                    }
                }
            } finally {
                me.leaveStep();
                if (interrupted) {
                    me.interrupt();
                }
            }
        }

        private Incrementer first() {
            synchronized (lock) {
                return first;
            }
        }

        private boolean paused() {
            synchronized (lock) {
                return paused;
            }
        }

        private boolean free() {
            synchronized (lock) {
                return free;
            }
        }

        private void letGo() {
            synchronized (lock) {
                free = true;
                lock.notifyAll();
            }
        }

        /**
         * Two threads call {@code counter.increment()} once each, A paused before its n-th step while
         * B runs as far as it can.
         *
         * @return whether A was paused before its n-th step (false: it ended, or waited, before it)
         */
        boolean twoIncrements(SafeCounter counter, Duration patience) throws InterruptedException {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Runnable increment = () -> {
                try {
                    counter.increment();
                } catch (Throwable t) {
                    thrown.compareAndSet(null, t);
                }
            };
            Incrementer one = new Incrementer(this, "incrementer 1", increment);
            Incrementer two = new Incrementer(this, "incrementer 2", increment);
            long deadline = System.nanoTime() + patience.toNanos();
            boolean reached = false;
            try {
                one.start();
                two.start();
                // A runs alone until it is paused before its n-th step, or cannot reach it.
                while (true) {
                    if (paused()) {
                        reached = true;
                        break;
                    }
                    Incrementer a = first();
                    if (a != null && a.cannotMove()) {
                        break; // A ended (or waits for good) before its n-th step
                    }
                    if (one.cannotMove() && two.cannotMove()) {
                        break; // neither took a step: both ended or wait
                    }
                    waitAMoment(one, deadline, patience);
                }
                // B runs until it can move no further; then A goes on.
                if (reached) {
                    Incrementer a = first();
                    Incrementer b = a == one ? two : one;
                    while (!free() && !b.cannotMove()) {
                        waitAMoment(b, deadline, patience);
                    }
                }
                letGo();
                for (Incrementer t : new Incrementer[] {one, two}) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                        throw hung(patience);
                    }
                }
            } finally {
                letGo();
                one.interrupt(); // a no-op once they have ended; else they must not outlive the rule
                two.interrupt();
            }
            Throwable failure = thrown.get();
            if (failure instanceof NotImplementedYet notYet) {
                throw notYet;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure != null) {
                throw new AssertionError(
                        "two threads each called increment() once, at the same time, and increment() threw " + failure
                                + ": increment() must not throw",
                        failure);
            }
            return reached;
        }

        private static void waitAMoment(Thread t, long deadline, Duration patience) throws InterruptedException {
            if (System.nanoTime() > deadline) {
                throw hung(patience);
            }
            t.join(Duration.ofMillis(1)); // returns at once if t has ended
        }

        private static SolutionHung hung(Duration patience) {
            return new SolutionHung(SolutionHung.PREFIX + "two threads each called increment() once, at the same"
                    + " time, and they did not both return within " + patience.toSeconds() + " s");
        }
    }
}
