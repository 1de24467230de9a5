package dev.threadlab.basics.exercise;

import dev.threadlab.common.testsupport.ThreadDumps;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import net.jcip.annotations.ThreadSafe;

/**
 * Where {@link FetchAllSpec}'s rules 1 and 2 let requests wait for each other. A request waits
 * until what it waits for has happened, or until no other request can come: the calling thread
 * is inside a request itself or waits with no time limit, and every platform thread started since
 * the rule began is inside a request, waiting for something that has not happened. Then nothing is left running that could start another
 * request, so a solution that fetches one after the other, or with too few threads, is told at
 * once instead of after {@link #BOUND}. Requests on threads the test cannot count (virtual
 * threads, a fork-join pool's workers, which the pool may add to while one blocks) get the bound.
 */
@ThreadSafe
final class Meeting {

    /**
     * The most a request waits; only a solution the test cannot see through uses it up. Generous,
     * since a correct solution's requests, started together, must meet within it even on an
     * overloaded machine (at 5 s, one did not, at load 24 on 2 cores).
     */
    static final Duration BOUND = Duration.ofSeconds(15);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Thread caller = Thread.currentThread();
    private final Set<Thread> before = Thread.getAllStackTraces().keySet();
    private final Map<Thread, CountDownLatch> inside = new ConcurrentHashMap<>(); // each waiting thread, and for what
    private final long deadline = System.nanoTime() + BOUND.toNanos();

    /** Made on the thread that will call the solution, before it does. */
    Meeting() {}

    /**
     * Waits, inside a request, until {@code event} has happened.
     *
     * @return false if it cannot happen any more (no other request can come) or {@link #BOUND} passed
     *         and it has not happened
     */
    boolean await(CountDownLatch event) throws InterruptedException {
        Thread me = Thread.currentThread();
        inside.put(me, event);
        try {
            while (!event.await(10, TimeUnit.MILLISECONDS)) { // a bounded poll, ended by the event
                if (System.nanoTime() > deadline || noOtherRequestCanCome()) {
                    // Look at the event again: the request that was to make it may have made it and
                    // ended after the poll above timed out and before the look (a thread that has
                    // ended can make no request). Seen under load: a solution was told its requests
                    // "waited in vain" by ./threadlab check and not by ./mvnw verify.
                    return event.getCount() == 0;
                }
            }
            return true;
        } finally {
            inside.remove(me);
        }
    }

    private boolean noOtherRequestCanCome() {
        boolean callerInside = inside.containsKey(caller);
        ThreadInfo first = THREADS.getThreadInfo(caller.threadId());
        if (!callerInside && !waitsWithoutLimit(first)) {
            return false;
        }
        Map<Thread, CountDownLatch> in = Map.copyOf(inside);
        if (in.keySet().stream().anyMatch(t -> t.isVirtual() || t instanceof ForkJoinWorkerThread)) {
            return false;
        }
        if (in.values().stream().anyMatch(event -> event.getCount() == 0)) {
            return false; // a thread whose event has happened is on its way out, and its request ends
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t != caller
                    && t.isAlive()
                    && !before.contains(t)
                    && !ThreadDumps.isInfrastructure(t)
                    && !in.containsKey(t)) {
                return false; // it may still make a request
            }
        }
        ThreadInfo second = THREADS.getThreadInfo(caller.threadId());
        boolean callerStill = callerInside
                ? inside.containsKey(caller)
                : waitsWithoutLimit(second) && second.getWaitedCount() == first.getWaitedCount();
        return callerStill // and nothing moved while we looked:
                && in.equals(Map.copyOf(inside))
                && in.values().stream().allMatch(event -> event.getCount() > 0);
    }

    private static boolean waitsWithoutLimit(ThreadInfo info) {
        return info != null && info.getThreadState() == Thread.State.WAITING;
    }
}
