package dev.threadlab.common.testsupport;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Thread dumps a learner can read: which threads are stuck, on which lock, owned by whom, and the
 * deadlock cycle if there is one. Built on {@link ThreadMXBean#dumpAllThreads(boolean, boolean)}
 * and {@link ThreadMXBean#findDeadlockedThreads()} (JDK {@code java.lang.management}).
 *
 * <pre>
 * Deadlock: a cycle of 2 threads, each waiting for a lock the next one holds:
 *   "transfer-A-to-B" waits for java.util.concurrent.locks.ReentrantLock$NonfairSync@1b6d3586 (account B) held by "transfer-B-to-A"
 *   "transfer-B-to-A" waits for java.util.concurrent.locks.ReentrantLock$NonfairSync@4554617c (account A) held by "transfer-A-to-B"
 * Blocked and waiting threads:
 *   "transfer-A-to-B" WAITING on ...ReentrantLock$NonfairSync@1b6d3586 (account B) owned by "transfer-B-to-A"
 *       at ...Bank.transfer(Bank.java:41)
 *       holds ...ReentrantLock$NonfairSync@4554617c (account A)
 * </pre>
 *
 * <p>Locks are shown as {@code class@identityHash}; give one a readable name with
 * {@link #name(Object, String)} (for a {@code ReentrantLock}, pass the lock itself: its internal
 * sync object is what the JVM reports, and the name is matched through {@link #name}).
 *
 * <p>Thread-safety: all methods are safe to call from any thread.
 */
public final class ThreadDumps {

    /**
     * Threads of the JVM, the build and the test libraries that belong to nobody's test; left out
     * of dumps and leak checks. Extend it per run with the system property
     * {@code threadlab.ignoredThreads} (a regular expression).
     */
    static final Pattern INFRASTRUCTURE = Pattern.compile(String.join(
            "|",
            "main",
            "Reference Handler",
            "Finalizer",
            "Signal Dispatcher",
            "Attach Listener",
            "Common-Cleaner",
            "Notification Thread",
            "process reaper.*",
            "surefire-forkedjvm-.*",
            "junit-.*",
            "ForkJoinPool\\.commonPool-worker-.*",
            "awaitility-thread",
            "awaitility\\[.*",
            "Monitor Ctrl-Break",
            "JFR .*",
            "C[12] CompilerThread.*",
            "Sweeper thread",
            "Service Thread",
            "Java2D Disposer",
            "ping-.*",
            "Thread-\\d+-surefire.*",
            "FixedActiveThreadsExecutor.*",
            "Lincheck.*",
            "lincheck.*",
            "Timer-Lincheck.*",
            "ReaderThread",
            "Keep-Alive-Timer",
            "Cleaner-.*",
            "Read-Poller",
            "Write-Poller",
            "VirtualThread-.*",
            "InnocuousThread-.*",
            System.getProperty("threadlab.ignoredThreads", "\\Q<none>\\E")));

    /** JUnit runs a test with a timeout in a thread of this name (SEPARATE_THREAD mode). */
    static final String TEST_THREAD_PREFIX = "junit-timeout-thread";

    private static final Map<String, String> LOCK_NAMES = new ConcurrentHashMap<>();

    private ThreadDumps() {}

    /**
     * Names a lock for dumps: {@code name(accountLock, "account A")} shows
     * {@code ...@1b6d3586 (account A)}. For a {@code ReentrantLock} or other
     * {@code AbstractQueuedSynchronizer}-based lock, the name is attached to the lock object's
     * identity and also recognised through its string form, which embeds the owner.
     */
    public static <T> T name(T lock, String name) {
        LOCK_NAMES.put(identity(lock), name);
        return lock;
    }

    /** @return true if {@code threadName} is JVM, build or test-library infrastructure */
    public static boolean isInfrastructure(String threadName) {
        return INFRASTRUCTURE.matcher(threadName).matches();
    }

    /**
     * @return true if {@code thread} belongs to the JVM or the test libraries rather than to a test:
     *         by name, or a carrier of the JVM's virtual-thread scheduler (made on first use of a
     *         virtual thread, and kept)
     */
    public static boolean isInfrastructure(Thread thread) {
        return isInfrastructure(thread.getName()) || isOwnedByTheJdk(thread);
    }

    /**
     * Threads the JDK starts for itself on first use and keeps: the virtual-thread scheduler's
     * carriers and its delay scheduler ({@code ForkJoinPool-1-delayScheduler} on JDK 25), the common
     * pool's workers and delay scheduler, and "innocuous" system threads. They are recognised by
     * what they are (their class or thread group), not by name, so a plain thread named like them is
     * still checked, and a new JDK's helper threads in those groups are not blamed on the learner.
     */
    static boolean isOwnedByTheJdk(Thread thread) {
        String type = thread.getClass().getName();
        ThreadGroup group = thread.getThreadGroup();
        String groupName = group == null ? "" : group.getName();
        return type.equals("jdk.internal.misc.CarrierThread")
                || type.equals("jdk.internal.misc.InnocuousThread")
                || type.startsWith("java.util.concurrent.ForkJoinWorkerThread$Innocuous")
                || (type.equals("java.util.concurrent.DelayScheduler")
                        && (groupName.equals("CarrierThreads")
                                || thread.getName().startsWith("ForkJoinPool.commonPool-")))
                || groupName.equals("system")
                || groupName.equals("CarrierThreads")
                || groupName.equals("InnocuousThreadGroup")
                || groupName.equals("InnocuousForkJoinWorkerThreadGroup");
    }

    /**
     * A report of every blocked or waiting non-infrastructure thread (except the caller), with
     * the lock each waits on, the lock's owner, the top of its stack and the locks it holds; and,
     * first, the deadlock cycle when the JVM finds one.
     */
    public static String blockedThreadsReport() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ThreadInfo[] infos = mx.dumpAllThreads(mx.isObjectMonitorUsageSupported(), mx.isSynchronizerUsageSupported());
        StringBuilder out = new StringBuilder();
        out.append(deadlockReport());
        out.append("Blocked and waiting threads (from ThreadMXBean.dumpAllThreads):\n");
        int shown = 0;
        for (ThreadInfo info : infos) {
            boolean testBody = info.getThreadName().startsWith(TEST_THREAD_PREFIX);
            if (info.getThreadId() == Thread.currentThread().threadId()
                    || (isInfrastructure(info.getThreadName()) && !testBody)) {
                continue;
            }
            Thread.State state = info.getThreadState();
            if (state != Thread.State.BLOCKED && state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
                if (state == Thread.State.RUNNABLE) {
                    out.append("  \"").append(info.getThreadName()).append("\" RUNNABLE (busy, not waiting)\n");
                    appendStack(out, info, 3);
                    shown++;
                }
                continue;
            }
            out.append("  ")
                    .append(describe(info))
                    .append(testBody ? "   <- the test itself" : "")
                    .append('\n');
            appendStack(out, info, 4);
            for (MonitorInfo monitor : info.getLockedMonitors()) {
                out.append("      holds monitor ").append(lockName(monitor)).append('\n');
            }
            for (LockInfo sync : info.getLockedSynchronizers()) {
                if (!isRunnerLock(sync)) {
                    out.append("      holds ").append(lockName(sync)).append('\n');
                }
            }
            shown++;
        }
        if (shown == 0) {
            out.append("  (none besides the test runner)\n");
        }
        return out.toString();
    }

    /**
     * @return the deadlock cycle as lines "X waits for L held by Y", or "" when
     *         {@link ThreadMXBean#findDeadlockedThreads()} finds none
     */
    public static String deadlockReport() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] ids = mx.findDeadlockedThreads();
        if (ids == null || ids.length == 0) {
            return "";
        }
        ThreadInfo[] infos = mx.getThreadInfo(ids, true, true);
        StringBuilder out = new StringBuilder("Deadlock: a cycle of " + ids.length
                + " threads, each waiting for a lock the next one holds (ThreadMXBean.findDeadlockedThreads):\n");
        for (ThreadInfo info : infos) {
            if (info != null) {
                out.append("  \"")
                        .append(info.getThreadName())
                        .append("\" waits for ")
                        .append(lockName(info.getLockInfo()))
                        .append(" held by \"")
                        .append(info.getLockOwnerName())
                        .append("\"\n");
            }
        }
        return out.toString();
    }

    /** @return names of the deadlocked threads, empty when there is no deadlock */
    public static List<String> deadlockedThreadNames() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] ids = mx.findDeadlockedThreads();
        if (ids == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (ThreadInfo info : mx.getThreadInfo(ids)) {
            if (info != null) {
                names.add(info.getThreadName());
            }
        }
        return names;
    }

    /** One line: {@code "name" STATE on <lock> owned by "owner"}. */
    public static String describe(Thread thread) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ThreadInfo info = mx.getThreadInfo(new long[] {thread.threadId()}, true, true)[0];
        if (info == null) {
            return "\"" + thread.getName() + "\" " + thread.getState();
        }
        StringBuilder out = new StringBuilder(describe(info));
        StackTraceElement[] stack = info.getStackTrace();
        Arrays.stream(stack)
                .filter(f -> !isJdkFrame(f))
                .findFirst()
                .or(() -> Arrays.stream(stack).findFirst())
                .ifPresent(f -> out.append(" at ").append(f));
        return out.toString();
    }

    private static String describe(ThreadInfo info) {
        StringBuilder out = new StringBuilder("\"")
                .append(info.getThreadName())
                .append("\" ")
                .append(info.getThreadState());
        if (info.getLockInfo() != null) {
            out.append(" on ").append(lockName(info.getLockInfo()));
            if (info.getLockOwnerName() != null) {
                out.append(" owned by \"").append(info.getLockOwnerName()).append('"');
            }
        }
        return out.toString();
    }

    /**
     * Prints where the thread is in the code that matters: the last library frame it called
     * (e.g. {@code ReentrantLock.lock}) and the first few frames of course or test code below it.
     */
    private static void appendStack(StringBuilder out, ThreadInfo info, int frames) {
        StackTraceElement[] stack = info.getStackTrace();
        int firstOwn = 0;
        while (firstOwn < stack.length && isJdkFrame(stack[firstOwn])) {
            firstOwn++;
        }
        if (firstOwn == stack.length) {
            firstOwn = 0; // only library frames: show the top
        }
        int from = Math.max(0, firstOwn - 1);
        int to = Math.min(stack.length, firstOwn + frames - 1);
        if (from > 0) {
            out.append("      ... ").append(from).append(" library frames\n");
        }
        for (int i = from; i < to; i++) {
            out.append("      at ").append(stack[i]).append('\n');
        }
        if (to < stack.length) {
            out.append("      ...\n");
        }
    }

    private static boolean isJdkFrame(StackTraceElement frame) {
        String c = frame.getClassName();
        return c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.");
    }

    /** JUnit's own executor worker, held by the test's thread: not the test's business. */
    private static boolean isRunnerLock(LockInfo lock) {
        return lock.getClassName().startsWith("java.util.concurrent.ThreadPoolExecutor$Worker");
    }

    private static String lockName(LockInfo lock) {
        if (lock == null) {
            return "?";
        }
        String id = lock.getClassName() + "@" + Integer.toHexString(lock.getIdentityHashCode());
        String name = LOCK_NAMES.get(id);
        if (name == null && lock.getClassName().equals(Thread.class.getName())) {
            name = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> System.identityHashCode(t) == lock.getIdentityHashCode())
                    .map(t -> "in join() of \"" + t.getName() + "\"")
                    .findFirst()
                    .orElse(null);
        }
        return name == null ? id : id + " (" + name + ")";
    }

    private static String identity(Object lock) {
        Object target = lock;
        if (lock instanceof java.util.concurrent.locks.ReentrantLock) {
            target = syncOf(lock);
        }
        return target.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(target));
    }

    /** The AQS object a ReentrantLock waits on, found reflectively (only for naming in dumps). */
    private static Object syncOf(Object lock) {
        try {
            var field = java.util.concurrent.locks.ReentrantLock.class.getDeclaredField("sync");
            field.setAccessible(true);
            return field.get(lock);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return lock;
        }
    }
}
