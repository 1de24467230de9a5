package dev.threadlab.multiprocessing.exercise;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.multiprocessing.pool.Launcher;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jcip.annotations.ThreadSafe;

/**
 * A launcher of real worker JVMs ({@link Launcher#oneTask}, stderr discarded) that remembers the
 * processes it started, and tells which of them are still alive a while after the run ended
 * (asked of the operating system, through their {@code ProcessHandle}s). Whether a run waits for
 * its child before it ends is judged on scripted children, where it is decided by construction; a
 * real JVM that was sent a signal may or may not have exited a millisecond later, so here only a
 * child nobody ended counts.
 *
 * <p>Thread-safety: thread-safe. Close it: every JVM it started has exited when that returns.
 */
@ThreadSafe
final class RealLauncher implements RunCall.Watched, AutoCloseable {

    private final Launcher launcher;

    @GuardedBy("this")
    private final List<Process> processes = new ArrayList<>();

    RealLauncher(String task, Object argument) {
        this.launcher = Launcher.oneTask(task, argument, ProcessBuilder.Redirect.DISCARD);
    }

    @Override
    public synchronized Process start() throws IOException {
        Process process = launcher.start();
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
        List<Process> started;
        synchronized (this) {
            started = List.copyOf(processes);
        }
        for (Process process : started) {
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
     * Waits, at most {@code patience} in all, for every JVM the run started to exit.
     *
     * @return the pids of those still alive then
     */
    List<Long> stillAliveAfter(Duration patience) throws InterruptedException {
        List<Process> started;
        synchronized (this) {
            started = List.copyOf(processes);
        }
        long deadline = System.nanoTime() + patience.toNanos();
        List<Long> alive = new ArrayList<>();
        for (Process process : started) {
            Optional<ProcessHandle> handle = ProcessHandle.of(process.pid());
            if (handle.isEmpty()) {
                continue; // gone, and reaped
            }
            try {
                handle.get().onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException stillRunning) {
                alive.add(process.pid());
            } catch (ExecutionException e) {
                throw new IllegalStateException("a ProcessHandle's onExit does not fail", e);
            }
        }
        return alive;
    }

    @Override
    public void close() {
        stop();
    }
}
