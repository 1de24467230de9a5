package dev.threadlab.locks.harness;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import net.jcip.annotations.ThreadSafe;

/**
 * A forced interleaving for threads that each take two locks: after its first lock, each
 * participant waits (once) until every other participant also holds one of the locks, waits for
 * one, is blocked on anything else, or has finished. So "each holds one and wants the other's"
 * happens on every run when the lock orders are opposite, and a deadlock shows up every time
 * instead of by luck; with one global order the second thread queues for the first lock instead,
 * and the meeting lets both go on.
 *
 * <p>A waiting participant spins ({@link Thread#onSpinWait()}), so it stays RUNNABLE and never
 * looks blocked to the others. If the others have not arrived within the limit it goes on anyway
 * (only a thread that never starts could cause that).
 *
 * <p>Thread-safety: safe; participants call it from their own threads.
 */
@ThreadSafe
public final class LockMeeting {

    /** A {@link ReentrantLock} with a name, that can say which thread holds it. */
    public static class NamedLock extends ReentrantLock {
        private static final long serialVersionUID = 1L;

        private final String name;

        /** @param name shown by {@link #toString()}, e.g. {@code "account A"} */
        public NamedLock(String name) {
            this.name = name;
        }

        /** @return the thread holding this lock, or null */
        public Thread owner() {
            return getOwner();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final Duration limit;
    private final List<NamedLock> locks;
    private final Set<Thread> participants = ConcurrentHashMap.newKeySet();
    private final Set<Thread> started = ConcurrentHashMap.newKeySet();
    private final Set<Thread> met = ConcurrentHashMap.newKeySet();
    private final Set<Thread> finished = ConcurrentHashMap.newKeySet();

    /**
     * @param limit how long a participant waits for the others at most
     * @param locks the locks the participants take
     */
    public LockMeeting(Duration limit, List<? extends NamedLock> locks) {
        this.limit = limit;
        this.locks = List.copyOf(locks);
    }

    /** Registers the threads that meet; call it before starting them. */
    public void expect(Thread... threads) {
        participants.addAll(List.of(threads));
    }

    /** The calling participant is running its part now (from here on, "blocked" means blocked). */
    public void started() {
        started.add(Thread.currentThread());
    }

    /** The calling participant is done, whichever way; the others stop waiting for it. */
    public void finished() {
        finished.add(Thread.currentThread());
    }

    /** Called right after taking a lock: the first time, waits for the other participants. */
    public void lockTaken() {
        Thread me = Thread.currentThread();
        if (!participants.contains(me) || !met.add(me)) {
            return;
        }
        long giveUp = System.nanoTime() + limit.toNanos();
        for (Thread other : participants) {
            while (other != me && !arrived(other) && System.nanoTime() < giveUp) {
                Thread.onSpinWait();
            }
        }
    }

    private boolean arrived(Thread other) {
        if (finished.contains(other)) {
            return true;
        }
        for (NamedLock lock : locks) {
            if (lock.owner() == other || lock.hasQueuedThread(other)) {
                return true;
            }
        }
        Thread.State state = other.getState();
        return started.contains(other) && state != Thread.State.RUNNABLE && state != Thread.State.NEW;
    }
}
