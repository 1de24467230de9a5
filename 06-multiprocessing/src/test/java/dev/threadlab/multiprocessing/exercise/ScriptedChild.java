package dev.threadlab.multiprocessing.exercise;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import net.jcip.annotations.ThreadSafe;

/**
 * A child process for grading {@link RunAWorker}, whose life the test decides, never the clock:
 *
 * <ul>
 *   <li>{@link Kind#ANSWERS} and {@link Kind#FAILS} have written their output and closed it; they
 *       exit (with 0, or 3) at the first wait or look at them, as a real child exits a moment after
 *       it closes its output.</li>
 *   <li>{@link Kind#ENDS_WHEN_ASKED} and {@link Kind#IGNORES_DESTROY} never end by themselves, and
 *       their output stays open (a read blocks) until they exit. {@code destroy()} makes the first
 *       exit (143, SIGTERM), the second ignores it; {@code destroyForcibly()} makes either exit
 *       (137, SIGKILL).</li>
 *   <li>{@link Kind#ANSWERS_IN_TIME} answers (exits with 0) once it has been waited for
 *       {@link #ANSWERS_AFTER} in all by the run's own thread, counted, not slept: a timed wait of
 *       that thread's ({@code waitFor(t, unit)}, {@code get(t, unit)} on {@code onExit()}) shorter
 *       than what is left returns at once, as if it had waited it out; a wait with no limit, or a
 *       read of its output, by that thread lasts until it answers. A read or a wait, timed or not,
 *       by another thread (one the run started) makes it answer no sooner: that thread waits for the exit, which only the run's own
 *       waits bring, so whether it gets there before or after the run's first wait changes
 *       nothing, and a timeout cut short (1.9 s waited as 1 s) is caught on every run. Looks ({@code isAlive()}, {@code isDone()}) count
 *       nothing, so a run that polls never sees it answer.</li>
 *   <li>{@link Kind#CLOSES_OUTPUT_AND_STAYS} has written its answer and closed its output, but
 *       never ends by itself; {@code destroy()} ends it.</li>
 *   <li>A signal only starts the exit: the child has exited once it is next waited for or looked
 *       at ({@code waitFor}, {@code isAlive}, {@code onExit()} and that future's {@code get},
 *       {@code join}, {@code isDone}, …), from any thread. So a run that destroys its child and
 *       returns without waiting leaves it running, every time.</li>
 * </ul>
 * The output of a child that never ends by itself (and of {@link Kind#ANSWERS_IN_TIME}) ends when
 * it exits; a thread of the run other than the caller (a reader) sees that end only once the caller
 * has waited for something else than the child after the exit (for that reader, say), or once the
 * test has looked at what the run left behind ({@link #letReadersGo()}). So a reader the run
 * neither joins nor waits for is still reading when the run returns, on every run.
 *
 * <p>The run's own timed waits on a child that will not end within them run out at once, as if they
 * had waited that long: before any signal on a child that never ends by itself, in a run the test
 * does not interrupt ({@link #timedWaitsRunOut}), and after {@code destroy()} on
 * {@link Kind#IGNORES_DESTROY}. The run's clock then stands still but for what they ask
 * ({@link RunClock}), so a deadline loop asks for what is left, to the nanosecond, however slowly it
 * runs. Other timed waits are real (an hour that an interrupt or a signal cuts short). What the
 * run's own timed waits on a child ask for is counted, as they ask it: before it signals the child
 * ({@link #endedBeforeItsTimeout}), and after {@code destroy()} until a {@code destroyForcibly()},
 * from any thread ({@link #killedBeforeItsGrace}). A run that ends a child after asking for less
 * than its timeout, or kills it after asking for less than its grace (50.000001 ms waited as 50 ms,
 * or 0 s, or not at all), is told so on every run, whatever the clock says. What the run's own thread (the <em>caller</em>) must never do is recorded as the
 * {@link #violation()}, at once: wait with no time limit, or read the output, while the child will
 * never exit by itself, a hang in the making. The harness then ends the child ({@link #kill()}),
 * which releases the wait, and reports the hang.
 *
 * <p>Thread-safety: thread-safe; its state is guarded by one lock.
 */
@ThreadSafe
final class ScriptedChild extends Process {

    /** How the child behaves. */
    enum Kind {
        /** Wrote {@code "49\n"}, closed its output; exits with 0. */
        ANSWERS,
        /** Wrote {@code "half an answer\n"}, closed its output; exits with 3. */
        FAILS,
        /** Never ends by itself; {@code destroy()} ends it. */
        ENDS_WHEN_ASKED,
        /** Never ends by itself and ignores {@code destroy()}; only {@code destroyForcibly()} ends it. */
        IGNORES_DESTROY,
        /** Writes {@code "49\n"} and exits with 0 once waited for {@link #ANSWERS_AFTER} in all; {@code destroy()} ends it. */
        ANSWERS_IN_TIME,
        /** Wrote {@code "49\n"}, closed its output, and never ends by itself; {@code destroy()} ends it. */
        CLOSES_OUTPUT_AND_STAYS
    }

