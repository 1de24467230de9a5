package dev.threadlab.lifecycle.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.SolutionHung;
import dev.threadlab.common.testsupport.ThreadDumps;
import dev.threadlab.common.testsupport.Words;
import dev.threadlab.common.time.Sleeper;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import net.jcip.annotations.ThreadSafe;

/**
 * The harness of {@link StopTheNapperSpec}: calls {@code startNapper} and then {@code stop} on a
 * thread named "caller", with a scripted {@link Sleeper}, and watches both. Every step is lined up by
 * what the threads are observably doing, never by how long anything takes:
 *
 * <ul>
 *   <li>the first {@value #FREE_NAPS} naps return at once; the next lasts until the napper is
 *       interrupted, and {@code stop} is called only once the napper is in it (so "interrupt a
 *       sleeping worker" is what happens, every run);</li>
 *   <li>once interrupted, the nap wakes as the rule needs ({@link Waking}): at once, like
 *       {@code Thread.sleep}, so that what the napper does next (end, or nap again) is seen whether
 *       or not {@code stop} waits for it; or only when the caller waits in {@code join} for the
 *       napper to end ({@link JoinWatch}), so a caller that does not wait, or waits with a timeout,
 *       returns while the napper is certainly alive (its timed join runs out at once, whatever the
 *       timeout: {@link TimedJoins}; a loop that joins again is let go, on its {@code TimedWaitRouting.TRIES}th try);</li>
 *   <li>a nap taken after that {@code InterruptedException} is a swallowed interrupt, seen at once;</li>
 *   <li>a caller in {@code join()} (no timeout) on a napper nobody interrupted, with no other thread
 *       of the solution alive to do it, waits forever: a hang, reported at once as {@link SolutionHung}.</li>
 * </ul>
 * {@link #close()} ends every thread: a nap called after it throws {@link TestOver}.
 */
@ThreadSafe
final class NapRoom implements AutoCloseable, TimedJoins.Holder {

    /** How long the watch waits for what a correct solution does at once; runs out only on a hang. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    /** The nap the solution is given (never really slept: the tests' sleeper decides). */
    static final Duration NAP = Duration.ofMinutes(1);

    /** How many naps return at once before the one that lasts until an interrupt. */
    static final int FREE_NAPS = 2;

    private static final String VIRTUAL = "the napper is a virtual thread: start a platform thread"
            + " (new Thread(...).start() or Thread.ofPlatform().start(...))";

    /** Thrown by the tests' sleeper once the test is over, to end a napper whatever its code. */
    static final class TestOver extends Error {
        private static final long serialVersionUID = 1L;

        TestOver() {
            super("the test is over", null, false, false);
        }
    }

    /** When an interrupted nap throws its InterruptedException. */
    enum Waking {
        /** at once, as Thread.sleep does */
        AT_ONCE,
        /** only once the caller waits in join for the napper to end */
        WHEN_JOINED
    }

    /** What came of a run, read after the watch: the facts each rule judges. */
    record Run(boolean interrupted, boolean aliveWhenStopReturned) {}

    /** The solution's threads live here; what escapes them (TestOver, mostly) is kept quiet. */
    private final ThreadGroup group = new ThreadGroup("stop-the-napper") {
        @Override
        public void uncaughtException(Thread t, Throwable e) {
            // the napper's end is judged by the rules, not by a stack trace on the console
        }
    };

    private final CountDownLatch goStop = new CountDownLatch(1);
    private final AtomicInteger naps = new AtomicInteger();
    private volatile Thread caller;
    private volatile Thread returned;
    private volatile Thread napper;
    /** The napper's watch, made at its first nap: what its held wake-up asks, and what {@link TimedJoins} tells. */
    private volatile JoinWatch napperWatch;

    private volatile boolean startReturned;
    private volatile Throwable thrown;
    private volatile String problem;
    private volatile boolean sawInterrupt;
    private volatile boolean threwInterrupt;
    private volatile boolean released;
    private volatile boolean aliveWhenStopReturned;
    private volatile Waking waking = Waking.WHEN_JOINED;
    /** The caller's CPU time (ns) when the napper, held in a nap that wakes only for a join, was interrupted; -1 if unknown. */
    private volatile long callerCpuAtInterrupt = -1;

