package dev.threadlab.lifecycle.exercise;

import static org.awaitility.Awaitility.await;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.ManualClock;
import dev.threadlab.common.testsupport.ThreadDumps;
import dev.threadlab.common.time.Ticker;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import net.jcip.annotations.GuardedBy;
import net.jcip.annotations.ThreadSafe;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The scripted workers of {@link SupervisorSpec} and the watch that runs {@code supervise()} on a
 * thread of its own. Time is a {@link ManualClock} that only the scripted workers move, so an hour
 * of "work" costs nothing, and every step is lined up by what the supervisor is observably doing,
 * never by how long anything takes:
 *
 * <ul>
 *   <li>a worker that spends clock time does so only once the supervisor is joining it (so the
 *       deadline passes while the supervisor waits for a thread that is about to end), and only
 *       once every quick worker's thread has ended (so no quick worker can be "late");</li>
 *   <li>a blocking worker stays blocked until it is interrupted or the test releases it, and keeps
 *       its interrupt flag set, so "was it interrupted?" can be read at any moment without a race;</li>
 *   <li>a supervisor found waiting in {@code join} on a blocking worker that nobody interrupted,
 *       after the deadline has passed on the clock, has broken the shared-deadline rule: the watch
 *       says so at once instead of waiting for the hour to pass.</li>
 * </ul>
 *
 * <p>Nothing outlives a test: {@link #close()} releases every worker and waits for every thread.
 */
@ThreadSafe
final class Crew implements AutoCloseable {

    /** The timeout the spec gives the supervisor: an hour, of manual-clock time. */
    static final Duration TIMEOUT = Duration.ofMinutes(60);

    /**
     * How long the watch waits for something that, for a correct supervisor, happens at once; it
     * only runs out for a solution that hangs, and then the failure says where it hangs.
     */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    final ManualClock clock = new ManualClock();
    @GuardedBy("hands")
    private final List<Hand> hands = new ArrayList<>();
    private volatile boolean released;
    private volatile Thread supervisor;

    /** What a scripted worker does when its task is called. */
    @FunctionalInterface
    private interface Script {
        String run(Hand me) throws Exception;
    }

    private enum Kind { QUICK, SPENDS_TIME, BLOCKS }

    /** One scripted task; the supervisor under test runs it on a worker thread of its own. */
    final class Hand implements Callable<String> {
        private final Kind kind;
        private final Script script;
        private final CountDownLatch started = new CountDownLatch(1);
        private volatile int position;
        private volatile Thread thread;
        private volatile boolean sawInterrupt;
        private volatile boolean releasedByTheTest;

        private Hand(Kind kind, Script script) {
            this.kind = kind;
            this.script = script;
            synchronized (hands) {
                hands.add(this);
            }
        }

        @Override
        public String call() throws Exception {
            thread = Thread.currentThread();
            started.countDown();
            return script.run(this);
        }

        /** @return the name the rules give this task's worker: {@code worker-N}, N its position from 1 */
        String worker() {
            return "worker-" + position;
        }

        /** @return the thread that ran this task, or null if it never started */
        Thread thread() {
            return thread;
        }

        /**
         * @return true once the worker was interrupted: its thread's interrupt flag is set (from the
         *         moment interrupt() returned), or the task has seen the interrupt (and may have cleared
         *         the flag since; it records that first). Read in that order, no interrupt is missed.
         */
        boolean wasInterrupted() {
            Thread t = thread;
            boolean flag = t != null && t.isInterrupted();
            return flag || sawInterrupt;
        }


        /**
         * Blocks until interrupted (then throws InterruptedException, leaving the interrupt flag
         * set) or released by the test (then returns). {@code LockSupport.park} keeps the flag,
         * unlike most blocking calls, so "interrupted" is never invisible for a moment.
         */
        private void parkUntilInterruptedOrReleased() throws InterruptedException {
            while (!released && !releasedByTheTest) {
                if (Thread.currentThread().isInterrupted()) {
                    sawInterrupt = true;
                    throw new InterruptedException(worker() + " was interrupted");
                }
                LockSupport.park(this);
            }
        }
    }

    /** A task that returns {@code value} at once. */
    Hand returns(String value) {
        return new Hand(Kind.QUICK, me -> value);
    }

    /** A task that throws {@code failure} at once. */
    Hand fails(Exception failure) {
        return new Hand(Kind.QUICK, me -> {
            throw failure;
        });
    }

    /** A task that throws {@code failure}, an Error (not an Exception), at once. */
    Hand fails(Error failure) {
        return new Hand(Kind.QUICK, me -> {
            throw failure;
        });
    }

    /**
     * A task that "works" for {@code work} of clock time and returns {@code value}; it moves the
     * clock only once the quick workers have ended and the supervisor is joining it.
     */
    Hand spends(Duration work, String value) {
        return new Hand(Kind.SPENDS_TIME, me -> {
            awaitQuickWorkersEnded(me);
            awaitOrGiveUp(() -> released || isJoining(supervisor, me.thread),
                    "the supervisor never waited for " + me.worker() + " with Thread.join:"
                            + " wait for each worker, in task order, with join(Duration)");
            clock.sleeper().sleep(work);
            return value;
        });
    }

    /** A task that runs until it is interrupted, then throws InterruptedException. */
    Hand blocksUntilInterrupted() {
        return new Hand(Kind.BLOCKS, me -> {
            me.parkUntilInterruptedOrReleased();
            return "released by the test";
        });
    }

    /**
     * A task that, once interrupted, takes its time to clean up: its cleanup is held until the
     * supervisor waits for it to end (in {@code join()}, or a join loop, see {@link JoinWatch}),
     * or the test releases it. A supervisor that interrupts and does not wait, or waits with a
     * timeout and gives up, returns while this worker is certainly still alive.
     */
    Hand blocksThenCleansUpSlowly() {
        return new Hand(Kind.BLOCKS, me -> {
            try {
                me.parkUntilInterruptedOrReleased();
                return "released by the test";
            } catch (InterruptedException interrupted) {
                Thread.interrupted(); // cleaning up; sawInterrupt was recorded first
                JoinWatch watch = new JoinWatch(me.thread);
                awaitOrGiveUp(() -> released || watch.waitsUntilItEnds(supervisor), "not joined");
                throw interrupted;
            }
        });
    }

    private void awaitQuickWorkersEnded(Hand me) throws InterruptedException {
        for (Hand other : snapshot()) {
            if (other.kind != Kind.QUICK) {
                continue;
            }
            if (!other.started.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(other.worker() + " had not started while " + me.worker()
                        + " was already running: start every worker before waiting for any");
            }
            if (other.thread != me.thread) {
                other.thread.join(PATIENCE);
            }
        }
    }

    private static void awaitOrGiveUp(BooleanSupplier condition, String why) {
        try {
            await().pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .atMost(PATIENCE).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(why, e);
        }
    }

    private List<Hand> snapshot() {
        synchronized (hands) {
            return List.copyOf(hands);
        }
    }

    /**
     * @return true if {@code waiter} is waiting for {@code target} to end: blocked or waiting on
     *         {@code target}'s monitor, which is where {@code Thread.join} waits for a platform thread
     */
    static boolean isJoining(Thread waiter, Thread target) {
        if (waiter == null || target == null) {
            return false;
        }
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(waiter.threadId());
        LockInfo lock = info == null ? null : info.getLockInfo();
        return lock != null
                && lock.getClassName().equals(target.getClass().getName())
                && lock.getIdentityHashCode() == System.identityHashCode(target);
    }

    /**
     * Starts {@code solution.supervise(tasks, timeout, clock)} on a thread named "supervisor", in a
     * thread group of its own: the worker threads it creates join that group, so the watch can
     * count the workers that were started (a started thread is alive in the group until it ends,
     * even before it runs its task), and what escapes a worker is recorded instead of printed.
     */
    Run start(Supervisor solution, Duration timeout, Hand... tasks) {
        List<Callable<String>> list = new ArrayList<>();
        List<Hand> hands = new ArrayList<>();
        for (int i = 0; i < tasks.length; i++) {
            if (tasks[i] != null) { // a null stays in the list the solution gets: it must refuse it
                tasks[i].position = i + 1;
                hands.add(tasks[i]);
            }
            list.add(tasks[i]);
        }
        Run run = new Run(timeout, List.copyOf(hands));
        Thread thread = Thread.ofPlatform().group(run.group).name("supervisor").daemon(true)
                .unstarted(() -> run.supervise(solution, list));
        supervisor = thread;
        run.thread = thread;
        thread.start();
        return run;
    }

    /** Runs {@code supervise} and waits until it returns (or is caught breaking the deadline rule). */
    Run supervise(Supervisor solution, Hand... tasks) {
        Run run = start(solution, TIMEOUT, tasks);
        run.awaitReturn();
        return run;
    }

    /** One call of {@code supervise} on its own thread, and what came of it. */
    final class Run {
        private final Duration timeout;
        private final List<Hand> tasks;
        private volatile Thread thread;
        private volatile List<Outcome<String>> account;
        private volatile Throwable thrown;
        private volatile List<String> aliveAtReturn = List.of();
        private volatile String problem;
        /** True when {@link #problem} is a hang: the spec's later rules are then skipped. */
        private volatile boolean hung;
        /** The supervisor's count of waits when the test interrupted it; -1 until then. */
        private volatile long waitsBeforeInterrupt = -1;
        private final AtomicLong tickerReads = new AtomicLong();
        /** The ticker the solution is given: the crew's manual clock, counting how often it is read. */
        private final Ticker ticker = () -> {
            tickerReads.incrementAndGet();
            return clock.nanoTime();
        };
        private final Map<String, Throwable> escaped = new ConcurrentHashMap<>();
        /** The supervisor's thread group, so also its workers'; an exception that escapes a worker lands here. */
        private final ThreadGroup group = new ThreadGroup("supervise") {
            @Override
            public void uncaughtException(Thread t, Throwable e) {
                escaped.put(t.getName(), e);
            }
        };

        private Run(Duration timeout, List<Hand> tasks) {
            this.timeout = timeout;
            this.tasks = tasks;
        }

        private void supervise(Supervisor solution, List<Callable<String>> list) {
            try {
                account = solution.supervise(list, timeout, ticker);
            } catch (Throwable t) {
                thrown = t;
            } finally {
                aliveAtReturn = tasks.stream()
                        .filter(h -> h.thread != null && h.thread != Thread.currentThread() && h.thread.isAlive())
                        .map(Hand::worker).toList();
            }
        }

        /**
         * Waits until supervise() is waiting in {@code join} for {@code hand}'s worker (or has
         * returned). For a worker that blocks, that state lasts until the test releases it.
         */
        void awaitJoining(Hand hand) {
            watch(() -> isJoining(thread, hand.thread),
                    "supervise() never waited for " + hand.worker() + " with Thread.join");
        }

        /** @return the throwable that escaped the task's worker thread (to its uncaught-exception handler), or null */
        Throwable escapedFrom(Hand hand) {
            return escaped.get(hand.worker());
        }

        /** Waits until every worker has started and the supervisor is waiting (or has returned). */
        void awaitSupervisorWaiting() {
            watch(() -> tasks.stream().allMatch(h -> h.started.getCount() == 0)
                    && (thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING),
                    "supervise() never started all " + tasks.size() + " workers and then waited for them");
        }

        /** Waits until supervise() returns, or is seen waiting past the deadline for a worker nobody interrupted. */
        void awaitReturn() {
            watch(() -> false, "supervise() did not return");
        }

        private void watch(BooleanSupplier reached, String what) {
            if (problem != null) {
                return;
            }
            try {
                await().pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                        .atMost(PATIENCE)
                        .until(() -> {
                            // reached first, then the rules: a state that is reached and lasts is also checked
                            boolean done = !thread.isAlive() || reached.getAsBoolean();
                            String broken = waitingBeforeAllStarted();
                            if (broken == null) {
                                broken = pastDeadlineWait();
                            }
                            if (broken == null) {
                                broken = waitingOnAfterTheInterrupt();
                            }
                            problem = broken;
                            return broken != null || done;
                        });
            } catch (ConditionTimeoutException e) {
                hung = true;
                problem = what + " within " + PATIENCE.toSeconds() + " s, though a correct supervisor"
                        + " needs no real time here (the clock is manual). Where the threads were:\n"
                        + describeThreads();
            }
            if (problem != null) {
                close();
            }
        }

        /**
         * Rule 1, observed: supervise() waits in join for a worker while some workers have not been
         * started. Once it is joining, a correct supervisor has called start() on every worker, and
         * each such thread is either alive in the supervisor's group or has ended after running its
         * task (so its Hand knows its thread): no race can make a correct supervisor fail here.
         */
        private String waitingBeforeAllStarted() {
            for (Hand h : tasks) {
                if (isJoining(thread, h.thread)) {
                    int started = startedWorkers();
                    if (started < tasks.size()) {
                        return "supervise() was waiting in join for " + h.worker() + " while only " + started
                                + " of the " + tasks.size() + " worker threads had been started: start every"
                                + " worker before waiting for any (started and joined one at a time, they"
                                + " run one after another, not together)";
                    }
                }
            }
            return null;
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

        /** The deadline rule, observed: a wait in join for an uninterrupted worker after the deadline. */
        private String pastDeadlineWait() {
            long used = clock.nanoTime();
            if (used < timeout.toNanos()) {
                return null;
            }
            for (Hand h : tasks) {
                Thread worker = h.thread;
                // order matters: joining first, then the flag, then the record; see Hand.parkUntil...
                if (h.kind == Kind.BLOCKS && isJoining(thread, worker) && worker.isAlive()
                        && !worker.isInterrupted() && !h.sawInterrupt) {
                    Thread.State state = thread.getState();
                    if (tickerReads.get() == 0) {
                        return "supervise() never read the ticker it was given, so it could not see the deadline"
                                + " pass: it was still waiting for " + h.worker() + " when " + Duration.ofNanos(used)
                                .toMinutes() + " min of the " + timeout.toMinutes() + " min timeout had gone by on"
                                + " that ticker. Read the deadline from the ticker you were given (the tests give"
                                + " a manual clock), not from System.nanoTime() or System.currentTimeMillis()";
                    }
                    return "supervise() was still waiting for " + h.worker() + " (" + state + " in join)"
                            + " although the shared deadline had passed: " + Duration.ofNanos(used).toMinutes()
                            + " min of the " + timeout.toMinutes() + " min timeout had gone by on the ticker."
                            + " Wait for each worker only for the time left until one deadline, then"
                            + " interrupt the ones still running"
                            + (state == Thread.State.WAITING ? " (this wait had no timeout at all: join(0)"
                                    + " and join() wait forever, join(Duration.ZERO) returns at once)" : "");
                }
            }
            return null;
        }

        /**
         * The caller's interrupt, swallowed: after the test interrupted supervise(), it is seen in a
         * new wait (its wait count has grown) in join on a worker that nobody interrupted. A
         * supervisor that obeys the interrupt interrupts a worker before it waits for it again.
         */
        private String waitingOnAfterTheInterrupt() {
            long before = waitsBeforeInterrupt;
            if (before < 0) {
                return null;
            }
            ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(thread.threadId());
            if (info == null || info.getWaitedCount() <= before) {
                return null; // still in the wait it was in: about to see the interrupt
            }
            for (Hand h : tasks) {
                Thread worker = h.thread;
                // order matters: the wait first, then the flag, then the record; see Hand.parkUntil...
                if (JoinWatch.isMonitorOf(info.getLockInfo(), worker) && worker.isAlive()
                        && !worker.isInterrupted() && !h.sawInterrupt) {
                    return "the caller was interrupted while supervise() waited, but supervise() went back to"
                            + " waiting for " + h.worker() + " (in join) without interrupting it: when join() throws"
                            + " InterruptedException, the caller wants out; interrupt every worker still running,"
                            + " join them, and rethrow it, instead of catching it and waiting on";
                }
            }
            return null;
        }

        private String describeThreads() {
            StringBuilder out = new StringBuilder("  ").append(ThreadDumps.describe(thread));
            for (Hand h : tasks) {
                out.append("\n  ").append(h.worker()).append(": ")
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
                throw hung ? new dev.threadlab.common.testsupport.SolutionHung(problem) : new AssertionError(problem);
            }
            return thrown;
        }

        /** @return the workers whose threads were still alive at the moment supervise() returned */
        List<String> aliveAtReturn() {
            thrownByTheSolution();
            return aliveAtReturn;
        }
    }

    /** Lets {@code hand}'s blocked task return ("released by the test"), as if its work were done. */
    void release(Hand hand) {
        hand.releasedByTheTest = true;
        Thread t = hand.thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Releases every scripted worker and waits until the supervisor and all workers have ended. */
    @Override
    public void close() {
        released = true;
        for (Hand h : snapshot()) {
            if (h.thread != null) {
                LockSupport.unpark(h.thread);
            }
        }
        Thread s = supervisor;
        try { // short bounds: a correct supervisor ends at once; one that hangs is reported, not waited for
            if (s != null && !s.join(Duration.ofSeconds(2))) {
                s.interrupt();
                s.join(Duration.ofSeconds(1));
            }
            for (Hand h : snapshot()) {
                if (h.thread != null && h.thread != s) {
                    h.thread.join(Duration.ofSeconds(1));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