    /** How long {@link Kind#ANSWERS_IN_TIME} must be waited for before it answers. */
    static final java.time.Duration ANSWERS_AFTER = java.time.Duration.ofMillis(1500);

    /** What {@link Kind#ANSWERS} writes. */
    static final String ANSWER = "49\n";

    /** What {@link Kind#FAILS} writes before it exits with {@link #FAILURE_CODE}. */
    static final String HALF_AN_ANSWER = "half an answer\n";

    static final int FAILURE_CODE = 3;

    /** The first pid of a rule's children: each rule numbers them afresh ({@link #numberPidsAfresh()}). */
    private static final long FIRST_PID = 70_001;

    private static final AtomicLong PIDS = new AtomicLong(FIRST_PID - 1);

    /**
     * Numbers the children started from now on from {@link #FIRST_PID} again: called before each
     * rule, so that a message naming a child's pid is the same however many children the JVM has
     * scripted before (the runner's fresh JVM and Maven's, one grading and the next).
     */
    static void numberPidsAfresh() {
        PIDS.set(FIRST_PID - 1);
    }

    private enum Life {
        RUNNING,
        EXITING,
        EXITED
    }

    private final Kind kind;
    private final long pid = PIDS.incrementAndGet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Exit<Process> exit = new Exit<>(this);
    private final Pipe stdout;
    private final Pipe stderr;
    private volatile Thread caller;
    private final Handle handle = new Handle();

    /** When the child started (System.nanoTime()): where the run's clock stops for its timeout ({@link RunClock}). */
    private final long startedAt = System.nanoTime();

    /**
     * Whether the caller's timed waits on it run out at once while it runs, before any signal, when
     * it will not end within them (the test does not interrupt this run; see {@link #runsOutItsTimeout}).
     */
    private volatile boolean timedWaitsRunOut;

    /** When the child was first sent {@code destroy()} (System.nanoTime()): where the run's clock stops for its grace. */
    @GuardedBy("lock")
    private long destroyedAt;

    /**
     * The run's clock, once a timed wait of its thread has run out at once: it stands still but for
     * what such waits ask for ({@link RunClock}).
     */
    @GuardedBy("lock")
    private boolean clockStopped;

    @GuardedBy("lock")
    private long clockNanos;

    /** The children whose caller's clock has stopped, by caller. */
    private static final java.util.Map<Thread, ScriptedChild> STOPPED_CLOCKS =
            new java.util.concurrent.ConcurrentHashMap<>();

    @GuardedBy("lock")
    private Life state;

    @GuardedBy("lock")
    private int exitCode;

    /** The signals the child was sent, in order: "destroy()" and "destroyForcibly()". */
    @GuardedBy("lock")
    private final List<String> signals = new ArrayList<>();

    @GuardedBy("lock")
    private String violation;

    /** How long {@link Kind#ANSWERS_IN_TIME} has been waited for, in timed waits, in nanoseconds. */
    @GuardedBy("lock")
    private long waitedNanos;

    /**
     * The caller's first timed waits on the child while it ran and before any signal, e.g.
     * "waitFor(1 s)" (at most {@link #WAITS_SHOWN}; {@link #timedWaitCount} counts them all).
     */
    @GuardedBy("lock")
    private final List<String> timedWaits = new ArrayList<>();

    @GuardedBy("lock")
    private long timedWaitCount;

    /** The time the caller's timed waits on the child asked for while it ran, before any signal, in nanoseconds. */
    @GuardedBy("lock")
    private long askedNanos;

    private static final int WAITS_SHOWN = 3;

    /**
     * The caller's timed waits on the child after its first {@code destroy()}, while it had not
     * exited and before any {@code destroyForcibly()}: the grace it was given (at most
     * {@link #WAITS_SHOWN} shown; {@link #graceWaitCount} counts them all).
     */
    @GuardedBy("lock")
    private final List<String> graceWaits = new ArrayList<>();

    @GuardedBy("lock")
    private long graceWaitCount;

    /** The time the caller's waits in {@link #graceWaits} asked for, in nanoseconds. */
    @GuardedBy("lock")
    private long graceAskedNanos;

    /**
     * How the child was killed after {@code destroy()} while it had not exited, with what the
     * grace waits had asked for then: null if it was not (see {@link #killedBeforeItsGrace}).
     */
    @GuardedBy("lock")
    private Kill kill;

    /** A {@code destroyForcibly()} after {@code destroy()}, on a child that had not exited. */
    private record Kill(String thread, long graceAskedNanos, String graceWaits, boolean waitInterrupted) {}