    /**
     * CPU time a caller may use, while the interrupted napper is held for a join, before it counts as
     * spinning. A caller that waits (in join, or anything else that parks it) uses next to none; one that
     * loops on isAlive() uses all the CPU it gets. Load only delays reaching this, it cannot fake it.
     */
    static final Duration SPIN_CPU = Duration.ofMillis(300);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static long cpuTime(Thread t) {
        if (t == null || !THREADS.isThreadCpuTimeSupported() || !THREADS.isThreadCpuTimeEnabled()) {
            return -1;
        }
        return THREADS.getThreadCpuTime(t.threadId());
    }

    /**
     * The caller still in stop(), running, having used {@link #SPIN_CPU} of CPU since the napper was
     * interrupted, while the napper is held until the caller waits in join: a caller that polls
     * isAlive() (or anything but join) keeps running without waiting, and nothing it polls can change.
     */
    private boolean spinning(Thread n) {
        long before = callerCpuAtInterrupt;
        if (before < 0 || !sawInterrupt || !n.isAlive()) {
            return false;
        }
        long now = cpuTime(caller);
        return now - before >= SPIN_CPU.toNanos() && caller.getState() == Thread.State.RUNNABLE;
    }

    private static final String SPINS = "stop(napper) interrupted the napper, then kept running without waiting for it:"
            + " the \"caller\" thread used %d ms of CPU in stop(), never waiting in join, while the napper (%s) was still"
            + " waking up (it wakes only once you wait for it in join). A loop on isAlive() (with onSpinWait or not)"
            + " burns a core and never waits; wait with napper.join(), no timeout";

    /** The sleeper the solution gets. */
    private final Sleeper sleeper = this::nap;

    private void nap(Duration duration) throws InterruptedException {
        Thread me = Thread.currentThread();
        if (me == caller) {
            holdAsBroken("the naps ran on the calling thread: run() runs the body right there; start() makes a new"
                    + " thread that runs it");
        }
        if (me.isVirtual()) {
            holdAsBroken(VIRTUAL);
        }
        if (napper == null) {
            napperWatch = new JoinWatch(me);
            napper = me;
        }
        if (threwInterrupt && me.isInterrupted()) {
            holdAsBroken("the napper took another nap after its nap threw InterruptedException, though it had"
                    + " restored its interrupt flag (Thread.currentThread().interrupt()): restoring the flag is right,"
                    + " but the loop never looks at it and naps on. End the loop when the thread is interrupted: loop"
                    + " while (!Thread.currentThread().isInterrupted()), or leave the loop in the catch");
        }
        if (threwInterrupt) {
            holdAsBroken("the napper took another nap after its nap threw InterruptedException: catching it and"
                    + " napping on swallows the request (throwing it cleared the interrupt flag, so nothing stops the"
                    + " next nap). Stop at the exception: leave the loop, and the thread ends; or restore the flag"
                    + " with Thread.currentThread().interrupt() so that a while (!Thread.currentThread()"
                    + ".isInterrupted()) loop ends");
        }
        if (naps.incrementAndGet() <= FREE_NAPS && !me.isInterrupted()) {
            return;
        }
        while (!released && !me.isInterrupted()) {
            LockSupport.park(this);
        }
        if (released) {
            throw testOver();
        }
        if (waking == Waking.WHEN_JOINED) {
            callerCpuAtInterrupt = cpuTime(caller);
        }
        sawInterrupt = true; // recorded before the flag is cleared
        if (waking == Waking.WHEN_JOINED) {
            JoinWatch watch = napperWatch;
            // waking up takes a while: until the caller waits in join for this thread to end. A caller that
            // never does finds the napper still here, held, however long it looks (the watch reports it)
            while (!Poll.until(() -> released || watch.waitsUntilItEnds(caller), PATIENCE)) {
                // held
            }
        }
        if (released) {
            throw testOver();
        }
        Thread.interrupted(); // as Thread.sleep does
        threwInterrupt = true;
        throw new InterruptedException("interrupted while napping");
    }

