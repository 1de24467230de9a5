package dev.threadlab.multiprocessing.exercise;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.multiprocessing.pool.Launcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jcip.annotations.ThreadSafe;

/**
 * A launcher of real worker JVMs ({@link Launcher#oneTask}, stderr discarded) that remembers the
 * processes it started ({@link ExitBeforeEndOfOutput}: the end of a child's output is seen once it
 * has exited), and tells which of them the run left running without ever asking them to end.
 * Whether a run waits for its child before it ends is judged on scripted children, where it is
 * decided by construction; a real JVM that was sent a signal may or may not have exited a
 * millisecond later, so here only a child nobody ended counts, and that is decided by what the run
 * called, not by how soon the JVM exits.
 *
 * <p>Thread-safety: thread-safe. Close it: every JVM it started has exited when that returns.
 */
@ThreadSafe
final class RealLauncher implements RunCall.Watched, AutoCloseable {

    private final Launcher launcher;

    @GuardedBy("this")
    private final List<ExitBeforeEndOfOutput> processes = new ArrayList<>();

    RealLauncher(String task, Object argument) {
        this.launcher = Launcher.oneTask(task, argument, ProcessBuilder.Redirect.DISCARD);
    }

    @Override
    public synchronized Process start() throws IOException {
        ExitBeforeEndOfOutput process = new ExitBeforeEndOfOutput(launcher.start());
        processes.add(process);
        return process;
    }

    @Override
    public void callerIs(Thread runThread) {
        // a real child needs no script
    }

    @Override
    public void runEnded() {
        // judged afterwards: stillAliveAfter
    }

    @Override
    public synchronized boolean started() {
        return !processes.isEmpty();
    }

    @Override
    public String violation() {
        return null;
    }

    @Override
    public void stop() {
        List<ExitBeforeEndOfOutput> started;
        synchronized (this) {
            started = List.copyOf(processes);
        }
        for (ExitBeforeEndOfOutput child : started) {
            Process process = child.process(); // the grading's own clean-up: not the run asking it to end
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** @return how many JVMs the run started */
    synchronized int starts() {
        return processes.size();
    }

    /** @return the pid of the (first) JVM the run started */
    synchronized long pid() {
        return processes.get(0).pid();
    }

    /**
     * For a JVM that ends by itself ({@code square}, {@code halt}): waits until every JVM the run
     * started has exited, however long that takes under load (the test's own timeout bounds it).
     */
    void awaitExits() throws InterruptedException {
        List<ExitBeforeEndOfOutput> started;
        synchronized (this) {
            started = List.copyOf(processes);
        }
        for (ExitBeforeEndOfOutput process : started) {
            process.process().waitFor();
        }
    }

    /**
     * For a JVM that never ends by itself ({@code rendezvous}), once the run has ended: the pids of
     * those the run never asked to end ({@code destroy()} or {@code destroyForcibly()}) and that are
     * still running (they would run for ever); then waits until the others have exited (a real JVM
     * asked to end exits, however long that takes under load).
     */
    List<Long> neverAskedToEnd() throws InterruptedException {
        List<ExitBeforeEndOfOutput> started;
        synchronized (this) {
            started = List.copyOf(processes);
        }
        List<Long> left = new ArrayList<>();
        for (ExitBeforeEndOfOutput process : started) {
            if (!process.askedToEnd() && process.process().isAlive()) {
                left.add(process.pid());
            } else {
                process.process().waitFor();
            }
        }
        return left;
    }

    @Override
    public void close() {
        stop();
    }
}