    /** Whether the caller looked at it ({@code isAlive()}) while it ran, before any signal. */
    @GuardedBy("lock")
    private boolean looked;

    /** Whether a wait of the caller's threw InterruptedException after a signal (in its clean-up). */
    @GuardedBy("lock")
    private boolean cleanUpWaitInterrupted;

    /**
     * Whether another thread of the run (a reader) may see the end of an output that the child's
     * exit closed: only once the run has waited for something else than the child after the exit
     * (its reader, say), or the test has let go. Until then such a reader stays in its read.
     */
    @GuardedBy("lock")
    private boolean readersLetGo;

    /** The threads other than the caller inside a read of an output now, with the output's name. */
    @GuardedBy("lock")
    private final java.util.Map<Thread, String> readersAtWork = new java.util.LinkedHashMap<>();

    ScriptedChild(Kind kind) {
        this.kind = kind;
        boolean answered = kind == Kind.ANSWERS || kind == Kind.FAILS;
        this.state = answered ? Life.EXITING : Life.RUNNING;
        this.exitCode = kind == Kind.FAILS ? FAILURE_CODE : 0;
        this.stdout = new Pipe(
                "stdout",
                kind == Kind.FAILS
                        ? HALF_AN_ANSWER
                        : kind == Kind.ENDS_WHEN_ASKED || kind == Kind.IGNORES_DESTROY ? "" : ANSWER);
        this.stderr = new Pipe("stderr", kind == Kind.FAILS ? "something went wrong\n" : "");
    }

    /** Tells the child which thread runs the solution: only that thread's waits and reads are judged. */
    void callerIs(Thread runThread) {
        this.caller = runThread;
    }

    /**
     * Makes the caller's timed waits on a child that never ends by itself run out at once while it
     * runs, before any signal (the test does not interrupt this run): see {@link #runsOutItsTimeout}.
     */
    void timedWaitsRunOut(boolean runOut) {
        this.timedWaitsRunOut = runOut;
    }

    /**
     * @return {@code System.nanoTime()} as {@code thread} sees it: the real one, or, once a timed
     *         wait of that thread on a child ran out at once, that child's stopped clock
     */
    static long nanoTimeOf(Thread thread) {
        ScriptedChild child = STOPPED_CLOCKS.get(thread);
        if (child == null) {
            return System.nanoTime();
        }
        child.lock.lock();
        try {
            return child.clockNanos;
        } finally {
            child.lock.unlock();
        }
    }

    Kind kind() {
        return kind;
    }

    // ---- the Process a solution sees ----

    @Override
    public OutputStream getOutputStream() {
        return OutputStream.nullOutputStream();
    }

    @Override
    public InputStream getInputStream() {
        return stdout;
    }

    @Override
    public InputStream getErrorStream() {
        return stderr;
    }

