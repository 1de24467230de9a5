package dev.threadlab.lifecycle.exercise;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import net.jcip.annotations.ThreadSafe;

/**
 * One scripted task of a {@link Crew}; the supervisor under test runs it on a worker thread of its
 * own. What it does is its {@link Script}; what kind of worker it is ({@link Kind}) tells the watch
 * which rules can apply to it.
 */
@ThreadSafe
final class Hand implements Callable<String> {

    /** What a scripted worker does when its task is called. */
    @FunctionalInterface
    interface Script {
        String run(Hand me) throws Exception;
    }

    /** Returns or throws at once; spends clock time; or blocks until interrupted or released. */
    enum Kind {
        QUICK,
        SPENDS_TIME,
        BLOCKS
    }

    private final Crew crew;
    final Kind kind;
    private final Script script;
    final CountDownLatch started = new CountDownLatch(1);
    volatile int position;
    volatile Thread thread;
    volatile boolean sawInterrupt;
    /** True for a worker whose cleanup, after the interrupt, is held until it is waited for to the end. */
    volatile boolean cleansUpSlowly;

    private JoinWatch watch;
    private volatile boolean releasedByTheTest;

    Hand(Crew crew, Kind kind, Script script) {
        this.crew = crew;
        this.kind = kind;
        this.script = script;
    }

    @Override
    public String call() throws Exception {
        thread = Thread.currentThread();
        started.countDown();
        return script.run(this);
    }

    /** @return the name the rules give this task's worker: {@code worker-N}, N its position from 1 */
    String worker() {
        return "worker-" + position;
    }

    /** @return the thread that ran this task, or null if it never started */
    Thread thread() {
        return thread;
    }

    /**
     * @return true once the worker was interrupted: its thread's interrupt flag is set (from the
     *         moment interrupt() returned), or the task has seen the interrupt (and may have cleared
     *         the flag since; it records that first). Read in that order, no interrupt is missed.
     */
    boolean wasInterrupted() {
        Thread t = thread;
        boolean flag = t != null && t.isInterrupted();
        return flag || sawInterrupt;
    }

    /** @return the watch of this worker's held cleanup, made once, on its thread {@code t} */
    synchronized JoinWatch watch(Thread t) {
        if (watch == null) {
            watch = new JoinWatch(t);
        }
        return watch;
    }

    /** Lets this blocked task return ("released by the test"), as if its work were done. */
    void release() {
        releasedByTheTest = true;
        unpark();
    }

    void unpark() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Blocks until interrupted (then throws InterruptedException, leaving the interrupt flag
     * set) or released by the test (then returns). {@code LockSupport.park} keeps the flag,
     * unlike most blocking calls, so "interrupted" is never invisible for a moment.
     */
    void parkUntilInterruptedOrReleased() throws InterruptedException {
        while (!crew.released() && !releasedByTheTest) {
            if (Thread.currentThread().isInterrupted()) {
                sawInterrupt = true;
                throw new InterruptedException(worker() + " was interrupted");
            }
            LockSupport.park(this);
        }
    }
}