    /**
     * The napper is held in a wake-up that only a wait to its end lets go: a timed join on it runs out
     * at once ({@link TimedJoins}).
     */
    @Override
    public JoinWatch heldFor(Thread target) {
        Thread n = napper;
        // the flag first, then the record made before the flag is cleared: no interrupt is missed
        return target == n && waking == Waking.WHEN_JOINED && (n.isInterrupted() || sawInterrupt) ? napperWatch : null;
    }

    /**
     * The end of a napper once the test is over, kept off the console: the thread's uncaught-exception
     * handler now passes on everything but this {@link TestOver} (a virtual napper is in no group of
     * the test's, and would print it), so what the solution's own code throws still goes where it went.
     */
    private static TestOver testOver() {
        Thread me = Thread.currentThread();
        Thread.UncaughtExceptionHandler next = me.getUncaughtExceptionHandler();
        me.setUncaughtExceptionHandler((t, e) -> {
            if (!(e instanceof TestOver) && next != null) {
                next.uncaughtException(t, e);
            }
        });
        return new TestOver();
    }

    private void holdAsBroken(String rule) {
        if (problem == null) {
            problem = rule;
        }
        while (!released) {
            LockSupport.park(this);
        }
        throw testOver();
    }

    /**
     * Calls {@code startNapper}, waits until the napper is in its held nap, then (if {@code thenStop})
     * calls {@code stop}, with the interrupted nap waking as {@code waking} says, and waits until it
     * returns; with {@link Waking#AT_ONCE}, also until the interrupted napper has ended (or napped
     * again), whether or not {@code stop} waited for it.
     *
     * @throws NotImplementedYet as the stub threw it
     * @throws AssertionError    (a {@link SolutionHung} for a hang) naming the broken rule
     */
    Run run(StopTheNapper solution, boolean thenStop, Waking waking) {
        this.waking = waking;
        Run run = run(solution, thenStop);
        Thread n = returned;
        if (waking == Waking.AT_ONCE && run.interrupted() && n != null) {
            watch(
                    () -> !n.isAlive(),
                    "the napper neither ended nor took another nap after its nap threw InterruptedException");
        }
        return run;
    }

    /** As {@link #run(StopTheNapper, boolean, Waking)}, with a nap that wakes only for a join. */
    Run run(StopTheNapper given, boolean thenStop) {
        StopTheNapper solution = TimedJoins.reloaded(given, StopTheNapper.class);
        TimedJoins.add(this);
        Thread thread = Thread.ofPlatform()
                .group(group)
                .name("caller")
                .daemon(true)
                .unstarted(() -> {
                    try {
                        Thread started = solution.startNapper(sleeper, NAP);
                        returned = started;
                        startReturned = true;
                        goStop.await();
                        if (thenStop && !released) {
                            solution.stop(started);
                        }
                    } catch (Throwable t) {
                        thrown = t;
                    } finally {
                        Thread n = returned;
                        aliveWhenStopReturned = n != null && n.isAlive();
                    }
                });
        caller = thread;
        thread.start();

        watch(() -> startReturned || !thread.isAlive(), "startNapper(sleeper, 1 min) did not return");
        rethrowWhatTheSolutionThrew();
        Thread n = returned;
        if (n == null) {
            throw new AssertionError("startNapper returned null: return the thread you started");
        }
        if (n.getState() == Thread.State.NEW) {
            throw new AssertionError("startNapper returned a thread that was never started: call start() on it"
                    + " (a thread runs its body only once start() is called)");
        }
        if (n.isVirtual()) {
            throw new AssertionError(VIRTUAL);
        }
        watch(() -> naps.get() > FREE_NAPS || !n.isAlive(), "the napper did not take " + (FREE_NAPS + 1) + " naps");
        if (naps.get() <= FREE_NAPS) {
            throw new AssertionError(
                    "the napper ended after " + Words.of(naps.get(), "nap") + ", though nobody had interrupted"
                            + " it: nap again and again, in a loop, until the thread is interrupted");
        }
        if (napper != n) {
            throw new AssertionError("the naps ran on " + napper.getName() + ", but startNapper returned another"
                    + " thread, " + n.getName() + ": return the thread that naps");
        }
        if (!thenStop) {
            return new Run(false, true);
        }
        goStop.countDown();
        watch(() -> !thread.isAlive() || certainHang(n) || spinning(n), "stop(napper) did not return");
        if (thread.isAlive() && spinning(n)) {
            throw new AssertionError(
                    String.format(SPINS, (cpuTime(caller) - callerCpuAtInterrupt) / 1_000_000, n.getName()));
        }
        if (thread.isAlive()) {
            throw new SolutionHung("stop(napper) waited in join() for the napper, which nobody had interrupted: it"
                    + " naps until it is interrupted, so this wait never ends. Interrupt it (napper.interrupt()),"
                    + " then join it");
        }
        rethrowWhatTheSolutionThrew();
        boolean interrupted =
                n.isInterrupted() || sawInterrupt; // the flag first: the record is made before it is cleared
        return new Run(interrupted, aliveWhenStopReturned);
    }