    @Override
    public int waitFor() throws InterruptedException {
        lock.lock();
        try {
            if (Thread.currentThread() == caller) {
                answersIfWaitedWithNoLimit(); // another thread's wait makes it answer no sooner
            }
            if (state == Life.RUNNING) {
                blocksForever("waitFor()");
            }
            while (state == Life.RUNNING) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
        settle();
        return exitValue();
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        long left = unit.toNanos(timeout);
        lock.lock();
        try {
            noteTimedWait("waitFor", timeout, unit);
            if (answersInTime() && !waitedInTime(left)) {
                ranOut(left);
                return false; // as if it had waited that long
            }
            if (left > 0 && (waitsOutItsGrace() || runsOutItsTimeout())) {
                if (Thread.interrupted()) {
                    interruptedWait();
                    throw new InterruptedException();
                }
                ranOut(left);
                return false; // as if it had waited that long: it would not have ended within it
            }
            while (state == Life.RUNNING) {
                if (left <= 0) {
                    return false;
                }
                try {
                    left = changed.awaitNanos(left);
                } catch (InterruptedException interrupt) {
                    interruptedWait();
                    throw interrupt;
                }
            }
        } finally {
            lock.unlock();
        }
        settle();
        return true;
    }

    @Override
    public int exitValue() {
        lock.lock();
        try {
            if (state != Life.EXITED) {
                throw new IllegalThreadStateException("process hasn't exited");
            }
            return exitCode;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void destroy() {
        lock.lock();
        try {
            if (!signals.contains("destroy()")) {
                destroyedAt = System.nanoTime();
            }
            signals.add("destroy()");
            if (kind != Kind.IGNORES_DESTROY && state == Life.RUNNING) {
                startExit(143);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Process destroyForcibly() {
        lock.lock();
        try {
            if (state != Life.EXITED && signals.contains("destroy()") && !signals.contains("destroyForcibly()")) {
                Thread killer = Thread.currentThread();
                kill = new Kill(
                        killer == caller ? null : killer.getName(),
                        graceAskedNanos,
                        graceWaitCount == 0 ? null : waitsShown(graceWaits, graceWaitCount),
                        cleanUpWaitInterrupted);
            }
            signals.add("destroyForcibly()");
            if (state == Life.RUNNING) {
                startExit(137);
            }
        } finally {
            lock.unlock();
        }
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    @Override
    public boolean isAlive() {
        settle();
        lock.lock();
        try {
            if (state == Life.RUNNING && signals.isEmpty() && Thread.currentThread() == caller) {
                looked = true;
            }
            return state != Life.EXITED;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public CompletableFuture<Process> onExit() {
        settle();
        return exit.copy();
    }

    @Override
    public ProcessHandle toHandle() {
        return handle;
    }

    @Override
    public String toString() {
        return "scripted child pid " + pid + " (" + kind + ")";
    }

    // ---- what the harness and the spec see ----

    /** @return the first thing the caller did that can never end by itself, or null */
    String violation() {
        lock.lock();
        try {
            return violation;
        } finally {
            lock.unlock();
        }
    }

    /** @return true once the child has exited (without counting this look as a wait) */
    boolean exited() {
        lock.lock();
        try {
            return state == Life.EXITED;
        } finally {
            lock.unlock();
        }
    }

    /** @return the signals it was sent, in order */
    List<String> signals() {
        lock.lock();
        try {
            return List.copyOf(signals);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Why the child is still running, as a sentence with the fix, or null if it has exited.
     * Read it when the run has ended: it says what the run failed to do.
     */
    String stillRunning() {
        lock.lock();
        try {
            if (state == Life.EXITED) {
                return null;
            }
            String pidText = "the child (pid " + pid + ") still running";
            if (state == Life.EXITING && signals.isEmpty()) {
                return pidText + ": it had closed its output, but a process exits a moment after that. Wait for it"
                        + " (waitFor(timeout)) before answering, and read its exit code once it has exited";
            }
            if (state == Life.EXITING && signals.get(signals.size() - 1).equals("destroy()")) {
                return pidText + ": destroy() only asks the child to end (SIGTERM), and it ends a moment later. Wait"
                        + " for it (waitFor(grace)) before run ends, and destroyForcibly() it if it is still running"
                        + " after grace";
            }
            if (state == Life.EXITING) {
                return pidText + ": destroyForcibly() sends SIGKILL, and the process ends a moment later. Wait for"
                        + " it (waitFor()) before run ends";
            }
            if (signals.isEmpty()) {
                return pidText + ", never asked to end: end it before run ends. destroy() it, wait up to grace,"
                        + " destroyForcibly() it if it is still running, and wait until it has exited";
            }
            if (cleanUpWaitInterrupted && !signals.contains("destroyForcibly()")) {
                return pidText + " after destroy(): this child ignores destroy() (SIGTERM), and run's wait for it"
                        + " threw InterruptedException (the thread's interrupt flag was set: restored before the"
                        + " clean-up, or a second interrupt), and run gave up. A wait that throws has not waited:"
                        + " destroyForcibly() the child then (SIGKILL cannot be ignored) and wait until it has exited"
                        + " (onExit().join() ignores interrupts); keep the interrupt and rethrow it afterwards";
            }
            return pidText + " after " + String.join(" and ", signals) + ": this child ignores destroy() (SIGTERM), as"
                    + " a stuck child or one that traps SIGTERM may. When it is still running after grace,"
                    + " destroyForcibly() it (SIGKILL cannot be ignored) and wait until it has exited";
        } finally {
            lock.unlock();
        }
    }

    /**
     * How the caller waited for {@link Kind#ANSWERS_IN_TIME} (it did not see it answer), as a
     * sentence with the fix.
     *
     * @param timeout the timeout the run was given
     */
    String howItWaited(java.time.Duration timeout) {
        lock.lock();
        try {
            if (state == Life.EXITED && signals.isEmpty()) {
                return "it answered: return its answer";
            }
            if (timedWaits.isEmpty() && looked) {
                return "run never waited for it with a time limit, but looked at it (isAlive()) until the timeout ran"
                        + " out: a loop that polls spins, a core busy doing nothing. Wait instead:"
                        + " waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS) returns the moment the child exits";
            }
            if (timedWaits.isEmpty()) {
                return "run never waited for it: wait at most the timeout (waitFor(timeout.toNanos(),"
                        + " TimeUnit.NANOSECONDS)), and end it only if it is still running then";
            }
            return "run's waits for it (" + waitsShown() + ") asked for "
                    + RunCall.shown(java.time.Duration.ofNanos(askedNanos)) + " in all, less than its "
                    + RunCall.shown(timeout) + " timeout, and then it ended the child. " + WHOLE_TIMEOUT;
        } finally {
            lock.unlock();
        }
    }

    /** The fix for waits that asked for less than the timeout: no guess at how the run computed them. */
    private static final String WHOLE_TIMEOUT = "Wait the whole timeout, not less, to the nanosecond:"
            + " waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS) (a timeout turned into a coarser unit, seconds or"
            + " milliseconds, truncated or rounded, can come out shorter)";

    /**
     * Why the run ended the child before its {@code timeout} ran out, as a sentence with the fix, or
     * null if it did not: it signalled the child ({@code destroy()}, {@code destroyForcibly()})
     * although its own timed waits on the child had asked for less than {@code timeout} in all, or
     * it had only looked at it ({@code isAlive()}). A run that waited for something else (a reader
     * of the output, with a time limit) is not judged here: that time is not counted. The time asked
     * for is counted, not measured, and shown as the run asked it ({@code waitFor(50, MILLISECONDS)}),
     * so a timeout cut short at any granularity (a 50.000001 ms timeout waited as 50 ms) is told on
     * every run, however fast the machine.
     */
    String endedBeforeItsTimeout(java.time.Duration timeout) {
        lock.lock();
        try {
            if (signals.isEmpty() || askedNanos >= timeout.toNanos()) {
                return null;
            }
            String limit = RunCall.shown(timeout);
            if (timedWaitCount == 0 && looked) {
                return "run never waited for it with a time limit, but looked at it (isAlive()) until it ended it: a"
                        + " loop that polls spins, a core busy doing nothing. Wait the whole " + limit + " timeout"
                        + " instead: waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS) returns the moment the child"
                        + " exits";
            }
            if (timedWaitCount == 0) {
                return null; // it waited for something else (its reader, say): not counted, not judged here
            }
            return "run's waits for it (" + waitsShown() + ") asked for "
                    + RunCall.shown(java.time.Duration.ofNanos(askedNanos)) + " in all, less than its " + limit
                    + " timeout, and then it ended the child (" + signals.get(0) + "). " + WHOLE_TIMEOUT;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Why the run killed the child before its {@code grace} ran out, as a sentence with the fix, or
     * null if it did not: it called {@code destroyForcibly()} (on any thread) after {@code destroy()},
     * on a child that had not exited, when the timed waits of the run's thread on the child since
     * {@code destroy()} had asked for less than {@code grace} in all, and none of them had thrown
     * {@code InterruptedException}. Counted, not measured, and shown as the run asked them: a grace
     * cut short at any granularity, or not waited at all, is told on every run.
     */
    String killedBeforeItsGrace(java.time.Duration grace) {
        lock.lock();
        try {
            if (kill == null || kill.waitInterrupted() || kill.graceAskedNanos() >= grace.toNanos()) {
                return null;
            }
            String how = "run killed the child (destroyForcibly()"
                    + (kill.thread() == null ? "" : ", on its thread \"" + kill.thread() + "\"") + ")";
            String when = kill.graceWaits() == null
                    ? how + " right after destroy(), without waiting for it at all, though its grace is "
                            + RunCall.shown(grace)
                    : how + " after destroy() when its waits for it since then (" + kill.graceWaits()
                            + ") had asked for "
                            + RunCall.shown(java.time.Duration.ofNanos(kill.graceAskedNanos()))
                            + " in all, less than its "
                            + RunCall.shown(grace) + " grace";
            return when + ". destroy() asks the child to end"
                    + " (SIGTERM) and gives it the whole grace to clean up and exit: wait for it up to the whole grace,"
                    + " not less, to the nanosecond (waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)), and"
                    + " destroyForcibly() it only if it is still running then (or if that wait threw"
                    + " InterruptedException)";
        } finally {
            lock.unlock();
        }
    }

    @GuardedBy("lock")
    private String waitsShown() {
        return waitsShown(timedWaits, timedWaitCount);
    }

    private static String waitsShown(List<String> waits, long count) {
        String shown = String.join(", ", waits);
        return count > waits.size() ? shown + ", … " + count + " in all" : shown;
    }

    /**
     * A timed wait of the caller's on the child, of {@code nanos}: counted while the child runs and
     * before any signal (what the run waited before it ended the child).
     */
    @GuardedBy("lock")
    private void noteTimedWait(String how, long timeout, TimeUnit unit) {
        if (Thread.currentThread() != caller || state == Life.EXITED) {
            return;
        }
        String shown = how + "(" + timeout + ", " + unit + ")"; // what it asked, as it asked it
        long asked = Math.max(0, unit.toNanos(timeout));
        if (state == Life.RUNNING && signals.isEmpty()) {
            timedWaitCount++;
            if (timedWaits.size() < WAITS_SHOWN) {
                timedWaits.add(shown);
            }
            askedNanos = asked >= Long.MAX_VALUE - askedNanos ? Long.MAX_VALUE : askedNanos + asked;
        } else if (signals.contains("destroy()") && !signals.contains("destroyForcibly()")) {
            graceWaitCount++;
            if (graceWaits.size() < WAITS_SHOWN) {
                graceWaits.add(shown);
            }
            graceAskedNanos = asked >= Long.MAX_VALUE - graceAskedNanos ? Long.MAX_VALUE : graceAskedNanos + asked;
        }
    }

    /**
     * @return true if the caller's timed wait now is one of its timeout on a child that will not end
     *         within it (it never ends by itself, and has not been signalled), in a run the test does
     *         not interrupt: it runs out at once, as if it had waited that long (counted in
     *         {@link #askedNanos}, not slept)
     */
    @GuardedBy("lock")
    private boolean runsOutItsTimeout() {
        return timedWaitsRunOut
                && Thread.currentThread() == caller
                && state == Life.RUNNING
                && signals.isEmpty()
                && (kind == Kind.ENDS_WHEN_ASKED
                        || kind == Kind.IGNORES_DESTROY
                        || kind == Kind.CLOSES_OUTPUT_AND_STAYS);
    }

    /**
     * A timed wait of the caller's of {@code nanos} ran out at once: its clock ({@link RunClock})
     * stops, where the timeout began (the child's start) or the grace ({@code destroy()}), if it had
     * not yet, and moves on by {@code nanos}. So a loop that waits for what is left of a deadline
     * read from {@code System.nanoTime()} asks for all of it, however slowly it runs.
     */
    @GuardedBy("lock")
    private void ranOut(long nanos) {
        if (nanos <= 0) {
            return; // a wait of no time: the clock goes on
        }
        if (!clockStopped) {
            clockStopped = true;
            clockNanos = signals.isEmpty() ? startedAt : destroyedAt;
            STOPPED_CLOCKS.put(Thread.currentThread(), this);
        }
        clockNanos += nanos;
    }

    /**
     * @return true if the caller's timed wait now is one of its grace on a child that ignored
     *         {@code destroy()}: it runs out at once, as if it had waited that long (counted, in
     *         {@link #graceAskedNanos}, not slept), so a kill from another thread is judged on what
     *         the caller's waits had asked for when it came, the same on every run
     */
    @GuardedBy("lock")
    private boolean waitsOutItsGrace() {
        return Thread.currentThread() == caller
                && kind == Kind.IGNORES_DESTROY
                && state == Life.RUNNING
                && signals.contains("destroy()")
                && !signals.contains("destroyForcibly()");
    }

    /**
     * The run's thread waits, not for this child, and it has exited: the run waits for its reader
     * (or something else), so a reader of an output the exit closed may now see its end.
     */
    void runWaitsElsewhereAfterTheExit() {
        lock.lock();
        try {
            if (state == Life.EXITED && !readersLetGo) {
                readersLetGo = true;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Lets every reader see the end of the output (the test has looked at what the run left behind). */
    void letReadersGo() {
        lock.lock();
        try {
            readersLetGo = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return the threads other than the run's own inside a read of this child's output now, with the output ("stdout") */
    java.util.Map<Thread, String> readersAtWork() {
        lock.lock();
        try {
            return java.util.Map.copyOf(readersAtWork);
        } finally {
            lock.unlock();
        }
    }

    /** Ends the child at once, whatever it is (the harness's clean-up): every wait and read on it returns. */
    void kill() {
        lock.lock();
        try {
            if (state == Life.RUNNING) {
                exitCode = 137;
            }
            state = Life.EXITED;
            readersLetGo = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Thread runThread = caller;
        if (runThread != null) {
            STOPPED_CLOCKS.remove(runThread, this);
        }
        exit.complete(this);
    }

    // ---- inside ----

    @GuardedBy("lock")
    private void startExit(int code) {
        exitCode = code;
        state = Life.EXITING;
        changed.signalAll();
    }

    /**
     * @return true if a timed wait now is one {@link Kind#ANSWERS_IN_TIME} counts: the run's own,
     *         while it runs. Another thread's timed wait is a real wait, which the child's answer
     *         (brought by the run's own waits) or its own time limit ends.
     */
    @GuardedBy("lock")
    private boolean answersInTime() {
        return kind == Kind.ANSWERS_IN_TIME && state == Life.RUNNING && Thread.currentThread() == caller;
    }

    /**
     * A timed wait of {@code nanos} on {@link Kind#ANSWERS_IN_TIME} while it runs: counted; it
     * answers once it has been waited for {@link #ANSWERS_AFTER} in all.
     *
     * @return true if it answered (it is exiting), false if the wait ran out first
     */
    @GuardedBy("lock")
    private boolean waitedInTime(long nanos) {
        if (nanos <= 0) {
            return false;
        }
        waitedNanos = nanos >= Long.MAX_VALUE - waitedNanos ? Long.MAX_VALUE : waitedNanos + nanos;
        if (waitedNanos >= ANSWERS_AFTER.toNanos()) {
            startExit(0);
            return true;
        }
        return false;
    }

    /** A wait with no limit, or a read, on {@link Kind#ANSWERS_IN_TIME}: it lasts until the child answers. */
    @GuardedBy("lock")
    private void answersIfWaitedWithNoLimit() {
        if (kind == Kind.ANSWERS_IN_TIME && state == Life.RUNNING) {
            startExit(0);
        }
    }

    /** A wait was interrupted: noted if it was the caller's, after a signal (its clean-up gave up). */
    private void interruptedWait() {
        lock.lock();
        try {
            if (Thread.currentThread() == caller && !signals.isEmpty()) {
                cleanUpWaitInterrupted = true;
            }
        } finally {
            lock.unlock();
        }
    }

    /** A wait or a look: an exit under way is complete now. */
    private void settle() {
        boolean exitedNow;
        lock.lock();
        try {
            exitedNow = state == Life.EXITING;
            if (exitedNow) {
                state = Life.EXITED;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (exitedNow) {
            exit.complete(this); // outside the lock: the future runs its dependents here
        }
    }

    /** The caller is about to wait with no limit, or read, while the child runs: noted if that can never end. */
    @GuardedBy("lock")
    private void blocksForever(String how) {
        if (Thread.currentThread() != caller || violation != null) {
            return;
        }
        if (signals.contains("destroy()")) {
            violation = "after destroy(), run waited for the child with " + how + ", which has no time limit, but this"
                    + " child ignores destroy()"
                    + " (SIGTERM), as a stuck child or one that traps SIGTERM may, so that wait would never end."
                    + " Wait at most grace (waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)); if it is still running,"
                    + " destroyForcibly() it and wait until it has exited";
        } else {
            violation = "run waited for the child with " + how + ", which has no time limit, and this child never ends"
                    + " by itself, so that wait"
                    + " would never end. Wait at most the timeout (waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS),"
                    + " or get with a timeout on onExit()); if it is still running then, end it";
        }
    }

    @GuardedBy("lock")
    private void readsBeforeExit(String stream) {
        if (Thread.currentThread() != caller || violation != null) {
            return;
        }
        violation = "run read the child's " + stream + " on its own thread before the child had exited, and this child"
                + " never ends by itself, so it never closes its " + stream + ": that read would never return. Wait"
                + " for the child first, at most the timeout (waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)), then"
                + " read its answer, which waits in the pipe; or read on another thread while you wait";
    }

    /** The child's end of a pipe: its bytes, then the end of the stream once the child has closed it (has exited). */
    private final class Pipe extends InputStream {
        private final String name;
        private final byte[] bytes;

        @GuardedBy("lock")
        private int next;

        @GuardedBy("lock")
        private boolean closed;

        Pipe(String name, String text) {
            this.name = name;
            this.bytes = text.getBytes(StandardCharsets.UTF_8);
        }

        /**
         * @return true if this output ended with the child's exit and a reader other than the run's
         *         thread may not see that end yet (see {@link #readersLetGo})
         */
        @GuardedBy("lock")
        private boolean endHeldBack() {
            boolean closedByTheExit =
                    kind == Kind.ENDS_WHEN_ASKED || kind == Kind.IGNORES_DESTROY || kind == Kind.ANSWERS_IN_TIME;
            return closedByTheExit && !readersLetGo;
        }

        /** @return true once the child will write no more: it wrote everything at once, or it has exited */
        @GuardedBy("lock")
        private boolean ended() {
            return kind == Kind.ANSWERS
                    || kind == Kind.FAILS
                    || kind == Kind.CLOSES_OUTPUT_AND_STAYS
                    || state == Life.EXITED;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, into.length);
            if (length == 0) {
                return 0;
            }
            lock.lock();
            try {
                if (next >= bytes.length && Thread.currentThread() == caller) {
                    // The run's own read waits with no limit. Another thread's read (a reader's) does not
                    // make the child answer: that thread waits for the exit, which the run's own waits
                    // decide, so a reader that reaches its read before the run waits changes nothing.
                    answersIfWaitedWithNoLimit();
                }
            } finally {
                lock.unlock();
            }
            settle(); // a child that answered has exited: its output has ended
            lock.lock();
            try {
                if (next >= bytes.length && !ended() && !closed) {
                    readsBeforeExit(name);
                }
                Thread reader = Thread.currentThread();
                boolean another = reader != caller;
                if (another) {
                    readersAtWork.put(reader, name);
                }
                try {
                    while (next >= bytes.length && !closed && (!ended() || (another && endHeldBack()))) {
                        changed.awaitUninterruptibly(); // a pipe's read ignores interrupts
                    }
                } finally {
                    if (another) {
                        readersAtWork.remove(reader);
                    }
                }
                if (closed) {
                    throw new IOException("Stream closed");
                }
                if (next >= bytes.length) {
                    return -1;
                }
                int n = Math.min(length, bytes.length - next);
                System.arraycopy(bytes, next, into, offset, n);
                next += n;
                return n;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return bytes.length - next;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                closed = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * The child's {@link ProcessHandle}: its signals, looks and waits are the child's own, so a kill
     * through {@code toHandle().destroyForcibly()} is judged like {@code destroyForcibly()}.
     */
    private final class Handle implements ProcessHandle {
        @Override
        public long pid() {
            return pid;
        }

        @Override
        public java.util.Optional<ProcessHandle> parent() {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.stream.Stream<ProcessHandle> children() {
            return java.util.stream.Stream.empty();
        }

        @Override
        public java.util.stream.Stream<ProcessHandle> descendants() {
            return java.util.stream.Stream.empty();
        }

        @Override
        public Info info() {
            return new Info() {
                @Override
                public java.util.Optional<String> command() {
                    return java.util.Optional.empty();
                }

                @Override
                public java.util.Optional<String> commandLine() {
                    return java.util.Optional.empty();
                }

                @Override
                public java.util.Optional<String[]> arguments() {
                    return java.util.Optional.empty();
                }

                @Override
                public java.util.Optional<java.time.Instant> startInstant() {
                    return java.util.Optional.empty();
                }

                @Override
                public java.util.Optional<java.time.Duration> totalCpuDuration() {
                    return java.util.Optional.empty();
                }

                @Override
                public java.util.Optional<String> user() {
                    return java.util.Optional.empty();
                }
            };
        }

        @Override
        public CompletableFuture<ProcessHandle> onExit() {
            return ScriptedChild.this.onExit().thenApply(exited -> this);
        }

        @Override
        public boolean supportsNormalTermination() {
            return true;
        }

        @Override
        public boolean destroy() {
            ScriptedChild.this.destroy();
            return true;
        }

        @Override
        public boolean destroyForcibly() {
            ScriptedChild.this.destroyForcibly();
            return true;
        }

        @Override
        public boolean isAlive() {
            return ScriptedChild.this.isAlive();
        }

        @Override
        public int compareTo(ProcessHandle other) {
            return Long.compare(pid, other.pid());
        }

        @Override
        public String toString() {
            return String.valueOf(pid);
        }
    }

    /**
     * The future {@code onExit()} hands out (a copy each time, so that completing one does not end
     * the child), and every stage made from it: waiting on it, or looking, counts as a wait.
     */
    private static final class Exit<T> extends CompletableFuture<T> {
        private final ScriptedChild child;

        Exit(ScriptedChild child) {
            this.child = child;
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new Exit<>(child);
        }

        private void untimed(String how) {
            child.lock.lock();
            try {
                if (Thread.currentThread() == child.caller) {
                    child.answersIfWaitedWithNoLimit(); // another thread's wait makes it answer no sooner
                }
            } finally {
                child.lock.unlock();
            }
            child.settle();
            child.lock.lock();
            try {
                if (child.state == Life.RUNNING) {
                    child.blocksForever(how);
                }
            } finally {
                child.lock.unlock();
            }
        }

        @Override
        public T get() throws InterruptedException, ExecutionException {
            untimed("get() on onExit()");
            return super.get();
        }

        @Override
        public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            child.lock.lock();
            try {
                child.noteTimedWait("onExit().get", timeout, unit);
                long nanos = unit.toNanos(timeout);
                if (child.answersInTime() && !child.waitedInTime(nanos)) {
                    child.ranOut(nanos);
                    throw new TimeoutException(); // as if it had waited that long
                }
                if (nanos > 0 && (child.waitsOutItsGrace() || child.runsOutItsTimeout())) {
                    if (Thread.interrupted()) {
                        if (!child.signals.isEmpty()) {
                            child.cleanUpWaitInterrupted = true;
                        }
                        throw new InterruptedException();
                    }
                    child.ranOut(nanos);
                    throw new TimeoutException(); // as if it had waited that long: it would not have ended within it
                }
            } finally {
                child.lock.unlock();
            }
            child.settle();
            try {
                return super.get(timeout, unit);
            } catch (InterruptedException interrupt) {
                child.interruptedWait();
                throw interrupt;
            }
        }

        @Override
        public T join() {
            untimed("join() on onExit()");
            return super.join();
        }

        @Override
        public T getNow(T valueIfAbsent) {
            child.settle();
            return super.getNow(valueIfAbsent);
        }

        @Override
        public boolean isDone() {
            child.settle();
            return super.isDone();
        }
    }
}
