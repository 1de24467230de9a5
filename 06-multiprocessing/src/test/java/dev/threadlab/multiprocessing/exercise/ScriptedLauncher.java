package dev.threadlab.multiprocessing.exercise;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.common.testsupport.ThreadDumps;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jcip.annotations.ThreadSafe;

/**
 * A launcher for grading {@link RunAWorker} whose children are {@link ScriptedChild}ren of one
 * kind; it remembers each child it started, and what each child looked like when the run ended.
 *
 * <p>Thread-safety: thread-safe. Close it: every child then ends, so that no thread of the run
 * stays blocked on one.
 */
@ThreadSafe
final class ScriptedLauncher implements RunCall.Watched, AutoCloseable {

    /**
     * How long the run's thread must be seen waiting, not for the child, after the child's exit,
     * before its readers see the end of the output: a run that waits for its reader waits until
     * then, however long; a run that never waits for it is never seen waiting so.
     */
    static final Duration WAITING_ELSEWHERE = Duration.ofMillis(10);

    /**
     * How long a thread the run started, not reading the child's output, may take to end once the
     * run has ended (a pool's worker ends a moment after {@code close()} returns): a thread that is
     * ending needs microseconds.
     */
    static final Duration ENDING = Duration.ofSeconds(1);

    private final ScriptedChild.Kind kind;
    private volatile Thread caller;
    private volatile boolean timedWaitsRunOut;

    @GuardedBy("this")
    private final List<ScriptedChild> children = new ArrayList<>();

    /** Why the first child was still running when the run ended; null if it had exited (or none was started). */
    @GuardedBy("this")
    private String stillRunningAtRunEnd;

    /** Since when (System.nanoTime()) the run's thread has been seen waiting, not for a child; -1: it was not. */
    private volatile long waitingElsewhereSince = -1;

    ScriptedLauncher(ScriptedChild.Kind kind) {
        this.kind = kind;
    }

    @Override
    public synchronized Process start() {
        ScriptedChild child = new ScriptedChild(kind);
        child.callerIs(caller);
        child.timedWaitsRunOut(timedWaitsRunOut);
        children.add(child);
        return child;
    }

    /**
     * Whether the run's timed waits on its children run out at once while they will not end within
     * them (see {@code ScriptedChild#timedWaitsRunOut}): in every run the test does not interrupt.
     */
    void timedWaitsRunOut(boolean runOut) {
        this.timedWaitsRunOut = runOut;
    }

    @Override
    public void callerIs(Thread runThread) {
        caller = runThread;
    }

    @Override
    public synchronized void runEnded() {
        stillRunningAtRunEnd = children.isEmpty() ? null : children.get(0).stillRunning();
    }

    @Override
    public synchronized boolean started() {
        return !children.isEmpty();
    }

    @Override
    public synchronized String violation() {
        return children.stream()
                .map(ScriptedChild::violation)
                .filter(v -> v != null)
                .findFirst()
                .orElse(null);
    }

    /**
     * The run's thread waits (WAITING or TIMED_WAITING) and no frame of its stack is in a scripted
     * child: it waits for something else. Seen so for {@link #WAITING_ELSEWHERE}, every child that
     * has exited lets its readers see the end of its output.
     */
    @Override
    public void sample(ThreadInfo caller) {
        boolean waiting = caller != null
                && (caller.getThreadState() == Thread.State.WAITING
                        || caller.getThreadState() == Thread.State.TIMED_WAITING);
        boolean elsewhere = waiting
                && java.util.Arrays.stream(caller.getStackTrace())
                        .noneMatch(frame -> frame.getClassName().startsWith(ScriptedChild.class.getName()));
        long now = System.nanoTime();
        if (!elsewhere) {
            waitingElsewhereSince = -1;
            return;
        }
        if (waitingElsewhereSince < 0) {
            waitingElsewhereSince = now;
        } else if (now - waitingElsewhereSince >= WAITING_ELSEWHERE.toNanos()) {
            children().forEach(ScriptedChild::runWaitsElsewhereAfterTheExit);
        }
    }

    /**
     * The threads the run left at work: those still inside a read of a child's output (held there:
     * the run neither joined them nor waited for them), and those started during the run that have
     * not ended within {@link #ENDING}. Then lets every reader see the end of the output.
     */
    @Override
    public String leftAtWork(List<Thread> started) throws InterruptedException {
        List<ScriptedChild> children = children();
        try {
            Map<Thread, String> left = new LinkedHashMap<>();
            readingNow(children).forEach((thread, output) -> left.put(thread, reading(thread, output)));
            long deadline = System.nanoTime() + ENDING.toNanos();
            for (Thread thread : started) {
                if (left.containsKey(thread) || ThreadDumps.isInfrastructure(thread)) {
                    continue;
                }
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (thread.isAlive()) {
                    String output = readingNow(children).get(thread);
                    left.put(
                            thread,
                            output != null
                                    ? reading(thread, output)
                                    : "thread " + ThreadDumps.describe(thread).strip());
                }
            }
            return left.isEmpty() ? null : String.join(" and ", left.values());
        } finally {
            children.forEach(ScriptedChild::letReadersGo);
        }
    }

    private static Map<Thread, String> readingNow(List<ScriptedChild> children) {
        Map<Thread, String> reading = new LinkedHashMap<>();
        children.forEach(child -> reading.putAll(child.readersAtWork()));
        return reading;
    }

    private static String reading(Thread thread, String output) {
        return "thread \"" + thread.getName() + "\", still reading the child's " + output;
    }

    private synchronized List<ScriptedChild> children() {
        return List.copyOf(children);
    }

    @Override
    public synchronized void stop() {
        children.forEach(ScriptedChild::kill);
    }

    /** @return how many children the run started */
    synchronized int starts() {
        return children.size();
    }

    /** @return the (first) child the run started */
    synchronized ScriptedChild child() {
        return children.get(0);
    }

    /** @return why the child was still running when run ended, with the fix; null if it had exited */
    synchronized String stillRunningAtRunEnd() {
        return stillRunningAtRunEnd;
    }

    @Override
    public void close() {
        stop();
    }
}
