package dev.threadlab.lifecycle.exercise;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import net.jcip.annotations.ThreadSafe;

/**
 * Tells, from what the JVM reports about a waiting thread, whether it waits in {@code join} for a
 * platform thread <em>until that thread ends</em>, as opposed to for a while. A scripted worker
 * whose cleanup is held asks this before it lets itself end: a caller that joins it with a timeout,
 * however long ({@code join(Duration.ofMillis(5))} or {@code join(Duration.ofSeconds(60))}), gets no
 * help: its timed join runs out at once ({@link TimedJoins}), and it returns while the worker is
 * certainly still alive, every run.
 *
 * <p>It counts as waiting until the thread ends when the waiter
 * <ul>
 *   <li>is in {@code join} on it with no timeout ({@code WAITING} on the thread's monitor, where
 *       {@code Thread.join} waits);</li>
 *   <li>or joins it with a timeout again after a timed join on it ran out (a loop
 *       {@code while (t.isAlive()) t.join(...)}) for the {@code TimedWaitRouting.TRIES}th time (a
 *       loop that gives up after fewer than {@code TRIES} tries is a give-up): seen by
 *       {@link TimedJoins} ({@link #letGo()}),
 *       or, for a join the grading could not route there, by the JVM's count of the waiter's waits
 *       growing while it still waits on the same thread.</li>
 * </ul>
 * One timed join is never enough, whatever its timeout: no timeout is sure to outlast a cleanup.
 */
@ThreadSafe
final class JoinWatch {

    private final Thread target;

    @GuardedBy("this")
    private long timedWaitCount = -1;

    /** Set once a caller joined the target with a timeout {@code TimedWaitRouting.TRIES} times: it waits to the end. */
    @GuardedBy("this")
    private boolean joinedAgain;

    /** @param target the thread that is to be waited for */
    JoinWatch(Thread target) {
        this.target = target;
    }

    /**
     * A caller joined the held target with a timeout for the {@code TimedWaitRouting.TRIES}th time
     * ({@link TimedJoins}): a join loop that waits until the end, which lets the target go. Its
     * first {@code TRIES - 1} timed joins ran out at once; a loop that gives up after fewer than
     * {@code TRIES} tries (say {@code while (t.isAlive() && tries++ < 3) t.join(100)}) is a give-up,
     * every run: a count, not a time, so it does not depend on how fast the loop turns.
     */
    synchronized void letGo() {
        joinedAgain = true;
    }

    /** @return true if {@code waiter} is waiting for the target to end, as described above */
    synchronized boolean waitsUntilItEnds(Thread waiter) {
        if (joinedAgain) {
            return true;
        }
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
        if (timedWaitCount < 0) {
            timedWaitCount = info.getWaitedCount();
            return false;
        }
        return info.getWaitedCount() != timedWaitCount;
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
