package dev.threadlab.lifecycle.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.SolutionHung;
import dev.threadlab.common.testsupport.ThreadDumps;
import dev.threadlab.common.time.Ticker;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import net.jcip.annotations.ThreadSafe;

/**
 * One call of {@code supervise} on a thread of its own, named "supervisor", and what came of it.
 * The thread runs in a thread group of its own: the worker threads it creates join that group, so
 * the run can count the workers that were started (a started thread is alive in the group until it
 * ends, even before it runs its task), and what escapes a worker is recorded instead of printed.
 *
 * <p>While it waits for the call, the run checks at every look the rules that can be seen broken
 * before {@code supervise} returns ({@link WatchedRules}), and stops at the first one broken.
 */
@ThreadSafe
final class SupervisorRun {

    private final Crew crew;
    final Duration timeout;
    final List<Hand> tasks;
    volatile Thread thread;
    private volatile List<Outcome<String>> account;
    private volatile Throwable thrown;
    private volatile List<String> aliveAtReturn = List.of();
    private volatile String problem;
    /** True when {@link #problem} is a hang: the spec's later rules are then skipped. */
    private volatile boolean hung;
    /** The supervisor's count of waits when the test interrupted it; -1 until then. */
    volatile long waitsBeforeInterrupt = -1;
    /** Rule 1 broken, as a worker that spends clock time saw it ({@link #noteJoined}); null if not seen. */
    volatile String joinedBeforeAllStarted;

    final AtomicLong tickerReads = new AtomicLong();
    /**
     * How many worker threads had been started when the ticker was first read (the read a correct
     * supervisor bases its deadline on, before starting any); -1 while the ticker is unread. Counted
     * at that read, on the reading thread: a worker whose start() returned is alive in the group or
     * has ended after running its task, so this is certain, not a race.
     */
    private volatile int startedAtFirstTickerRead = -1;

    private volatile String firstTickerReader;
    /** The ticker the solution is given: the crew's manual clock, counting how often it is read. */
    private final Ticker ticker;

    private final Map<String, Throwable> escaped = new ConcurrentHashMap<>();
    /** The supervisor's thread group, so also its workers'; an exception that escapes a worker lands here. */
    private final ThreadGroup group = new ThreadGroup("supervise") {
        @Override
        public void uncaughtException(Thread t, Throwable e) {
            escaped.put(t.getName(), e);
        }
    };

    SupervisorRun(Crew crew, Duration timeout, List<Hand> tasks) {
        this.crew = crew;
        this.timeout = timeout;
        this.tasks = tasks;
        this.ticker = () -> {
            if (tickerReads.getAndIncrement() == 0) {
                startedAtFirstTickerRead = startedWorkers();
                firstTickerReader = Thread.currentThread().getName();
            }
            return crew.clock.nanoTime();
        };
    }

    /** Starts {@code solution.supervise(list, timeout, ticker)} on the "supervisor" thread and returns it. */
    Thread start(Supervisor solution, List<Callable<String>> list) {
        Thread t = Thread.ofPlatform()
                .group(group)
                .name("supervisor")
                .daemon(true)
                .unstarted(() -> supervise(solution, list));
        thread = t;
        t.start();
        return t;
    }

    private void supervise(Supervisor solution, List<Callable<String>> list) {
        try {
            account = solution.supervise(list, timeout, ticker);
        } catch (Throwable t) {
            thrown = t;
        } finally {
            aliveAtReturn = workersAliveNow();
        }
    }

    /**
     * The worker threads alive now, by the name the rules give them: every thread alive in the
     * supervisor's group but the supervisor, which includes a worker started but not yet scheduled
     * (its Hand does not know its thread yet; a loaded machine can keep it waiting for a core), and
     * every task's thread still alive. Task order first, then any other thread by its own name.
     */
    private List<String> workersAliveNow() {
        Thread[] inGroup = new Thread[group.activeCount() + tasks.size() + 8];
        int n = group.enumerate(inGroup, true);
        Set<Thread> alive = new HashSet<>(Arrays.asList(inGroup).subList(0, n));
        alive.remove(Thread.currentThread());
        alive.removeIf(t -> !t.isAlive());
        List<String> names = new java.util.ArrayList<>();
        for (Hand h : tasks) {
            Thread t = h.thread;
            if (t != null && t != Thread.currentThread() && t.isAlive()) {
                names.add(h.worker());
            }
            alive.remove(t);
        }
        alive.stream().map(Thread::getName).sorted().forEach(names::add);
        return List.copyOf(names);
    }

    /**
     * Called by {@code hand}'s worker once it has seen supervise() waiting in join for it: if some
     * worker was never started by then, rule 1 is broken, and the watch says so at its next look.
     */
    void noteJoined(Hand hand) {
        String broken = WatchedRules.joinedBeforeAllStarted(this, hand);
        if (broken != null && joinedBeforeAllStarted == null) {
            joinedBeforeAllStarted = broken;
        }
    }

    /** @return the crew's manual clock, now, in ns */
    long clockNanos() {
        return crew.clock.nanoTime();
    }

