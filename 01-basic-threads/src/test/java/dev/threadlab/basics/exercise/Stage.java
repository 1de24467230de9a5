package dev.threadlab.basics.exercise;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.testsupport.ThreadDumps;
import dev.threadlab.common.testsupport.ThreadGuard;
import dev.threadlab.common.time.Ticker;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jcip.annotations.ThreadSafe;

/**
 * The stage {@link StartAndJoinSpec} runs a solution on: {@code runAll(n, task, console)} is called
 * on a thread named {@code caller}, in a thread group of its own (so the platform threads it starts,
 * and the pools it makes, are in that group and can be counted), with a task and a console that
 * record everything. Nothing here depends on how long anything takes:
 *
 * <ul>
 *   <li><b>Held tasks.</b> In a held stage each task, once running, waits at a gate of its own
 *       until the grader releases it. A task can only finish once released, so whatever the caller
 *       prints while a task is held was printed before that task finished: certainly, not likely.</li>
 *   <li><b>Released only for a caller that waits for it.</b> {@link #driveUntilReturn()} releases a
 *       task only when the caller is seen waiting: for a platform thread, in {@code join} on that
 *       very task's thread (the JVM reports the thread whose monitor it waits on), so a thread the
 *       caller never joins stays held until the caller has printed or returned. The solution's timed
 *       waits ({@code join(ms)}, {@code join(Duration)}, {@code get(timeout)},
 *       {@code awaitTermination}) are decided by construction ({@link TimedWaits}, rule 3): the first
 *       on a task still running runs out at once, so a caller that goes on has given up on it; one
 *       entered again has no time limit and counts as a plain wait. A pool's {@code close()} (a loop
 *       of the JDK's own timed waits until the pool has terminated) releases the pool's tasks. A
 *       timed wait of another kind (a latch's {@code await(timeout)}) counts once it lasts
 *       {@link #GRACE} or is entered again on the same held thread. Other waits the JVM cannot tie to
 *       one task (a virtual thread's join, a {@code Future.get()}) release the earliest held task,
 *       each new wait at once and the same wait again only after {@link #GRACE}.</li>
 *   <li><b>The print is recorded with the count of finished tasks at that instant</b>, by the
 *       console's own output stream, which runs on the printing thread: no second reading.</li>
 * </ul>
 *
 * <p>Nothing outlives a rule: {@link #close()} releases every task and waits for the threads.
 */
@ThreadSafe
final class Stage implements AutoCloseable {

    /** Bound for anything a correct solution does at once; only a solution that hangs uses it up. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    /** How long a timed wait must last before the stage takes it for a wait for the tasks. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * One run of the task: the thread it ran on, whether that thread was a platform thread of the
     * caller's group (one the stage can count before it runs the task), its gate, and whether it
     * has finished.
     */
    record Entry(int index, Thread thread, boolean visible, CountDownLatch gate, CountDownLatch done) {
        boolean released() {
            return gate.getCount() == 0;
        }

        boolean finished() {
            return done.getCount() == 0;
        }
    }

    /** One printed line and how many tasks had finished when it was printed. */
    record Print(String thread, String text, int finishedBefore) {}

    private final int threads;
    private final boolean held;
    private final ThreadGroup group = new ThreadGroup("runAll");

    @GuardedBy("this")
    private final List<Entry> entries = new ArrayList<>();

    private final AtomicInteger finished = new AtomicInteger();

    @GuardedBy("prints")
    private final List<Print> prints = new ArrayList<>();

    private volatile boolean closing;
    private volatile Thread caller;
    private volatile boolean returned;
    private volatile Throwable thrown;

    final Console console = new Console(
            new PrintStream(OutputStream.nullOutputStream()) {
                @Override
                public void println(String formatted) {
                    // called by Console with its lock held, on the printing thread, right after it recorded the line
                    List<Console.Line> lines = console.lines();
                    Console.Line line = lines.get(lines.size() - 1);
                    synchronized (prints) {
                        prints.add(new Print(line.thread(), line.text(), finished.get()));
                    }
                }
            },
            Ticker.system());

    final Runnable task = this::runTask;

    /**
     * @param threads how many threads the caller is asked for
     * @param held    true to hold every task at a gate until the grader releases it
     */
    Stage(int threads, boolean held) {
        this.threads = threads;
        this.held = held;
    }

