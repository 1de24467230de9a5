package dev.threadlab.gil.engine;

import static org.awaitility.Awaitility.await;

import dev.threadlab.common.timeline.Timeline;
import dev.threadlab.gil.exercise.HandOff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;
import net.jcip.annotations.ThreadSafe;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A {@link SwitchIntervalGil} on a {@link ManualGilClock}, and Python threads that a test drives one
 * step at a time ({@link PythonThread#step}), so a test can line them up exactly: "worker-1 holds
 * the GIL; worker-2 waits for it; 5 ms pass; worker-1 reaches its next check". The GIL's clock
 * starts at {@link #START} rather than 0, so an absolute time and a duration differ.
 *
 * <p>Waiting is decided by construction: {@link #awaitUntil} fails as soon as nothing can change
 * any more without the test ({@link #stuck()}: every Python thread has finished its steps, waits on
 * the GIL's clock unsignalled, or is blocked in {@link #blockUntil} on the test's latch), naming
 * where each thread is; and at once when a Python thread failed, with that thread's exception as
 * the cause. A thread that keeps running is told once it has used {@link #SPIN_CPU}; only one that
 * blocks elsewhere is left to the {@link #PATIENCE} bound of real time, which runs out only at a moment
 * no Python thread runs, and after one last look. {@link #close()} interrupts and joins every thread it started.
 */
@ThreadSafe
public final class GilScenario implements AutoCloseable {

    /**
     * How long a state may take to come about while some Python thread is still running (real
     * time): only a spin or a block outside the GIL's clock reaches it.
     */
    public static final Duration PATIENCE = Duration.ofSeconds(3);

    /** The GIL's clock at the start of every scenario. */
    public static final Duration START = Duration.ofSeconds(1);

    /** The GIL's clock: time moves only when the test advances it. */
    public final ManualGilClock clock = new ManualGilClock();
    /** Every thread's lane, timed by {@link #clock}. */
    public final Timeline timeline = new Timeline(clock);
    /** The GIL under test. */
    public final SwitchIntervalGil gil;

    private final List<PythonThread> threads = new ArrayList<>();

    /**
     * @param handOff  the drop-request hand-off under test
     * @param interval the GIL's switch interval
     */
    public GilScenario(HandOff handOff, Duration interval) {
        clock.advance(START);
        gil = new SwitchIntervalGil(clock, interval, handOff, timeline);
    }

    private final java.util.Map<Thread, java.util.concurrent.CountDownLatch> blocked =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Blocks the calling Python thread until the test counts {@code latch} down (blocking I/O in a
     * step): such a thread counts as settled for {@link #stuck()}.
     */
    public void blockUntil(java.util.concurrent.CountDownLatch latch) throws InterruptedException {
        blocked.put(Thread.currentThread(), latch);
        try {
            latch.await();
        } finally {
            blocked.remove(Thread.currentThread());
        }
    }

    /**
     * @return where each Python thread is, if none can move any more until the test acts: each has
     *         finished its steps, or waits on the GIL's clock and has not been signalled (checked
     *         holding the GIL's mutex, so no signal can come in between), or is in
     *         {@link #blockUntil}; empty while some thread can still move
     */
    public synchronized java.util.Optional<String> stuck() {
        java.util.Map<Thread, ManualGilClock.Wait> waits = clock.waits();
        java.util.concurrent.locks.ReentrantLock mutex = waits.values().stream()
                .map(ManualGilClock.Wait::lock)
                .filter(java.util.concurrent.locks.ReentrantLock.class::isInstance)
                .map(java.util.concurrent.locks.ReentrantLock.class::cast)
                .findFirst()
                .orElse(null);
        if (mutex != null && !mutex.tryLock()) {
            return java.util.Optional.empty(); // someone is working under the GIL's mutex
        }
        try {
            waits = clock.waits(); // under the mutex: no thread enters, leaves or is signalled in a wait now
            java.util.Map<java.util.concurrent.locks.Condition, Long> registered = new java.util.IdentityHashMap<>();
            waits.values().forEach(w -> registered.merge(w.condition(), 1L, Long::sum));
            for (java.util.Map.Entry<java.util.concurrent.locks.Condition, Long> each : registered.entrySet()) {
                if (mutex == null || mutex.getWaitQueueLength(each.getKey()) != each.getValue()) {
                    return java.util.Optional.empty(); // one was signalled and is about to wake
                }
            }
            for (PythonThread thread : threads) {
                boolean idle =
                        thread.steps.stream().allMatch(step -> step.done().isDone());
                if (!waits.containsKey(thread.thread)
                        && !blocked.containsKey(thread.thread)
                        && !idle
                        && thread.thread.isAlive()) {
                    return java.util.Optional
                            .empty(); // it can still move (and may hold the mutex: no gil.holder() before this)
                }
            }
            Thread holder = gil.holder(); // every thread is settled: nobody holds the mutex for long
            java.util.List<String> where = new ArrayList<>();
            for (PythonThread thread : threads) {
                ManualGilClock.Wait wait = waits.get(thread.thread);
                if (wait != null) {
                    where.add(thread.name + " waits on the GIL's clock "
                            + (wait.deadlineNanos() == GilClock.NO_DEADLINE
                                    ? "with no deadline"
                                    : "until " + at(wait.deadlineNanos()))
                            + (clock.isHeld(thread.thread) ? " (held there by the test)" : ""));
                } else if (blocked.containsKey(thread.thread)) {
                    where.add(thread.name + " is blocked in I/O until the test lets it go");
                } else {
                    where.add(thread.name + (holder == thread.thread ? " holds the GIL and" : "")
                            + " has done every step it was given");
                }
            }
            return java.util.Optional.of(String.join("; ", where) + "; the GIL's clock reads " + at(clock.nanoTime())
                    + (gil.dropRequested() ? ", a drop is requested" : ", no drop is requested"));
        } finally {
            if (mutex != null) {
                mutex.unlock();
            }
        }
    }

    /** @return a time on the GIL's clock, in ms since the scenario started */
    public static String at(long nanos) {
        double ms = (nanos - START.toNanos()) / 1e6;
        return Math.abs(ms) >= 10_000
                ? String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000)
                : String.format(java.util.Locale.ROOT, "%.3f ms", ms);
    }

    /** @return a new Python thread called {@code name}, started and waiting for its first step */
    public synchronized PythonThread thread(String name) {
        PythonThread thread = new PythonThread(name);
        threads.add(thread);
        return thread;
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @param whatIsBroken the rule that broke if it never holds (the failure message)
     * @throws AssertionError with {@code whatIsBroken} once nothing can change any more; or at once,
     *                        naming the thread and with its exception as the cause, if a Python thread failed
     * @throws Stuck          once a Python thread has used {@link #SPIN_CPU} without waiting, or when
     *                        {@link #PATIENCE} runs out at a moment no Python thread runs or certainly
     *                        goes on, after one last look
     */
    public void awaitUntil(String whatIsBroken, BooleanSupplier condition) {
        String[] stuck = {null};
        java.util.Map<Thread, Long> cpuAtStart = new java.util.HashMap<>();
        synchronized (this) {
            threads.forEach(t -> cpuAtStart.put(t.thread, cpuTime(t.thread)));
        }
        String[] spinning = {null};
        java.util.concurrent.Callable<Boolean> settles = () -> {
            rethrowFailures();
            if (condition.getAsBoolean()) {
                return true;
            }
            // Settled first, then the condition once more: settled, nothing changes any more.
            stuck[0] = stuck().orElse(null);
            if (stuck[0] != null && !condition.getAsBoolean()) {
                return true;
            }
            spinning[0] = spinning(cpuAtStart, SPIN_CPU.toNanos(), false);
            return spinning[0] != null;
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
                rethrowFailures();
                // PATIENCE runs out only at a moment no Python thread runs or certainly goes on: one
                // still running, however slowly under load, either gets there or is told as spinning once
                // it has used SPIN_CPU; so the verdict never depends on how much CPU the threads got.
                if (aPythonThreadMoves()) {
                    continue;
                }
                if (lookOnceMore(settles)) {
                    break; // it came about after the poll's last look: a slow machine, not a broken rule
                }
                if (aPythonThreadMoves()) {
                    continue; // that look found a thread going on
                }
                throw new Stuck(
                        whatIsBroken + " (nothing came of it for " + PATIENCE.toSeconds() + " s: " + running() + ")");
            }
        }
        if (spinning[0] != null) {
            throw new Stuck(whatIsBroken + " (" + spinning[0] + ")");
        }
        if (stuck[0] != null && !condition.getAsBoolean()) {
            rethrowFailures();
            throw new AssertionError(whatIsBroken + ". Nothing can change any more: " + stuck[0]);
        }
    }

    /** The last look of a wait whose PATIENCE ran out with no Python thread running. */
    private static boolean lookOnceMore(java.util.concurrent.Callable<Boolean> settles) {
        try {
            return settles.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @return whether a Python thread runs (RUNNABLE) outside the clock's waits, or certainly goes on
     *     although it still looks waiting: it has a step it has not taken up yet, the test let go the
     *     latch it is blocked on, or it was signalled in a wait on the GIL's clock and has not woken yet
     */
    private synchronized boolean aPythonThreadMoves() {
        for (PythonThread thread : threads) {
            Thread.State state = thread.thread.getState();
            if ((state == Thread.State.RUNNABLE || state == Thread.State.NEW)
                    && clock.waitOf(thread.thread).isEmpty()) {
                return true;
            }
            if (thread.thread.isAlive() && !thread.queue.isEmpty()) {
                return true;
            }
            java.util.concurrent.CountDownLatch latch = blocked.get(thread.thread);
            if (latch != null && latch.getCount() == 0) {
                return true;
            }
        }
        return aWaiterWasSignalled();
    }

    /** @return whether a thread waiting on the GIL's clock was signalled and has not woken yet */
    private boolean aWaiterWasSignalled() {
        java.util.Map<Thread, ManualGilClock.Wait> waits = clock.waits();
        java.util.concurrent.locks.ReentrantLock mutex = waits.values().stream()
                .map(ManualGilClock.Wait::lock)
                .filter(java.util.concurrent.locks.ReentrantLock.class::isInstance)
                .map(java.util.concurrent.locks.ReentrantLock.class::cast)
                .findFirst()
                .orElse(null);
        if (mutex == null || !mutex.tryLock()) {
            return false; // its holder runs (told above), or blocks elsewhere with it
        }
        try {
            java.util.Map<java.util.concurrent.locks.Condition, Long> registered = new java.util.IdentityHashMap<>();
            clock.waits().values().forEach(w -> registered.merge(w.condition(), 1L, Long::sum));
            for (java.util.Map.Entry<java.util.concurrent.locks.Condition, Long> each : registered.entrySet()) {
                if (mutex.getWaitQueueLength(each.getKey()) != each.getValue()) {
                    return true;
                }
            }
            return false;
        } finally {
            mutex.unlock();
        }
    }

    /**
     * The CPU time a Python thread may use while a test waits for one state: a correct hand-off
     * uses microseconds per step; only a loop that never waits uses this much.
     */
    static final Duration SPIN_CPU = Duration.ofMillis(200);

    private static final java.lang.management.ThreadMXBean MX =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private static long cpuTime(Thread thread) {
        try {
            return MX.isThreadCpuTimeSupported() ? MX.getThreadCpuTime(thread.threadId()) : -1;
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }

    /**
     * @return where a Python thread spins, if one used {@code cpuNanos} of CPU since {@code cpuAtStart}
     *     without waiting on the clock (and, if {@code runnableNow}, is running still)
     */
    private synchronized String spinning(java.util.Map<Thread, Long> cpuAtStart, long cpuNanos, boolean runnableNow) {
        for (PythonThread thread : threads) {
            Long before = cpuAtStart.get(thread.thread);
            long now = cpuTime(thread.thread);
            if (before != null
                    && before >= 0
                    && now >= 0
                    && now - before >= cpuNanos
                    && (!runnableNow || thread.thread.getState() == Thread.State.RUNNABLE)
                    && clock.waitOf(thread.thread).isEmpty()) {
                return thread.name + " kept running without waiting on the GIL's clock, using "
                        + (now - before) / 1_000_000 + " ms of CPU: it is busy where it must wait through GilState; "
                        + running();
            }
        }
        return null;
    }

    /** A Python thread that neither ended nor waited within {@link #PATIENCE}: it still runs, so the spec's later rules are skipped. */
    public static final class Stuck extends dev.threadlab.common.testsupport.SolutionHung {
        private static final long serialVersionUID = 1L;

        Stuck(String message) {
            super(message);
        }
    }

    /** @return where each Python thread that is still busy is, for a message */
    private synchronized String running() {
        List<String> where = new ArrayList<>();
        for (PythonThread thread : threads) {
            boolean idle = thread.steps.stream().allMatch(step -> step.done().isDone());
            if (!idle && thread.thread.isAlive()) {
                String pending = thread.steps.stream()
                        .filter(step -> !step.done().isDone())
                        .map(Step::what)
                        .findFirst()
                        .orElse("?");
                where.add(thread.name + " is still in its step \"" + pending + "\": "
                        + dev.threadlab.common.testsupport.ThreadDumps.describe(thread.thread));
            }
        }
        return where.isEmpty() ? "every thread had finished its steps" : String.join("; ", where);
    }

    /** @throws AssertionError if a step of some Python thread failed, with its exception as cause */
    public synchronized void rethrowFailures() {
        for (PythonThread thread : threads) {
            for (Step step : thread.steps) {
                if (step.done.isCompletedExceptionally()) {
                    Throwable cause = step.done.exceptionNow();
                    throw new AssertionError(thread.name + " failed in " + step.what + ": " + cause, cause);
                }
            }
        }
    }

    /**
     * Interrupts every Python thread, lets held ones go, and waits until all have ended, at most
     * {@link #PATIENCE} in all (a thread spinning deaf to interrupts is left to the leak check).
     */
    @Override
    public synchronized void close() throws InterruptedException {
        for (PythonThread thread : threads) {
            thread.thread.interrupt();
            clock.release(thread.thread);
        }
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (PythonThread thread : threads) {
            thread.thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
    }

    private record Step(String what, Gil.Blocking action, CompletableFuture<Void> done) {}

    /** A Python thread that runs the steps a test gives it, one after the other. */
    public final class PythonThread {
        private final String name;
        private final Thread thread;
        private final BlockingQueue<Step> queue = new LinkedBlockingQueue<>();
        private final List<Step> steps = new ArrayList<>();

        private PythonThread(String name) {
            this.name = name;
            this.thread = Thread.ofPlatform().name(name).start(this::runSteps);
        }

        private void runSteps() {
            try {
                while (true) {
                    Step step = queue.take();
                    try {
                        step.action().run();
                        step.done().complete(null);
                    } catch (Throwable t) {
                        step.done().completeExceptionally(t);
                        if (t instanceof InterruptedException) {
                            return;
                        }
                    }
                }
            } catch (InterruptedException e) {
                // the scenario is closing
            } finally {
                gil.detach(); // lets go of the GIL if this thread still holds it, so no other thread waits forever
            }
        }

        /**
         * Gives this thread its next step.
         *
         * @param what   a name for failure messages ("attach", "next chunk")
         * @param action what to do, on this thread
         * @return completes when the step is done, or exceptionally with what it threw
         */
        public CompletableFuture<Void> step(String what, Gil.Blocking action) {
            Step step = new Step(what, action, new CompletableFuture<>());
            synchronized (GilScenario.this) {
                steps.add(step);
            }
            queue.add(step);
            return step.done();
        }

        /** Takes the GIL: {@code gil.attach()}. */
        public CompletableFuture<Void> attach() {
            return step("attach", gil::attach);
        }

        /** Lets go of the GIL for good: {@code gil.detach()}. */
        public CompletableFuture<Void> detach() {
            return step("detach", () -> gil.detach());
        }

        /** @return the platform thread */
        public Thread thread() {
            return thread;
        }

        /** @return the thread's name */
        public String name() {
            return name;
        }
    }
}
