package dev.threadlab.multiprocessing.exercise;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.List;
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

    private final ScriptedChild.Kind kind;
    private volatile Thread caller;

    @GuardedBy("this")
    private final List<ScriptedChild> children = new ArrayList<>();

    /** Why the first child was still running when the run ended; null if it had exited (or none was started). */
    @GuardedBy("this")
    private String stillRunningAtRunEnd;

    ScriptedLauncher(ScriptedChild.Kind kind) {
        this.kind = kind;
    }

    @Override
    public synchronized Process start() {
        ScriptedChild child = new ScriptedChild(kind);
        child.callerIs(caller);
        children.add(child);
        return child;
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
