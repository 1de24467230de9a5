package dev.threadlab.common.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.PreInterruptCallback;
import org.junit.jupiter.api.extension.PreInterruptContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The course's guard around every test, registered for all modules at once through JUnit's
 * extension auto-detection (common's test-jar lists it in
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} and its
 * {@code junit-platform.properties} turns auto-detection on, together with a default timeout for
 * every test, run in a separate thread so that even a thread stuck on a monitor is timed out).
 *
 * <ul>
 *   <li><b>A hang says what hung.</b> When a test times out, its failure carries a thread dump of
 *       the blocked threads, the locks they wait on and those locks' owners, and the deadlock
 *       cycle if the JVM finds one ({@link ThreadDumps}).</li>
 *   <li><b>Nothing is left running.</b> After each test, every thread the test started must have
 *       ended, and every child process it started must have exited. The guard waits up to
 *       {@link #GRACE} for stragglers that are already finishing (it joins them; it never
 *       sleeps), then fails the test naming each one and what it is doing, and cleans up
 *       (interrupts the threads, kills the processes) so the next test starts clean.</li>
 * </ul>
 *
 * <p>Virtual threads are not listed by the JVM's thread enumeration and so are not checked.
 */
public final class ThreadGuard
        implements BeforeEachCallback,
                AfterEachCallback,
                TestExecutionExceptionHandler,
                LifecycleMethodExecutionExceptionHandler,
                PreInterruptCallback {

    /** How the guard's failure for threads or processes left running begins. */
    static final String LEFT = "the test left ";

    /** @return whether {@code message} is the guard's: something left running, not a broken rule */
    public static boolean isLeak(String message) {
        return message.startsWith(LEFT);
    }

    /** How long, at most, the guard waits for threads and processes that are already ending. */
    public static final Duration GRACE = Duration.ofSeconds(5);

    /** How long the guard waits for stragglers after the test hung (they are stuck, not ending). */
    static final Duration AFTER_A_HANG = Duration.ofMillis(200);

    /** Configuration parameter overriding {@link #GRACE}, in ms (the guard's own tests shorten it). */
    public static final String GRACE_PROPERTY = "threadlab.leak.grace.ms";

    private static final String DUMP = "dump at timeout";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ThreadGuard.class);

    private record Snapshot(Set<Thread> threads, Set<Long> processes) {}

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("before", new Snapshot(liveThreads(), liveChildProcesses()));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Snapshot before = context.getStore(NAMESPACE).remove("before", Snapshot.class);
        if (before == null) {
            return;
        }
        // After a hang the stuck threads will not end by themselves: name them now, without waiting out the grace.
        boolean hung =
                context.getExecutionException().filter(SolutionHung::isHang).isPresent();
        Duration grace = hung
                ? AFTER_A_HANG
                : context.getConfigurationParameter(GRACE_PROPERTY)
                        .map(ms -> Duration.ofMillis(Long.parseLong(ms)))
                        .orElse(GRACE);
        List<Thread> started = liveThreads().stream()
                .filter(t -> !before.threads().contains(t) && !ThreadDumps.isInfrastructure(t))
                .toList();
        if (!started.isEmpty() && started.stream().allMatch(ThreadGuard::isIdleWorkerOfAPoolNeverShutDown)) {
            grace = Duration.ZERO; // nothing left that could still shut the pool down: waiting changes nothing
        }
        long deadline = System.nanoTime() + grace.toNanos();
        List<String> leaks = new ArrayList<>();

        for (Thread thread : started) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            thread.join(left);
            if (thread.isAlive()) {
                leaks.add("thread " + ThreadDumps.describe(thread) + (thread.isDaemon() ? " (daemon)" : "")
                        + (isIdleWorkerOfAPoolNeverShutDown(thread)
                                ? ", an idle worker of a pool that was never shut down"
                                : ""));
                thread.interrupt();
            }
        }
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            if (before.processes().contains(child.pid())) {
                continue;
            }
            try {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                child.onExit().get(left, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                leaks.add("child process pid " + child.pid() + " ("
                        + child.info().commandLine().orElse("command unknown") + ")");
                child.destroyForcibly();
            } catch (java.util.concurrent.ExecutionException e) {
                // it ended; nothing left behind
            }
        }
        if (!leaks.isEmpty()) {
            long threads = leaks.stream().filter(l -> l.startsWith("thread ")).count();
            long processes = leaks.size() - threads;
            String what = threads == 0
                    ? Words.of(processes, "child process", "child processes")
                    : Words.of(threads, "thread")
                            + (processes == 0 ? "" : " and " + Words.of(processes, "child process", "child processes"));
            throw new AssertionError(LEFT + what
                    + " still running after it ended"
                    + " (join or interrupt every thread you start, shut down every pool, destroy or"
                    + " wait for every process; the guard has interrupted these threads and killed these"
                    + " processes, but a thread stuck in lock() or on a monitor stays stuck). Still running:\n  "
                    + String.join("\n  ", leaks));
        }
    }

    /**
     * JUnit calls this when a timeout expires, just before it interrupts the test's thread: the
     * moment the threads are still exactly where they hung. The dump taken here is attached to
     * the timeout failure by the exception handlers below.
     */
    @Override
    public void beforeThreadInterrupt(PreInterruptContext interrupt, ExtensionContext context) {
        String deadlock = ThreadDumps.deadlockReport();
        context.getStore(NAMESPACE).put(DUMP, new String[] {deadlock, ThreadDumps.blockedThreadsReport()});
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withDumpIfTimedOut(context, throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw withDumpIfTimedOut(context, throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw withDumpIfTimedOut(context, throwable);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw withDumpIfTimedOut(context, throwable);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withDumpIfTimedOut(context, throwable);
    }

    private static Throwable withDumpIfTimedOut(ExtensionContext context, Throwable throwable) {
        if (!(throwable instanceof TimeoutException)) {
            return throwable;
        }
        String[] dump = context.getStore(NAMESPACE).remove(DUMP, String[].class);
        if (dump == null) { // a timeout JUnit did not announce (e.g. from assertTimeoutPreemptively)
            dump = new String[] {ThreadDumps.deadlockReport(), ThreadDumps.blockedThreadsReport()};
        }
        AssertionError hang = new AssertionError(
                (dump[0].isEmpty() ? "hang: " : "deadlock: ") + throwable.getMessage()
                        + "; here is what the threads were doing:\n" + dump[1],
                throwable);
        hang.setStackTrace(new StackTraceElement[0]);
        return hang;
    }

    /**
     * True for a pool's worker waiting for a task in {@code take()}, not interrupted: a pool that
     * {@code shutdown()} had reached would have interrupted it, and it never waits there again. So
     * when every thread a test left is such a worker, no code is left running that could shut the
     * pool down, and the guard names them at once instead of waiting out its grace. The flag is read
     * before the stack: a worker that was interrupted and cleared the flag has left that wait for
     * good. (Workers that wait with a timeout, as a cached pool's do, get the grace as before.)
     */
    public static boolean isIdleWorkerOfAPoolNeverShutDown(Thread thread) {
        if (thread.isInterrupted()) {
            return false;
        }
        StackTraceElement[] stack = thread.getStackTrace();
        int frame = 0;
        while (frame < stack.length && PARKING.contains(name(stack[frame]))) {
            frame++; // the condition wait's own parking, never AQS.acquire (re-taking the lock after a wake)
        }
        if (frame == 0 || frame >= stack.length || !name(stack[frame]).equals(CONDITION_WAIT)) {
            return false;
        }
        frame++;
        while (frame < stack.length && stack[frame].getMethodName().equals("take")) {
            frame++; // the queue's take(), and a bridge method of it
        }
        return frame < stack.length
                && name(stack[frame]).equals("java.util.concurrent.ThreadPoolExecutor.getTask")
                && !name(stack[frame - 1]).equals(CONDITION_WAIT)
                && thread.getState() == Thread.State.WAITING;
    }

    private static final String CONDITION_WAIT =
            "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await";

    private static final Set<String> PARKING = Set.of(
            "jdk.internal.misc.Unsafe.park",
            "java.util.concurrent.locks.LockSupport.park",
            "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionNode.block",
            "java.util.concurrent.ForkJoinPool.unmanagedBlock",
            "java.util.concurrent.ForkJoinPool.managedBlock");

    private static String name(StackTraceElement frame) {
        return frame.getClassName() + "." + frame.getMethodName();
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .collect(Collectors.toSet());
    }

    private static Set<Long> liveChildProcesses() {
        return ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}