    private void runTask() {
        Entry me;
        synchronized (this) {
            Thread t = Thread.currentThread();
            me = new Entry(
                    entries.size(),
                    t,
                    !t.isVirtual() && t.getThreadGroup() == group,
                    new CountDownLatch(held ? 1 : 0),
                    new CountDownLatch(1));
            entries.add(me);
        }
        long deadline = System.nanoTime() + 3 * PATIENCE.toNanos(); // never held forever, whatever happens
        while (!closing && !me.released() && System.nanoTime() < deadline) {
            try {
                me.gate().await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // the task is not the solution's to stop: it keeps waiting for the grader
            }
        }
        finished.incrementAndGet(); // the task's last act
        me.done().countDown();
    }

    /** A call of the solution, run on the caller thread. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /** Starts {@code solution.runAll(threads, task, console)} on the caller thread. */
    void start(StartAndJoin solution) {
        start(() -> solution.runAll(threads, task, console));
    }

    /**
     * Starts {@code call} on a daemon platform thread named {@code caller}, in the stage's group
     * (a daemon, so that a solution that hangs for good cannot keep the test JVM from exiting).
     */
    void start(Call call) {
        Thread t = Thread.ofPlatform().group(group).name("caller").daemon(true).unstarted(() -> {
            try {
                call.run();
                returned = true;
            } catch (Throwable failure) {
                thrown = failure;
            }
        });
        caller = t;
        t.start();
    }

    Thread caller() {
        return caller;
    }

    /** @return what runAll threw, or null if it returned (or has not yet) */
    Throwable thrown() {
        return thrown;
    }

    synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    List<Print> prints() {
        synchronized (prints) {
            return List.copyOf(prints);
        }
    }

    /** @return the entry of a task that ran on the caller's own thread, if any */
    Entry ranOnTheCaller() {
        return entries().stream().filter(e -> e.thread() == caller).findFirst().orElse(null);
    }

    /** Waits until the caller has returned or thrown; false if it did not within {@link #PATIENCE}. */
    boolean awaitReturn() throws InterruptedException {
        return caller.join(PATIENCE);
    }

    /** Why {@link #awaitEntries()} stopped waiting. */
    enum Stop {
        /** every task has run */
        ALL_RAN,
        /** a task ran on the caller's own thread */
        ON_THE_CALLER,
        /** the caller has ended, and no thread is left that could still run a task */
        RETURNED_AND_NO_THREAD_LEFT,
        /** the caller is waiting, and no thread is left that could run another task */
        WAITS_AND_NO_THREAD_LEFT,
        /** not every task had run after {@link #PATIENCE} */
        OUT_OF_PATIENCE
    }

    /** The tasks that had run when {@link #awaitEntries()} stopped, and why it stopped. */
    record Entries(List<Entry> ran, Stop stop) {}