    /**
     * Waits until supervise() is waiting in {@code join} for {@code hand}'s worker (or has
     * returned). For a worker that blocks, that state lasts until the test releases it.
     */
    void awaitJoining(Hand hand) {
        watch(
                () -> JoinWatch.isJoining(thread, hand.thread),
                "supervise() never waited for " + hand.worker() + " with Thread.join");
    }

    /** @return the throwable that escaped the task's worker thread (to its uncaught-exception handler), or null */
    Throwable escapedFrom(Hand hand) {
        return escaped.get(hand.worker());
    }

    /** Waits until every worker has started and the supervisor is waiting (or has returned). */
    void awaitSupervisorWaiting() {
        watch(
                () -> tasks.stream().allMatch(h -> h.started.getCount() == 0)
                        && (thread.getState() == Thread.State.WAITING
                                || thread.getState() == Thread.State.TIMED_WAITING),
                "supervise() never started all " + tasks.size() + " workers and then waited for them");
    }

    /** Waits until supervise() returns, or is seen breaking a rule on the way. */
    void awaitReturn() {
        watch(() -> false, "supervise() did not return");
    }

    private void watch(BooleanSupplier reached, String what) {
        if (problem != null) {
            return;
        }
        boolean ended = Poll.until(
                () -> {
                    // reached first, then the rules: a state that is reached and lasts is also checked
                    boolean done = !thread.isAlive() || reached.getAsBoolean();
                    problem = WatchedRules.firstBroken(this);
                    return problem != null || done;
                },
                Crew.PATIENCE);
        if (!ended) {
            hung = true;
            crew.supervisorHung();
            problem = what + " within " + Crew.PATIENCE.toSeconds() + " s, though a correct supervisor"
                    + " needs no real time here (the clock is manual).\nWhere the threads were:\n"
                    + describeThreads();
        }
        if (problem != null) {
            crew.close();
        }
    }

    /** @return how many workers had been started when the ticker was first read; -1 if it never was */
    int startedAtFirstTickerRead() {
        return startedAtFirstTickerRead;
    }

    /** @return the name of the thread that first read the ticker, or null */
    String firstTickerReader() {
        return firstTickerReader;
    }

    /**
     * Waits until {@code h}'s task has started, when its worker thread has been started but not yet
     * scheduled: alive in the supervisor's group, named as the rules name it ({@code worker-N}),
     * while the task does not know its thread yet. Without this, a supervisor that interrupts that
     * worker and returns at once leaves a worker that was interrupted, but has not yet run a line,
     * and so looks never interrupted (on a loaded machine, in about one run of ten). It waits for an
     * event that comes (a started thread runs); {@link Crew#PATIENCE} only guards against a hang.
     */
    void awaitTaskStartedIfItsThreadWas(Hand h) throws InterruptedException {
        long deadline = System.nanoTime() + Crew.PATIENCE.toNanos();
        while (h.thread == null && startedUnscheduled(h.worker()) && System.nanoTime() - deadline < 0) {
            h.started.await(1, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** @return whether a thread named {@code name} is alive in the supervisor's group */
    private boolean startedUnscheduled(String name) {
        Thread[] inGroup = new Thread[group.activeCount() + tasks.size() + 8];
        int n = group.enumerate(inGroup, true);
        return Arrays.asList(inGroup).subList(0, n).stream()
                .anyMatch(t -> t != thread && t.isAlive() && name.equals(t.getName()));
    }

    /** @return how many distinct worker threads have been started so far (alive, or ended after running a task) */
    int startedWorkers() {
        Thread[] alive = new Thread[group.activeCount() + tasks.size() + 8];
        int n = group.enumerate(alive, true);
        Set<Thread> started = new HashSet<>(Arrays.asList(alive).subList(0, n));
        started.remove(thread);
        tasks.stream().map(h -> h.thread).filter(Objects::nonNull).forEach(started::add);
        return started.size();
    }

    private String describeThreads() {
        StringBuilder out = new StringBuilder("  ").append(ThreadDumps.describe(thread));
        for (Hand h : tasks) {
            out.append("\n  ")
                    .append(h.worker())
                    .append(": ")
                    .append(h.thread == null ? "never started" : ThreadDumps.describe(h.thread));
        }
        return out.toString();
    }

    /** Interrupts the supervisor thread, as a caller that wants out would. */
    void interruptSupervisor() {
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(thread.threadId());
        waitsBeforeInterrupt = info == null ? 0 : info.getWaitedCount();
        thread.interrupt();
    }

    /**
     * @return the account supervise() returned
     * @throws NotImplementedYet as the stub threw it
     * @throws AssertionError    if the watch caught a broken rule, or supervise() threw
     */
    List<Outcome<String>> account() {
        Throwable failure = thrownByTheSolution();
        if (failure != null) {
            throw new AssertionError("supervise() threw " + failure, failure);
        }
        return account;
    }

    /** @return what supervise() threw, null if it returned; rethrows a NotImplementedYet or a caught broken rule */
    Throwable thrownByTheSolution() {
        if (thrown instanceof NotImplementedYet notYet) {
            throw notYet;
        }
        if (problem != null) {
            throw hung ? new SolutionHung(problem) : new AssertionError(problem);
        }
        return thrown;
    }

    /** @return the workers whose threads were still alive at the moment supervise() returned */
    List<String> aliveAtReturn() {
        thrownByTheSolution();
        return aliveAtReturn;
    }
}
