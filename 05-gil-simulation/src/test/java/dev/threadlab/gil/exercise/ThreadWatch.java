package dev.threadlab.gil.exercise;

import static org.awaitility.Awaitility.await;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.SolutionHung;
import dev.threadlab.common.testsupport.ThreadDumps;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import net.jcip.annotations.ThreadSafe;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The threads of one rule of 05.1 or 05.2, watched: the test's own threads ({@link #start}), which
 * call into the solution, and every platform thread the solution starts. All of them belong to a
 * thread group of the watch's own, which a new platform thread joins by default ({@code new Thread},
 * {@code Thread.ofPlatform()}, a pool's default thread factory), so the rule can see where each one
 * is ({@link #started()}), and their uncaught exceptions are recorded here, not printed
 * ({@link #uncaught()}).
 *
 * <p>{@link #awaitUntil} waits for a state the rule has lined up; it fails at once when the rule
 * sees a state that settles the verdict, when a call fails with "not implemented yet", or when a
 * watched thread keeps running instead of waiting ({@link #SPIN_CPU} of CPU: a hang, so the spec's
 * later rules are skipped). Only a state that never comes, with no thread busy, costs
 * {@link #PATIENCE}: it runs out only at a moment no watched thread runs, and after one last look
 * (a slow machine makes a wait longer, never a verdict different). {@link #close()} lets go of what the rule held, interrupts every watched
 * thread and waits for them.
 */
@ThreadSafe
final class ThreadWatch implements AutoCloseable {

    /** How long a state may take to come about: only a solution that blocks elsewhere reaches it. */
    static final Duration PATIENCE = Duration.ofSeconds(3);

    /** The CPU time a watched thread may use while a rule waits: a correct solution uses microseconds. */
    static final Duration SPIN_CPU = Duration.ofMillis(200);

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    /** The group every watched thread is in; records uncaught exceptions instead of printing them. */
    private static final class Group extends ThreadGroup {
        private final Map<Thread, Throwable> uncaught = new ConcurrentHashMap<>();

        Group() {
            super("graded");
        }

        @Override
        public void uncaughtException(Thread thread, Throwable failure) {
            uncaught.putIfAbsent(thread, failure);
        }
    }

    private final Group group = new Group();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger created = new AtomicInteger();

    /**
     * Set on each call's thread, and so inherited by every thread created from it (and from those):
     * each creation is counted, also of a thread that ends before the watch sees it.
     */
    private final InheritableThreadLocal<Boolean> lineage = new InheritableThreadLocal<>() {
        @Override
        protected Boolean childValue(Boolean parentValue) {
            created.incrementAndGet();
            return parentValue;
        }
    };

    /**
     * Threads that may keep running while a rule waits without being told as a hang: rule 1 of
     * 05.1 lets its held task go when runAll's other threads spin (rule 2 tells a spinning GIL), so
     * the watch must not tell them first, whatever the load.
     */
    private volatile java.util.function.Predicate<Thread> mayKeepRunning = t -> false;

    private final List<Runnable> onClose = new CopyOnWriteArrayList<>();

    /** What the rule knows certainly moves although no watched thread runs (a thread let go of a gate). */
    private final List<BooleanSupplier> movesWhile = new CopyOnWriteArrayList<>();

    private final Set<Thread> abandoned = ConcurrentHashMap.newKeySet();

    @GuardedBy("this")
    private final Set<Thread> seen = new LinkedHashSet<>();

    /** A call into the solution (or a step of the test), on a watched thread of its own. */
    final class Call {
        private final String name;
        private final Thread thread;
        private final CompletableFuture<Object> outcome = new CompletableFuture<>();

        private Call(String name, Callable<?> body) {
            this.name = name;
            this.thread = Thread.ofPlatform().group(group).name(name).unstarted(() -> {
                lineage.set(Boolean.TRUE);
                try {
                    outcome.complete(body.call());
                } catch (Throwable t) {
                    outcome.completeExceptionally(t);
                }
            });
        }

        /** @return the thread's name, e.g. "caller" */
        String name() {
            return name;
        }

        /** @return the thread it runs on */
        Thread thread() {
            return thread;
        }

        /** @return whether it has returned or thrown */
        boolean done() {
            return outcome.isDone();
        }

        /** @return what it threw, or null if it returned (or is still running) */
        Throwable failure() {
            return outcome.isCompletedExceptionally() ? outcome.exceptionNow() : null;
        }

        /** @return what it returned (null if it threw or is still running) */
        Object result() {
            return outcome.isDone() && !outcome.isCompletedExceptionally() ? outcome.resultNow() : null;
        }

        /** @return "returned" or "threw java.lang.IllegalStateException: …", for messages */
        String ending() {
            Throwable failure = failure();
            return failure == null ? "returned" : "threw " + failure;
        }
    }

    /** Starts {@code body} on a new watched platform thread called {@code name}. */
    Call start(String name, Callable<?> body) {
        Call call = new Call(name, body);
        calls.add(call);
        call.thread.start();
        return call;
    }

    /**
     * Tells {@link #close()} not to wait for these threads: the rule has found that they never end
     * (a pool nobody shut down), so waiting for them would only add {@link #PATIENCE} to the verdict.
     */
    void abandon(List<Thread> threads) {
        abandoned.addAll(threads);
    }

    /** Sets which threads {@link #awaitUntil} does not tell as spinning (none, by default). */
    void mayKeepRunning(java.util.function.Predicate<Thread> threads) {
        mayKeepRunning = threads;
    }

    /**
     * Registers a state in which the rule's threads certainly go on although none of them runs yet
     * (one let go of a gate the rule held it on, still seen waiting there): no wait of the watch runs
     * out while it holds.
     */
    void movesWhile(BooleanSupplier moving) {
        movesWhile.add(moving);
    }

    /** Registers what {@link #close()} must let go of first (a gate the rule holds threads on). */
    void onClose(Runnable release) {
        onClose.add(release);
    }

    /** @return the watched thread group (the solution's threads are in it) */
    ThreadGroup group() {
        return group;
    }

    /**
     * @return every thread the solution started that the watch has seen, in the order first seen,
     *         ended ones too (the test's own call threads are left out)
     */
    synchronized List<Thread> started() {
        Thread[] live = new Thread[group.activeCount() + 32];
        int n = group.enumerate(live, true);
        for (int i = 0; i < n; i++) {
            Thread t = live[i];
            if (calls.stream().noneMatch(c -> c.thread == t)) {
                seen.add(t);
            }
        }
        return List.copyOf(seen);
    }

    /**
     * Counts {@code thread} as one the solution started if it is a watched thread (and not a call's):
     * for a thread that may end before {@link #started()} enumerates the group.
     */
    synchronized void see(Thread thread) {
        if (thread.getThreadGroup() == group && calls.stream().noneMatch(c -> c.thread == thread)) {
            seen.add(thread);
        }
    }

    /** @return whether {@code thread} is one the solution started (a watched thread, and not a call's) */
    boolean startedBySolution(Thread thread) {
        return thread.getThreadGroup() == group && calls.stream().noneMatch(c -> c.thread == thread);
    }

    /** @return how many threads the calls' threads (and the threads they created) have created so far */
    int created() {
        return created.get();
    }

    /** @return the uncaught exceptions of the watched threads so far, by thread */
    Map<Thread, Throwable> uncaught() {
        return Map.copyOf(group.uncaught);
    }

    /** @return the JVM's view of a live thread (state, the lock it waits for and its owner), or empty */
    static Optional<ThreadInfo> info(Thread thread) {
        ThreadInfo[] infos = MX.getThreadInfo(new long[] {thread.threadId()}, true, true);
        return Optional.ofNullable(infos[0]);
    }

    /** @return whether a thread with this id is alive (the JVM knows nothing of an ended one) */
    static boolean isAlive(long threadId) {
        return MX.getThreadInfo(threadId) != null;
    }

    /**
     * Waits until {@code reached} holds.
     *
     * @param what    what is awaited, for the message if it never comes ("runAll to return")
     * @param reached the state the rule waits for
     * @param broken  looked at first, every time: a message if the state already settles the verdict
     *                against the solution, else null
     * @throws AssertionError with {@code broken}'s message; with the failure of a call that was not
     *                        implemented yet (as its cause); or, after {@link #PATIENCE}, saying
     *                        {@code what} never came and where each thread is
     * @throws SolutionHung   when a watched thread keeps running without waiting ({@link #SPIN_CPU})
     */
    void awaitUntil(String what, BooleanSupplier reached, Supplier<String> broken) {
        awaitUntil(what, reached, broken, null);
    }

    /**
     * Like {@link #awaitUntil(String, BooleanSupplier, Supplier)}, with the failure to throw when
     * {@link #PATIENCE} runs out (null: a {@link SolutionHung} saying {@code what} never came). Every
     * wait of the watch is settled: {@link #PATIENCE} runs out only at a
     * moment no watched thread runs, after one last look, so no verdict depends on how much CPU the
     * threads got.
     */
    void awaitUntil(String what, BooleanSupplier reached, Supplier<String> broken, Supplier<AssertionError> onTimeout) {
        awaitUntil(what, reached, broken, onTimeout, () -> false);
    }

    /**
     * Like {@link #awaitUntil(String, BooleanSupplier, Supplier, Supplier)}, where a state in
     * which no watched thread runs is still not settled while {@code moving} says it certainly changes
     * by itself (a thread let go that has not left its wait yet, a join of a thread that has ended):
     * then the rule goes on looking, whatever the time.
     */
    void awaitUntilSettled(
            String what,
            BooleanSupplier reached,
            Supplier<String> broken,
            Supplier<AssertionError> onTimeout,
            BooleanSupplier moving) {
        awaitUntil(what, reached, broken, onTimeout, moving);
    }

    private void awaitUntil(
            String what,
            BooleanSupplier reached,
            Supplier<String> broken,
            Supplier<AssertionError> onTimeout,
            BooleanSupplier moving) {
        Map<Thread, Long> cpuAtFirstSight = new HashMap<>(); // kept over the rounds: CPU adds up
        String[] verdict = {null, null}; // broken, spinning
        Callable<Boolean> settles = () -> {
            rethrowNotImplemented();
            verdict[0] = broken.get();
            if (verdict[0] != null) {
                return true;
            }
            if (reached.getAsBoolean()) {
                return true;
            }
            verdict[1] = spinning(cpuAtFirstSight);
            return verdict[1] != null;
        };
        while (true) {
            try {
                await().pollInSameThread()
                        .atMost(PATIENCE)
                        .pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(1))
                        .until(settles);
                break;
            } catch (ConditionTimeoutException e) {
                if (moves(moving, cpuAtFirstSight)) {
                    continue; // not settled yet: it moves, or spins and will be told so
                }
                if (lookOnceMore(settles)) {
                    break; // the state came about after the last look: a slow machine, not a broken rule
                }
                if (moves(moving, cpuAtFirstSight)) {
                    continue; // that look let a thread go on
                }
                rethrowNotImplemented();
                if (onTimeout != null) {
                    throw onTimeout.get();
                }
                throw new SolutionHung("waited " + PATIENCE.toSeconds() + " s for " + what + ", in vain: " + where());
            }
        }
        if (verdict[0] != null) {
            throw new AssertionError(verdict[0]);
        }
        if (verdict[1] != null) {
            throw new SolutionHung("while the grading waited for " + what + ", " + verdict[1]);
        }
    }

    /**
     * Like {@link #awaitUntil(String, BooleanSupplier, Supplier)}, but a state that does not come
     * within {@link #PATIENCE} is no failure: the rule goes on.
     *
     * @return whether {@code reached} came about
     */
    boolean awaitUntilOrGoOn(String what, BooleanSupplier reached, Supplier<String> broken) {
        return awaitUntilOrGoOn(what, reached, broken, () -> false);
    }

    /**
     * Like {@link #awaitUntilOrGoOn(String, BooleanSupplier, Supplier)}, not settled while {@code
     * moving} holds (see {@link #awaitUntilSettled(String, BooleanSupplier, Supplier, Supplier,
     * BooleanSupplier)}).
     */
    boolean awaitUntilOrGoOn(String what, BooleanSupplier reached, Supplier<String> broken, BooleanSupplier moving) {
        try {
            awaitUntil(what, reached, broken, () -> new PatienceRanOut(), moving);
            return true;
        } catch (PatienceRanOut e) {
            return false;
        }
    }

    private static final class PatienceRanOut extends AssertionError {
        private static final long serialVersionUID = 1L;
    }

    /** Waits until {@code call} has returned or thrown (see {@link #awaitUntil}). */
    void awaitDone(Call call, String what, Supplier<String> broken) {
        awaitUntil(what, call::done, broken);
        rethrowNotImplemented();
    }

    /** @throws AssertionError if a call failed with "not implemented yet", with that failure as its cause */
    void rethrowNotImplemented() {
        for (Call call : calls) {
            Throwable failure = call.failure();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof NotImplementedYet) {
                    throw new AssertionError(call.name + " failed: " + t.getMessage(), failure);
                }
            }
        }
    }

    /**
     * The last look of a settled wait, once every watched thread waits: under load the poll may last
     * have looked before the threads got where they now wait, so what they wait for is decided by
     * where they are, never by whether the poll saw them in time.
     */
    private static boolean lookOnceMore(Callable<Boolean> settles) {
        try {
            return settles.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @return whether the state still changes by itself: a watched thread runs ({@link
     *         #aWatchedThreadRuns}), {@code moving} or a state registered with {@link #movesWhile}
     *         holds, or a watched thread is about to go on although it still looks waiting (it
     *         waits for a monitor or a ReentrantLock nobody holds, or joins a watched thread that has
     *         ended)
     */
    private boolean moves(BooleanSupplier moving, Map<Thread, Long> cpuAtFirstSight) {
        if (aWatchedThreadRuns(cpuAtFirstSight) || moving.getAsBoolean()) {
            return true;
        }
        if (movesWhile.stream().anyMatch(BooleanSupplier::getAsBoolean)) {
            return true;
        }
        List<Thread> watched = new ArrayList<>(started());
        calls.forEach(c -> watched.add(c.thread));
        for (Thread thread : watched) {
            Thread.State state = thread.getState();
            if (state != Thread.State.BLOCKED && state != Thread.State.WAITING) {
                continue;
            }
            Optional<ThreadInfo> info = info(thread);
            if (info.isEmpty() || info.get().getLockInfo() == null) {
                continue;
            }
            boolean lockNobodyHolds = info.get().getThreadState() == Thread.State.BLOCKED
                    || info.get().getLockInfo().getClassName().startsWith("java.util.concurrent.locks.ReentrantLock$");
            if (lockNobodyHolds && info.get().getLockOwnerId() < 0) {
                return true; // the monitor (or ReentrantLock) it waits for is free: it takes it
            }
            int lock = info.get().getLockInfo().getIdentityHashCode();
            for (Thread other : watched) {
                if (!other.isAlive() && System.identityHashCode(other) == lock) {
                    return true; // it joins a thread that has ended: join returns
                }
            }
        }
        return false;
    }

    /**
     * @return whether a watched thread (a call's or one they started) is running: one let
     *         {@link #mayKeepRunning} counts only until it has used {@link #SPIN_CPU} since first seen
     *         (it is busy, and the rule tells a spin its own way)
     */
    private boolean aWatchedThreadRuns(Map<Thread, Long> cpuAtFirstSight) {
        List<Thread> watched = new ArrayList<>(started());
        calls.forEach(c -> watched.add(c.thread));
        for (Thread thread : watched) {
            if (thread.getState() != Thread.State.RUNNABLE) {
                continue;
            }
            if (!mayKeepRunning.test(thread)) {
                return true;
            }
            long now = cpuTime(thread);
            long before = cpuAtFirstSight.computeIfAbsent(thread, t -> now);
            if (now < 0 || now - before < SPIN_CPU.toNanos()) {
                return true;
            }
        }
        return false;
    }

    /** @return a watched thread that used {@link #SPIN_CPU} of CPU since first seen here and is running, or null */
    private String spinning(Map<Thread, Long> cpuAtFirstSight) {
        List<Thread> watched = new ArrayList<>(started());
        calls.forEach(c -> watched.add(c.thread));
        for (Thread thread : watched) {
            if (mayKeepRunning.test(thread)) {
                continue;
            }
            long now = cpuTime(thread);
            if (now < 0) {
                continue;
            }
            long before = cpuAtFirstSight.computeIfAbsent(thread, t -> now);
            if (now - before >= SPIN_CPU.toNanos() && thread.getState() == Thread.State.RUNNABLE) {
                return "\"" + thread.getName() + "\" kept running without waiting, using " + (now - before) / 1_000_000
                        + " ms of CPU: a thread that has to wait must block (join, lock, acquire), never spin; "
                        + ThreadDumps.describe(thread);
            }
        }
        return null;
    }

    /** @return the CPU time {@code thread} has used, in ns, or -1 if unknown */
    static long cpuTime(Thread thread) {
        try {
            return MX.isThreadCpuTimeSupported() ? MX.getThreadCpuTime(thread.threadId()) : -1;
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }

    /** @return one line per watched thread: where a live one is, or that it has ended */
    String where() {
        List<String> lines = new ArrayList<>();
        for (Call call : calls) {
            lines.add(describe(call.thread));
        }
        for (Thread thread : started()) {
            lines.add(describe(thread));
        }
        return String.join("; ", lines);
    }

    private static String describe(Thread thread) {
        return thread.isAlive() ? ThreadDumps.describe(thread) : "\"" + thread.getName() + "\" has ended";
    }

    /**
     * Lets go of what the rule held, interrupts every watched thread and waits for them, at most
     * {@link #PATIENCE} in all (a thread deaf to interrupts is left to the leak check).
     */
    @Override
    public void close() throws InterruptedException {
        onClose.forEach(Runnable::run);
        List<Thread> all = new ArrayList<>();
        calls.forEach(c -> all.add(c.thread));
        all.addAll(started());
        all.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (Thread thread : all) {
            if (!abandoned.contains(thread)) {
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
        }
    }
}
