package dev.threadlab.basics.exercise;

import dev.threadlab.common.testsupport.TimedWaitRouting;
import java.util.List;
import java.util.Set;
import net.jcip.annotations.ThreadSafe;

/**
 * What "held" means for 01.1's and 01.2's timed waits: everything the solution starts is held
 * until it is waited for (the grader lets a task end only once the solution waits for it), so
 * every timed wait on a thread, future, pool or latch still running counts as a try of
 * {@link TimedWaitRouting}: the first {@code TimedWaitRouting.TRIES - 1} (63) on it run out at
 * once, however long their timeout, and the {@code TRIES}th (64th), and every later one, has no
 * time limit. Also tells which JDK frames of a pool wait without a time limit.
 */
@ThreadSafe
final class TimedWaits {

    private TimedWaits() {}

    /** 01's hold: whatever the solution waits on that still runs. */
    private static final TimedWaitRouting.Hold EVERYTHING_STILL_RUNNING = target -> true;

    /**
     * @return a new instance of {@code solution}'s class loaded again with its timed waits routed
     *     ({@link TimedWaitRouting}), or {@code solution} itself if it cannot be loaded again
     */
    static <T> T routed(T solution, Class<T> type) {
        return TimedWaitRouting.reloaded(solution, type, EVERYTHING_STILL_RUNNING);
    }

    /** @return true if {@code thread} is in a timed wait that the grading counts as one without a time limit */
    static boolean committed(Thread thread) {
        return TimedWaitRouting.committed(thread);
    }

    /** @return true if {@code thread} gave up on something: a timed wait ran out, and it did not wait on it to the end */
    static boolean gaveUp(Thread thread) {
        return TimedWaitRouting.gaveUp(thread);
    }

    /** @return what {@code thread} gave up on (a timed wait on it ran out, and it did not wait on it to the end) */
    static List<Object> gaveUpOn(Thread thread) {
        return TimedWaitRouting.gaveUpOn(thread);
    }

    /** The JDK classes whose {@code close()} waits, with no time limit, until the pool has terminated. */
    private static final Set<String> POOLS_THAT_CLOSE = Set.of(
            "java.util.concurrent.ExecutorService",
            "java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.ThreadPerTaskExecutor",
            "java.util.concurrent.ForkJoinPool");

    /** The JDK frames that run a pool's task. */
    private static final Set<String> POOL_TASK_RUNNERS = Set.of(
            "java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.ThreadPerTaskExecutor$TaskRunner",
            "java.util.concurrent.ThreadPerTaskExecutor$ThreadBoundFuture",
            "java.util.concurrent.ForkJoinPool");

    /**
     * @return true if {@code t} is inside a pool's {@code close()}: the JDK's timed waits there are a
     *         loop until the pool has terminated, a wait for every task of the pool with no time limit
     */
    static boolean inAPoolsClose(Thread t) {
        return anyFrame(t, POOLS_THAT_CLOSE, "close");
    }

    /** @return true if {@code t} runs a task of a pool (a JDK executor's worker thread) */
    static boolean runsAPoolsTask(Thread t) {
        return anyFrame(t, POOL_TASK_RUNNERS, null);
    }

    private static boolean anyFrame(Thread t, Set<String> classes, String method) {
        for (StackTraceElement f : t.getStackTrace()) {
            if (classes.contains(f.getClassName())
                    && (method == null || f.getMethodName().equals(method))) {
                return true;
            }
        }
        return false;
    }
}
