package dev.threadlab.lifecycle.exercise;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import net.jcip.annotations.ThreadSafe;

/**
 * Tells, from what the JVM reports about a waiting thread, whether it waits in {@code join} for a
 * platform thread <em>until that thread ends</em>, as opposed to for a while. A scripted worker
 * whose cleanup is held asks this before it lets itself end: a supervisor that joins it with a
 * timeout ({@code join(Duration.ofMillis(5))}) gets no help, gives up while the worker is
 * certainly still alive, and is caught returning with it alive, every run.
 *
 * <p>It counts as waiting until the thread ends when the waiter is in {@code join} on it
 * <ul>
 *   <li>with no timeout ({@code WAITING} on the thread's monitor, where {@code Thread.join} waits);</li>
 *   <li>or with a timeout, and enters that wait again while the thread is still alive (a loop
 *       {@code while (t.isAlive()) t.join(...)}: the JVM's count of the waiter's waits grows while
 *       it still waits on the same thread);</li>
 *   <li>or with a timeout, in one wait that has lasted {@link #GRACE} (a generous timeout such as
 *       {@code join(Duration.ofHours(1))}); a few milliseconds' timeout never lasts that long.</li>
 * </ul>
 */
@ThreadSafe
final class JoinWatch {

    /** How long one timed join must last to count as a wait for the thread to end. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private final Thread target;

    @GuardedBy("this")
    private long timedWaitCount = -1;

    @GuardedBy("this")
    private long timedSince;

    /** @param target the thread that is to be waited for */
    JoinWatch(Thread target) {
        this.target = target;
    }

    /** @return true if {@code waiter} is waiting for the target to end, as described above */
    synchronized boolean waitsUntilItEnds(Thread waiter) {
        if (waiter == null) {
            return false;
        }
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(waiter.threadId());
        if (info == null || !isMonitorOf(info.getLockInfo(), target)) {
            return false;
        }
        if (info.getThreadState() == Thread.State.WAITING) {
            return true;
        }
        if (info.getThreadState() != Thread.State.TIMED_WAITING) {
            return false;
        }
        long now = System.nanoTime();
        if (timedWaitCount < 0) {
            timedWaitCount = info.getWaitedCount();
            timedSince = now;
            return false;
        }
        return info.getWaitedCount() != timedWaitCount || now - timedSince >= GRACE.toNanos();
    }

    /**
     * @return true if {@code waiter} is waiting for {@code target} to end, for a while or for good:
     *         blocked or waiting on {@code target}'s monitor, where {@code Thread.join} waits for a
     *         platform thread
     */
    static boolean isJoining(Thread waiter, Thread target) {
        if (waiter == null || target == null) {
            return false;
        }
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(waiter.threadId());
        return info != null && isMonitorOf(info.getLockInfo(), target);
    }

    /** @return true if {@code lock} is {@code thread}'s monitor, where {@code Thread.join} waits */
    static boolean isMonitorOf(LockInfo lock, Thread thread) {
        return lock != null
                && thread != null
                && lock.getClassName().equals(thread.getClass().getName())
                && lock.getIdentityHashCode() == System.identityHashCode(thread);
    }
}
