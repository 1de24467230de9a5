package dev.threadlab.gil.exercise;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import net.jcip.annotations.ThreadSafe;

/**
 * Threads of the solution held where the test wants them (inside a task, or looking into the task
 * list), each until the test lets that one go ({@link #release}). A rule holds a thread until it has
 * seen {@code runAll} wait for it, so a {@code runAll} that returns without waiting for a thread
 * returns while that thread is still held: what that thread would do next is certainly not done.
 * After {@link #releaseAll()} nothing is held any more.
 */
@ThreadSafe
final class Holds {

    /** One thread held: where, and the gate it waits on. */
    private record Hold(String where, CountDownLatch gate) {}

    private final Map<Thread, Hold> held = new ConcurrentHashMap<>();
    private volatile boolean over;

    /**
     * Holds the calling thread until the test releases it (or the rule is over).
     *
     * @param where what it is doing, for messages: "running task 2", "looking for another task"
     */
    void hold(String where) {
        if (over) {
            return;
        }
        Thread me = Thread.currentThread();
        Hold hold = new Hold(where, new CountDownLatch(1));
        held.put(me, hold);
        try {
            if (!over) { // releaseAll() may have run between the first look and put()
                hold.gate.await();
            }
        } catch (InterruptedException e) {
            me.interrupt(); // the rule is over: go on, keep the flag
        } finally {
            held.remove(me, hold);
        }
    }

    /** @return each thread held now that the test has not released yet, with where it is held */
    Map<Thread, String> unreleased() {
        Map<Thread, String> now = new LinkedHashMap<>();
        held.forEach((thread, hold) -> {
            if (hold.gate.getCount() > 0) {
                now.put(thread, hold.where);
            }
        });
        return now;
    }

    /**
     * @return whether a thread let go has not left its hold yet: it still looks waiting, but it
     *         certainly goes on
     */
    boolean letGoButNotGoneYet() {
        return held.values().stream().anyMatch(h -> h.gate.getCount() == 0);
    }

    /** Lets {@code thread} go on, if it is held. */
    void release(Thread thread) {
        Hold hold = held.get(thread);
        if (hold != null) {
            hold.gate.countDown();
        }
    }

    /** Lets every held thread go on, and holds none from now on. */
    void releaseAll() {
        over = true;
        held.values().forEach(h -> h.gate.countDown());
    }
}
