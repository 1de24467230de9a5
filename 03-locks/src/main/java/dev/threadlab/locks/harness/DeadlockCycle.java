package dev.threadlab.locks.harness;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/** The deadlock cycle the JVM reports between the named locks of a demo, in the demo's words. */
public final class DeadlockCycle {

    private DeadlockCycle() {}

    /**
     * The cycle {@code ThreadMXBean.findDeadlockedThreads()} reports, named: for each deadlocked
     * thread, the lock it holds, the one it waits for (and the JVM's own name for that lock) and
     * the thread holding it. Only cycles of untimed waits count: a tryLock with a timeout will end
     * by itself.
     *
     * @param a one of the two locks the demo's threads take
     * @param b the other
     * @return one line per thread of the cycle; empty if there is none
     */
    public static List<String> find(LockMeeting.NamedLock a, LockMeeting.NamedLock b) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] ids = mx.findDeadlockedThreads();
        if (ids == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (ThreadInfo info : mx.getThreadInfo(ids, true, true)) {
            if (info == null || info.getThreadState() != Thread.State.WAITING) {
                return List.of();
            }
            Thread aOwner = a.owner();
            boolean holdsA = aOwner != null && aOwner.threadId() == info.getThreadId();
            LockMeeting.NamedLock holds = holdsA ? a : b;
            LockMeeting.NamedLock waitsFor = holdsA ? b : a;
            lines.add("\"" + info.getThreadName() + "\" holds " + holds + ", waits for " + waitsFor + " ("
                    + info.getLockName() + ") held by \"" + info.getLockOwnerName() + "\"");
        }
        return List.copyOf(lines);
    }
}