    /**
     * Waits until every task has run (entered; held ones stay held), or no more can: the caller
     * has ended or is waiting, and no started platform thread of its group is left that has not
     * run the task. A started platform thread is alive in the group from {@code start()} on, so
     * this is exact for platform threads and pools; for threads outside the group (virtual
     * threads) it waits up to {@link #PATIENCE}.
     */
    Entries awaitEntries() throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + PATIENCE.toNanos();
        while (true) {
            List<Entry> ran = entries();
            if (ranOnTheCaller() != null) {
                return new Entries(ran, Stop.ON_THE_CALLER);
            }
            if (ran.size() >= threads) {
                return new Entries(ran, Stop.ALL_RAN);
            }
            // with no task yet run on a thread the stage can count, a virtual thread may still be
            // on its way: "no more can run" then needs GRACE too (it only chooses the message)
            boolean countable = ran.stream().anyMatch(Entry::visible) || System.nanoTime() - start >= GRACE.toNanos();
            Stop none = countable ? noMoreCanRun(ran) : null;
            if (none != null) {
                return new Entries(ran, none);
            }
            if (System.nanoTime() > deadline) {
                return new Entries(ran, Stop.OUT_OF_PATIENCE);
            }
            caller.join(Duration.ofMillis(1)); // a bounded poll that also ends when the caller does
        }
    }

    /**
     * @return why no more tasks can run, if none can: the caller has ended, or is waiting and
     *         stays in the same wait throughout, while every live platform thread of its group
     *         has already run the task, and every task so far ran on such a thread (none on a
     *         virtual or foreign thread, which the stage cannot see coming); null otherwise
     */
    private Stop noMoreCanRun(List<Entry> ran) {
        Thread c = caller;
        ThreadInfo before = THREADS.getThreadInfo(c.threadId());
        boolean ended = !c.isAlive();
        if (!ended && !isWaiting(before)) {
            return null;
        }
        Set<Thread> live = liveInGroup();
        ThreadInfo after = THREADS.getThreadInfo(c.threadId());
        if (!ended && (!isWaiting(after) || after.getWaitedCount() != before.getWaitedCount())) {
            return null; // the caller moved meanwhile: it may have started another thread
        }
        if (entries().size() != ran.size()) {
            return null; // a task started meanwhile
        }
        Set<Thread> ranOn = new HashSet<>();
        ran.forEach(e -> ranOn.add(e.thread()));
        if (!ran.stream().allMatch(Entry::visible) || !ranOn.containsAll(live)) {
            return null;
        }
        return ended ? Stop.RETURNED_AND_NO_THREAD_LEFT : Stop.WAITS_AND_NO_THREAD_LEFT;
    }

    private Set<Thread> liveInGroup() {
        Thread[] all = new Thread[group.activeCount() + threads + 16];
        int n = group.enumerate(all, true);
        Set<Thread> live = new HashSet<>(Arrays.asList(all).subList(0, n));
        live.remove(caller);
        live.removeIf(t -> !t.isAlive());
        return live;
    }

    private static boolean isWaiting(ThreadInfo info) {
        return info != null
                && (info.getThreadState() == Thread.State.WAITING
                        || info.getThreadState() == Thread.State.TIMED_WAITING);
    }

    /**
     * Releases held tasks one at a time, each only for a caller that waits for it (see the class
     * comment), until the caller has printed and returned, or a task ran on the caller itself.
     *
     * @return false if the caller neither printed nor returned within {@link #PATIENCE}
     */
    boolean driveUntilReturn() throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String lastReleaseWait = null; // the caller's wait (lock and wait count) when we last released
        long lastReleaseAt = 0;
        String timedWait = null; // a timed wait being watched, and since when
        long timedSince = 0;
        Entry timedTarget = null;
        long timedTargetCount = -1;
        long cpuAtStart = cpuTime(caller);
        ThreadInfo atStart = THREADS.getThreadInfo(caller.threadId());
        while (caller.isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            if (spins(cpuAtStart, atStart)) {
                spun = true;
                return false;
            }
            if (ranOnTheCaller() != null) {
                return true;
            }
            if (!prints().isEmpty()) { // what mattered is recorded; let it finish
                releaseAll();
                return caller.join(PATIENCE);
            }
            ThreadInfo info = THREADS.getThreadInfo(caller.threadId());
            if (isWaiting(info)) {
                // a timed wait the caller entered again (TimedWaits) has no time limit: a plain wait
                boolean timed = info.getThreadState() == Thread.State.TIMED_WAITING && !TimedWaits.committed(caller);
                LockInfo lock = info.getLockInfo();
                String wait = (lock == null ? "?" : lock.getClassName() + "@" + lock.getIdentityHashCode()) + "#"
                        + info.getWaitedCount();
                Thread joinedThread = threadWaitedOn(lock);
                Entry joined = joinedThread == null ? null : heldEntryOf(joinedThread);
                if (joinedThread != null && joined == null) {
                    // a join on a thread that is not held: one already released (about to end), or one
                    // started that has not yet begun the task. Nothing to release: it will change.
                } else if (joined != null) { // a join on one held task's thread
                    if (!timed) {
                        release(joined);
                    } else {
                        if (timedTarget != joined) {
                            timedTarget = joined;
                            timedTargetCount = info.getWaitedCount();
                        } else if (info.getWaitedCount() != timedTargetCount) { // waits again on the same thread
                            release(joined);
                        }
                        if (!joined.released() && persisted(wait, timedWait, timedSince)) {
                            release(joined);
                        }
                    }
                } else if (TimedWaits.inAPoolsClose(caller)) {
                    // a pool's close() waits, with no time limit, for every task of the pool: release those
                    for (Entry e : entries()) {
                        if (!e.released() && TimedWaits.runsAPoolsTask(e.thread())) {
                            release(e);
                        }
                    }
                } else { // a wait the JVM cannot tie to one task
                    Entry earliest = earliestHeld();
                    if (earliest != null) {
                        boolean newWait = !wait.equals(lastReleaseWait);
                        boolean eligible = newWait
                                ? !timed || persisted(wait, timedWait, timedSince)
                                : System.nanoTime() - lastReleaseAt >= GRACE.toNanos();
                        if (eligible) {
                            release(earliest);
                            lastReleaseWait = wait;
                            lastReleaseAt = System.nanoTime();
                        }
                    }
                }
                if (!wait.equals(timedWait)) {
                    timedWait = wait;
                    timedSince = System.nanoTime();
                }
            }
            caller.join(Duration.ofMillis(1));
        }
        return true;
    }

    /** How much CPU the caller may use, never waiting, while every task is held, before it is told it spins. */
    static final Duration SPIN_CPU = Duration.ofMillis(300);

    private volatile boolean spun;

    /**
     * @return true if {@link #driveUntilReturn()} stopped because the caller spun: it kept running,
     *         never waiting, while the tasks were held (see {@link #SPIN_CPU})
     */
    boolean spun() {
        return spun;
    }

    private static long cpuTime(Thread t) {
        if (!THREADS.isThreadCpuTimeSupported() || !THREADS.isThreadCpuTimeEnabled()) {
            return -1;
        }
        return THREADS.getThreadCpuTime(t.threadId());
    }

    /**
     * The caller has used {@link #SPIN_CPU} of CPU since the drive began without once waiting or
     * blocking, is running, and no task has been released nor has anything been printed: a loop
     * on {@code isAlive()} (or anything but a wait), which nothing it polls can end, since a task
     * ends only once the caller waits for it. Decided by the CPU the caller burns, not by how long
     * the grader has looked: a caller that waits uses none meanwhile.
     */
    private boolean spins(long cpuAtStart, ThreadInfo atStart) {
        if (cpuAtStart < 0 || atStart == null || !held) {
            return false;
        }
        ThreadInfo now = THREADS.getThreadInfo(caller.threadId());
        return now != null
                && now.getThreadState() == Thread.State.RUNNABLE
                && now.getWaitedCount() == atStart.getWaitedCount()
                && now.getBlockedCount() == atStart.getBlockedCount()
                && entries().stream().noneMatch(Entry::released)
                && prints().isEmpty()
                && cpuTime(caller) - cpuAtStart >= SPIN_CPU.toNanos();
    }

    private static boolean persisted(String wait, String timedWait, long since) {
        return wait.equals(timedWait) && System.nanoTime() - since >= GRACE.toNanos();
    }

    /**
     * @return the thread whose monitor {@code lock} is (where {@code Thread.join} waits on a
     *         platform thread), among the threads that ran a task and the live threads of the
     *         caller's group; null if it is no such thread's
     */
    private Thread threadWaitedOn(LockInfo lock) {
        for (Entry e : entries()) {
            if (isMonitorOf(lock, e.thread())) {
                return e.thread();
            }
        }
        for (Thread t : liveInGroup()) {
            if (isMonitorOf(lock, t)) {
                return t;
            }
        }
        return null;
    }

    /** @return the held (not yet released) run of the task on {@code thread}, or null */
    private Entry heldEntryOf(Thread thread) {
        return entries().stream()
                .filter(e -> e.thread() == thread && !e.released())
                .findFirst()
                .orElse(null);
    }

    private static boolean isMonitorOf(LockInfo lock, Thread thread) {
        return lock != null
                && lock.getClassName().equals(thread.getClass().getName())
                && lock.getIdentityHashCode() == System.identityHashCode(thread);
    }

    private Entry earliestHeld() {
        return entries().stream().filter(e -> !e.released()).findFirst().orElse(null);
    }

    private void release(Entry entry) throws InterruptedException {
        entry.gate().countDown();
        entry.done().await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS); // the task ends at once
    }

    void releaseAll() {
        closing = true;
        entries().forEach(e -> e.gate().countDown());
    }

    /** @return one line per thread of this stage: the caller and each thread that ran the task */
    String whereTheThreadsWere() {
        StringBuilder out = new StringBuilder("  ").append(ThreadDumps.describe(caller));
        Set<Thread> seen = new HashSet<>();
        for (Entry e : entries()) {
            if (seen.add(e.thread()) && e.thread() != caller) {
                out.append("\n  ").append(ThreadDumps.describe(e.thread()));
            }
        }
        for (Thread t : liveInGroup()) {
            if (seen.add(t)) {
                out.append("\n  ").append(ThreadDumps.describe(t)).append(" (started, never ran the task)");
            }
        }
        return out.toString();
    }

    /** Releases every task and waits a little for the caller and the task threads to end. */
    @Override
    public void close() {
        releaseAll();
        try {
            Thread c = caller;
            if (c != null && !c.join(Duration.ofSeconds(2))) {
                c.interrupt();
                c.join(Duration.ofSeconds(1));
            }
            for (Entry e : entries()) {
                if (e.thread() != c) {
                    awaitEndOrIdle(e.thread());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits up to a second for {@code t} to end, but not for an idle worker of a pool never shut
     * down (ThreadGuard's test): no code is left that could end it, so waiting changes nothing.
     */
    private static void awaitEndOrIdle(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (!t.join(Duration.ofMillis(10))
                && !ThreadGuard.isIdleWorkerOfAPoolNeverShutDown(t)
                && System.nanoTime() < deadline) {
            // a bounded poll: it ends when the thread does, or as soon as it idles in a pool never shut down
        }
    }

    @Override
    public String toString() {
        return "stage of " + threads + (held ? " held" : "") + " tasks, finished " + finished.get();
    }
}