    /**
     * The caller in {@code join()} with no timeout on the napper, which is alive and not interrupted,
     * and no other thread of the solution alive to interrupt it: nothing can end that wait. Read in
     * that order (the caller's state, then the napper's flag), an interrupt sent before the join is seen.
     */
    private boolean certainHang(Thread n) {
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(caller.threadId());
        return info != null
                && info.getThreadState() == Thread.State.WAITING
                && JoinWatch.isMonitorOf(info.getLockInfo(), n)
                && n.isAlive()
                && !n.isInterrupted()
                && !sawInterrupt
                && group.activeCount() <= 2;
    }

    /** Waits until {@code reached}, or a broken rule is seen (thrown), or the patience runs out (a hang). */
    private void watch(java.util.function.BooleanSupplier reached, String what) {
        boolean ok = Poll.until(() -> problem != null || reached.getAsBoolean(), PATIENCE);
        if (problem != null) {
            throw new AssertionError(problem);
        }
        if (!ok) {
            callerHung = true; // close() interrupts it at once: the verdict is given
            Thread n = returned;
            throw new SolutionHung(what + " within " + PATIENCE.toSeconds() + " s, though a correct solution needs no"
                    + " real time here"
                    + (n != null && !n.isInterrupted() && !sawInterrupt && naps.get() > FREE_NAPS
                            ? " (the napper was never interrupted, and it naps until it is)"
                            : n != null
                                            && sawInterrupt
                                            && waking == Waking.WHEN_JOINED
                                            && n.isAlive()
                                            && caller.getState() == Thread.State.RUNNABLE
                                    ? " (stop(napper) interrupted the napper, then the \"caller\" thread kept running"
                                            + " without ever waiting in join for it, and the napper wakes only once you"
                                            + " wait for it there: a loop on isAlive() never waits; wait with"
                                            + " napper.join(), no timeout)"
                                    : "")
                    + ".\nWhere the threads were:\n  " + ThreadDumps.describe(caller)
                    + (n == null ? "" : "\n  " + ThreadDumps.describe(n)));
        }
    }

    private void rethrowWhatTheSolutionThrew() {
        Throwable t = thrown;
        if (t instanceof NotImplementedYet notYet) {
            throw notYet;
        }
        if (t != null) {
            throw new AssertionError("the call threw " + t + ": startNapper and stop throw nothing here", t);
        }
    }

    /** Set once the watch has declared a hang: close() then interrupts the caller at once, not after 2 s more. */
    private volatile boolean callerHung;

    /**
     * Ends the napper and the caller. A caller declared hung (it had {@link #PATIENCE} already) is
     * interrupted at once: this wait only cleans up after the verdict, so no verdict depends on it.
     */
    @Override
    public void close() {
        released = true;
        TimedJoins.remove(this);
        goStop.countDown();
        for (Thread t : new Thread[] {napper, returned, caller}) {
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
        try {
            Thread c = caller;
            if (c != null && !c.join(callerHung ? Duration.ZERO : Duration.ofSeconds(2))) {
                c.interrupt();
                c.join(Duration.ofSeconds(1));
            }
            for (Thread t : new Thread[] {napper, returned}) {
                if (t != null && t.getState() != Thread.State.NEW) {
                    t.join(Duration.ofSeconds(1));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
