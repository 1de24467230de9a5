package dev.threadlab.gil.engine;

import dev.threadlab.common.timeline.Timeline;
import dev.threadlab.common.timeline.Timeline.State;
import java.util.concurrent.locks.ReentrantLock;
import net.jcip.annotations.ThreadSafe;

/**
 * The naive GIL: one lock, taken for each chunk of bytecode and released after it, so that "other
 * threads get a turn between chunks". Written three ways, each with the trap it carries (Java's
 * locks are the reason, not a bug in them):
 *
 * <ul>
 *   <li>{@link #fair()}, a fair {@code ReentrantLock}: the lock goes to the longest waiter, so with
 *       two busy threads it changes hands after <em>every</em> chunk, and every hand-off parks one
 *       thread and unparks the other (tens of microseconds). The threads take turns and both finish
 *       late: <b>it thrashes</b>.</li>
 *   <li>{@link #unfair()}, the default {@code ReentrantLock}: the thread that just released the lock
 *       is still running and takes it again before the woken waiter gets a CPU (barging). The
 *       waiter may wait the whole run: <b>it starves</b>.</li>
 *   <li>{@link #monitor()}, a {@code synchronized} block: HotSpot's monitors are unfair too, with the
 *       same trap.</li>
 * </ul>
 *
 * <p>CPython's answer to both ({@link SwitchIntervalGil}) is to keep the GIL for a switch interval,
 * and then hand it over for sure. (CPython before 3.2 did the unfair variant every 100 "ticks",
 * which is what David Beazley measured in "Understanding the Python GIL", 2010.)
 *
 * <p>Thread-safety: thread-safe.
 */
@ThreadSafe
public final class LockPerChunkGil implements Gil {

    private final String name;
    private final ReentrantLock lock; // null: use the monitor
    private final Timeline timeline;

    // Guarded by the chunk lock: `lock`, or this object's monitor when it is null. Not @GuardedBy:
    // a guard that is one of two locks is more than Error Prone's check can express.
    private Thread lastHolder;

    private boolean lastHolderDetached;

    private volatile long handOffs; // written only while holding the chunk lock

    private LockPerChunkGil(String name, ReentrantLock lock, Timeline timeline) {
        this.name = name;
        this.lock = lock;
        this.timeline = timeline;
    }

    /** @return a GIL that is a fair {@code ReentrantLock} per chunk (thrashes) */
    public static LockPerChunkGil fair() {
        return fair(null);
    }

    /** @param timeline where to record hand-offs, or {@code null} */
    public static LockPerChunkGil fair(Timeline timeline) {
        return new LockPerChunkGil("fair ReentrantLock per chunk", new ReentrantLock(true), timeline);
    }

    /** @return a GIL that is an unfair (default) {@code ReentrantLock} per chunk (starves) */
    public static LockPerChunkGil unfair() {
        return unfair(null);
    }

    /** @param timeline where to record hand-offs, or {@code null} */
    public static LockPerChunkGil unfair(Timeline timeline) {
        return new LockPerChunkGil("unfair ReentrantLock per chunk", new ReentrantLock(false), timeline);
    }

    /** @return a GIL that is a {@code synchronized} block per chunk (starves) */
    public static LockPerChunkGil monitor() {
        return monitor(null);
    }

    /** @param timeline where to record hand-offs, or {@code null} */
    public static LockPerChunkGil monitor(Timeline timeline) {
        return new LockPerChunkGil("synchronized per chunk", null, timeline);
    }

    @Override
    public void attach() {
        // taken per chunk
    }

    @Override
    public void runBytecode(Runnable chunk) throws InterruptedException {
        if (lock == null) {
            synchronized (this) {
                holding(chunk);
            }
            return;
        }
        lock.lockInterruptibly();
        try {
            holding(chunk);
        } finally {
            lock.unlock();
        }
    }

    private void holding(Runnable chunk) {
        Thread me = Thread.currentThread();
        if (lastHolder != me) {
            if (lastHolder != null) {
                handOffs++;
                if (timeline != null && !lastHolderDetached) {
                    timeline.record(lastHolder.getName(), State.READY, "lost the lock to " + me.getName());
                }
            }
            if (timeline != null) {
                timeline.record(State.RUNNING, "holds the lock");
            }
            lastHolder = me;
            lastHolderDetached = false;
        }
        chunk.run();
    }

    @Override
    public void withoutGil(Blocking io) throws InterruptedException {
        io.run(); // nothing is held between chunks
    }

    @Override
    public void detach() {
        if (lock == null) {
            synchronized (this) {
                detached();
            }
            return;
        }
        lock.lock();
        try {
            detached();
        } finally {
            lock.unlock();
        }
    }

    private void detached() {
        if (lastHolder == Thread.currentThread()) {
            lastHolderDetached = true; // the next holder must not draw this thread as "ready" again
        }
        if (timeline != null) {
            timeline.record(State.ENDED, "detached");
        }
    }

    @Override
    public long handOffs() {
        return handOffs;
    }

    @Override
    public String toString() {
        return name;
    }
}
