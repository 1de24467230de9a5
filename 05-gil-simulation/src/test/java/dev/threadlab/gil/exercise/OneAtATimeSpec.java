package dev.threadlab.gil.exercise;

import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.common.testsupport.SolutionHung;
import dev.threadlab.common.testsupport.SteppedClasses;
import dev.threadlab.gil.exercise.ThreadWatch.Call;
import dev.threadlab.gil.solution.ReferenceOneAtATime;
import java.lang.management.ThreadInfo;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The rules of exercise 05.1 ({@link OneAtATime}), one test each. {@code runAll} is called on a
 * watched thread, "caller" ({@link ThreadWatch}); the tasks ({@link TaskList}) record where they
 * ran. Mutual exclusion is shown by construction, never by repetition: the first task to start is
 * held inside, and the rule then waits for one of two things that each settle it for good, another
 * task starting (two at once) or another of runAll's threads blocked on a lock that the held task's
 * thread owns (it cannot get it while that task is held). Rule 5 holds every task and every look of
 * runAll's threads into the task list ({@link Holds}), each until the caller is seen waiting for
 * that thread: a thread it does not wait for is still held when it returns. Rule 1 also forces the
 * interleaving that an index read and written back in two steps, outside the GIL, cannot survive:
 * the solution is loaded again with a pause point before each of its steps ({@link Steps}), and its
 * first thread is paused before each step in turn while the other runs.
 */
@GradedExercise(
        value = "05.1 one at a time: tasks on several threads under one lock",
        learner = YourOneAtATime.class,
        reference = ReferenceOneAtATime.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(20) // a correct runAll needs milliseconds per rule; a hang is told after ThreadWatch.PATIENCE
class OneAtATimeSpec {

    private final ThreadWatch watch = new ThreadWatch();

    @AfterEach
    void endAllThreads() throws InterruptedException {
        watch.close();
    }

    private Call runAll(OneAtATime solution, TaskList tasks, int threads) {
        return runAll(solution, tasks, tasks.tasks(), threads);
    }

    private Call runAll(OneAtATime solution, TaskList tasks, List<Runnable> list, int threads) {
        watch.onClose(tasks::release);
        watch.movesWhile(tasks::letGoButNotGoneYet);
        return watch.start("caller", () -> {
            solution.runAll(list, threads);
            Holds held = holds;
            heldAtReturn = held == null ? Map.of() : held.unreleased(); // on the caller, the moment runAll returned
            unfinishedAtReturn = tasks.unfinished();
            return null;
        });
    }

    /** How many tasks had not finished when runAll returned (normally); -1 until then. */
    private volatile int unfinishedAtReturn = -1;

    private static String call(int tasks, int threads) {
        return "runAll(" + tasks + " tasks, " + threads + (threads == 1 ? " thread)" : " threads)");
    }

    /** Waits until runAll has returned, then until every thread it started has ended. */
    private void awaitReturnAndThreadsEnded(Call caller, TaskList tasks, String call, String orElse) {
        watch.awaitDone(caller, call + " to return", () -> {
            failIfThePoolWasNeverShutDown(caller, tasks, call);
            String where = tasks.ranWhereItMayNot(caller.thread(), watch.group());
            return where != null ? where : orElse == null ? null : stuckAfterAFailure(tasks, call);
        });
        awaitThreadsEnded(caller, tasks, call, () -> null);
    }

    /**
     * Waits until every thread runAll started has ended, once it has returned.
     *
     * @throws SolutionHung if one is still alive {@link ThreadWatch#PATIENCE} later (it is stuck: the
     *                      rules after this one are skipped), or is a pool's thread that waits for
     *                      more tasks because nobody shut the pool down
     */
    private void awaitThreadsEnded(
            Call caller, TaskList tasks, String call, java.util.function.Supplier<String> broken) {
        for (Thread thread : watch.started()) {
            watch.awaitUntil(
                    "\"" + thread.getName() + "\" to end",
                    () -> !thread.isAlive(),
                    () -> {
                        failIfThePoolWasNeverShutDown(caller, tasks, call);
                        return broken.get();
                    },
                    () -> new SolutionHung(call + " returned, but a thread it started is still alive "
                            + ThreadWatch.PATIENCE.toSeconds() + " s later: " + watch.where() + ". Every thread"
                            + " runAll starts must have ended when it returns: join each one (or shut the pool"
                            + " down, then await its termination)"));
        }
    }

    /**
     * @throws SolutionHung if runAll has returned, or waits for its pool's termination with every task
     *                      finished, while each of its threads still alive is a pool's thread waiting
     *                      for more tasks with no interrupt pending: nobody shut that pool down, and its
     *                      threads never end. ({@code shutdown()} interrupts each idle thread before it
     *                      returns; a thread busy then never waits again, or waits only until the last
     *                      busy one ends, which interrupts it: so in a pool shut down, some live thread
     *                      is always not such a waiting one.)
     */
    private void failIfThePoolWasNeverShutDown(Call caller, TaskList tasks, String call) {
        boolean returned = caller.done();
        boolean awaits = !returned
                && tasks.allFinished()
                && ThreadWatch.info(caller.thread())
                        .map(i -> inFrame(i, ThreadPoolExecutor.class.getName(), "awaitTermination"))
                        .orElse(false);
        if (!returned && !awaits) {
            return;
        }
        List<Thread> alive = watch.started().stream().filter(Thread::isAlive).toList(); // those ended interrupted first
        if (alive.isEmpty()) {
            return;
        }
        for (Thread thread : alive) {
            if (thread.isInterrupted()) { // the flag first, then where it waits
                return;
            }
            Optional<ThreadInfo> info = ThreadWatch.info(thread);
            boolean waitsForWork = info.isPresent()
                    && (info.get().getThreadState() == Thread.State.WAITING
                            || info.get().getThreadState() == Thread.State.TIMED_WAITING)
                    && inFrame(info.get(), ThreadPoolExecutor.class.getName(), "getTask");
            if (!waitsForWork) {
                return;
            }
        }
        watch.abandon(alive);
        throw new SolutionHung(call
                + (returned ? " returned, but" : " waits for its pool to terminate, but")
                + " nobody shut the pool down: " + names(alive) + " wait for more tasks, and never end. Shut the"
                + " pool down (shutdown()) once every task is submitted, then await its termination");
    }

    /**
     * @return the broken rule if a watched thread waits for a lock whose owner has ended: nothing
     *         can ever release it (a task threw while its thread held the GIL, and the thread died
     *         with it); null otherwise
     */
    private String stuckAfterAFailure(TaskList tasks, String call) {
        for (Thread thread : watch.started()) {
            Optional<ThreadInfo> info = ThreadWatch.info(thread);
            if (info.isEmpty() || info.get().getLockInfo() == null) {
                continue;
            }
            long owner = info.get().getLockOwnerId();
            if (owner < 0 || !waits(info.get()) || ThreadWatch.isAlive(owner)) {
                continue;
            }
            // The owner may have let go just before it ended: look again, now that it has ended. A lock
            // that still names it as its owner was never released, and never will be.
            Optional<ThreadInfo> again = ThreadWatch.info(thread);
            if (again.isPresent()
                    && waits(again.get())
                    && again.get().getLockOwnerId() == owner
                    && again.get().getLockInfo() != null
                    && again.get().getLockInfo().getIdentityHashCode()
                            == info.get().getLockInfo().getIdentityHashCode()) {
                return call + " never returned: \"" + thread.getName() + "\" waits for the GIL, which \""
                        + info.get().getLockOwnerName() + "\" still holds although it has ended (task " + tasks.first()
                        + " threw while it held the GIL, and the thread died holding it). Release the GIL however"
                        + " the task ends: unlock() in a finally block (synchronized does it for you)";
            }
        }
        return null;
    }

    private static boolean waits(ThreadInfo info) {
        return info.getThreadState() == Thread.State.WAITING || info.getThreadState() == Thread.State.BLOCKED;
    }

    /**
     * The task list as runAll's threads see it: each thread's first look into it ({@code size()},
     * {@code get(i)}, an iterator) waits until every other thread of runAll is looking too, or
     * waiting, and the caller has started them all. Threads that read a shared index, check it and
     * write it back in separate steps, outside the GIL, have then certainly all read it before any
     * of them writes it: they take the same task. Under the GIL (or with getAndIncrement, or a
     * queue), the first look changes nothing.
     */
    private final class FirstLooksMeet extends java.util.AbstractList<Runnable> {
        private final List<Runnable> tasks;
        private final Call[] caller = {null};
        private final java.util.Set<Thread> looking = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final java.util.Set<Thread> looked = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);

        FirstLooksMeet(List<Runnable> tasks) {
            this.tasks = tasks;
            watch.onClose(open::countDown);
            watch.movesWhile(() -> open.getCount() == 0 && !looking.isEmpty()); // let go, still seen waiting
        }

        @Override
        public Runnable get(int index) {
            look();
            return tasks.get(index);
        }

        @Override
        public int size() {
            look();
            return tasks.size();
        }

        private void look() {
            Thread me = Thread.currentThread();
            if (open.getCount() == 0 || !watch.started().contains(me) || !looked.add(me)) { // not the caller's looks
                return;
            }
            looking.add(me);
            try {
                open.await();
            } catch (InterruptedException e) {
                me.interrupt(); // the rule is over
            } finally {
                looking.remove(me);
            }
        }

        /** Lets every look go on, from now on. */
        void open() {
            open.countDown();
        }

        /** Opens the list once the caller waits and every other thread of runAll looks or waits. */
        void tick() {
            if (open.getCount() == 0 || looking.isEmpty() || caller[0] == null) {
                return;
            }
            Thread.State callerState = caller[0].thread().getState();
            if (callerState == Thread.State.RUNNABLE || callerState == Thread.State.NEW) {
                return;
            }
            for (Thread thread : watch.started()) {
                Thread.State state = thread.getState();
                boolean waits = state == Thread.State.BLOCKED
                        || state == Thread.State.WAITING
                        || state == Thread.State.TIMED_WAITING
                        || state == Thread.State.TERMINATED;
                if (!waits && !looking.contains(thread)) {
                    return;
                }
            }
            open.countDown();
        }
    }

    @Test
    @Order(1)
    @DisplayName("1. Every task exactly once, on the threads it starts")
    void everyTaskRunsExactlyOnceOnTheThreadsItStarts(@Solution OneAtATime solution) {
        TaskList tasks = TaskList.holdingTheFirst(12);
        FirstLooksMeet list = new FirstLooksMeet(tasks.tasks());
        Call caller = runAll(solution, tasks, list, 3);
        list.caller[0] = caller;
        String call = call(12, 3);
        // The first task to start is held until nothing else of runAll moves: every other thread has
        // started, and waits (for the GIL) or has ended. A thread that gave up on its task meanwhile has
        // certainly ended, and a pool that starts a thread whenever all are busy has started one per task.
        boolean[] released = {false};
        List<Thread> endedWhileHeld = new java.util.ArrayList<>();
        Map<Thread, Long> cpuAtFirstSight = new java.util.HashMap<>();
        long[] stillSince = {0, -1}; // since when no thread was made, and how many had been

        // runAll's threads that spin while the task is held are let be: this rule lets the task go once
        // each has used SPINS of CPU (every run, whatever the load), and rule 2 tells a GIL that spins.
        watch.mayKeepRunning(watch::startedBySolution);
        try {
            awaitTheFirstTaskHeldThenReturn(
                    tasks, list, caller, call, released, endedWhileHeld, cpuAtFirstSight, stillSince);
        } finally {
            watch.mayKeepRunning(t -> false);
        }
        list.open(); // runAll has returned: whatever its threads still do, they do it on their own
        tasks.release();
        awaitReturnAndThreadsEnded(caller, tasks, call, null);

        check(caller.failure() == null, call + " " + caller.ending() + ": it must run the tasks and return");
        String where = tasks.ranWhereItMayNot(caller.thread(), watch.group());
        check(where == null, where);
        String twice = tasks.ranMoreThanOnce();
        check(
                twice == null,
                twice + ", but each task must run exactly once: each thread takes the next task nobody has"
                        + " taken, not every task. Read and advance the shared index in one step that no other"
                        + " thread can come between: under the GIL (synchronized around both), with an"
                        + " AtomicInteger's getAndIncrement(), or a queue's poll()");
        String never = tasks.neverRan(-1);
        check(
                never == null || endedWhileHeld.isEmpty(),
                call + ": " + never + " never ran: " + names(endedWhileHeld) + " ended while task " + tasks.held()
                        + " ran on \""
                        + (tasks.holder() == null ? "?" : tasks.holder().getName()) + "\", holding the"
                        + " GIL (held there by the grading), with tasks left that nobody ran. A thread that finds the"
                        + " GIL taken must wait for it (synchronized, lock() or acquire()), not give up on its task"
                        + " (a tryLock() that fails skips it)");
        check(
                never == null,
                call + ": " + never + " never ran, but every task must run once: each thread takes the next"
                        + " task nobody has taken, until none is left");
        int threads = tasks.threads().size();
        check(
                threads <= 3,
                "the 12 tasks ran on " + threads + " different threads, but " + call + " was given 3: start"
                        + " exactly that many threads, and let each take tasks until none is left");
        checkNoTwoThreadsTakeTheSameTask(solution);
    }

    /**
     * Runs {@code runAll(2 tasks, 2 threads)} on the solution loaded again with {@link Steps}, once
     * for each step n of the first thread to take one: that thread, A, runs alone until it is paused
     * before its n-th step, the other runs until it can move no further, then A goes on. A thread
     * that reads a shared index and writes it back in two steps, outside the GIL, is certainly
     * paused between the two in one of these runs: the other takes the same task meanwhile. A
     * correct solution takes the index in one step (under the GIL, getAndIncrement, poll), and no
     * pause can come between.
     */
    private void checkNoTwoThreadsTakeTheSameTask(OneAtATime solution) {
        OneAtATime stepped;
        try {
            stepped = (OneAtATime) SteppedClasses.reloaded(solution.getClass(), Steps.class)
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            return; // a solution the grading cannot load again (no constructor without arguments): not forced
        }
        String call = call(2, 2);
        for (int n = 1; n <= MAX_STEPS; n++) {
            try (ThreadWatch steps = new ThreadWatch()) {
                TaskList tasks = TaskList.plain(2);
                steps.mayKeepRunning(steps::startedBySolution); // the step budget tells a spinning thread
                steps.onClose(Steps::disarm);
                Steps.arrange(n, steps::startedBySolution);
                Call caller = steps.start("caller", () -> {
                    stepped.runAll(tasks.tasks(), 2);
                    return null;
                });
                boolean[] reached = {false};
                steps.awaitUntil(
                        "the first thread of " + call + " to reach its step " + n,
                        () -> {
                            if (Steps.phase() != Steps.Phase.A_ALONE) {
                                reached[0] = true;
                                return true;
                            }
                            Thread a = Steps.first();
                            return caller.done() || (a != null && cannotMove(a) && cannotMove(caller.thread()));
                        },
                        () -> null);
                if (reached[0]) {
                    steps.awaitUntil(
                            "the other threads of " + call + " to wait or end",
                            () -> Steps.phase() == Steps.Phase.FREE
                                    || (cannotMove(caller.thread())
                                            && steps.started().stream()
                                                    .filter(t -> t != Steps.first())
                                                    .allMatch(OneAtATimeSpec::cannotMove)),
                            () -> null);
                }
                Thread first = Steps.first();
                Steps.free();
                steps.awaitDone(caller, call + " to return", () -> null);
                String twice = tasks.ranMoreThanOnce();
                if (twice != null && first != null) {
                    throw new AssertionError(twice.replace(" ran 2 times", " ran twice") + ": two threads read the"
                            + " shared index before either advanced it, outside the GIL (the grading paused \""
                            + first.getName() + "\" before its step " + n + ", between its read and its write, while"
                            + " the other thread ran). Read and advance the shared index in one step that no other"
                            + " thread can come between: under the GIL (synchronized around both), with an"
                            + " AtomicInteger's getAndIncrement(), or a queue's poll()");
                }
                if (!reached[0]) {
                    return; // the first thread never took step n alone: every step has been tried
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                Steps.disarm();
            }
        }
    }

    /** The most steps of the first thread that {@link #checkNoTwoThreadsTakeTheSameTask} pauses before. */
    private static final int MAX_STEPS = 200;

    /** @return whether {@code thread} is not running: it waits, is blocked, or has ended */
    private static boolean cannotMove(Thread thread) {
        Thread.State state = thread.getState();
        return state != Thread.State.RUNNABLE && state != Thread.State.NEW;
    }

    private void awaitTheFirstTaskHeldThenReturn(
            TaskList tasks,
            FirstLooksMeet list,
            Call caller,
            String call,
            boolean[] released,
            List<Thread> endedWhileHeld,
            Map<Thread, Long> cpuAtFirstSight,
            long[] stillSince) {
        watch.awaitUntilSettled(
                call + " to return",
                () -> {
                    list.tick();
                    Thread holder = tasks.holder();
                    if (!released[0]
                            && holder != null
                            && allAskedForStarted(3, stillSince, holder, caller, cpuAtFirstSight)
                            && list.looking.isEmpty() // one let go by the meet, not yet running, still looks WAITING
                            && nothingElseMoves(holder, caller, cpuAtFirstSight)) {
                        watch.started().stream()
                                .filter(t -> t != holder && t.getState() == Thread.State.TERMINATED)
                                .forEach(endedWhileHeld::add);
                        released[0] = true;
                        tasks.release();
                    }
                    return caller.done();
                },
                () -> {
                    failIfThePoolWasNeverShutDown(caller, tasks, call);
                    return tasks.ranWhereItMayNot(caller.thread(), watch.group());
                },
                null,
                () -> !released[0] && (stillCounting(stillSince) || !list.looking.isEmpty()));
    }

    /**
     * @return whether nothing of runAll but the held task's thread can move: the caller (unless it is
     *         that thread) waits, and every other thread it started waits, has ended, or spins (it used
     *         {@link #SPINS} of CPU: rule 2 tells it; this rule lets the held task go)
     */
    private boolean nothingElseMoves(Thread holder, Call caller, Map<Thread, Long> cpuAtFirstSight) {
        if (caller.thread() != holder) {
            Thread.State state = caller.thread().getState();
            if (state == Thread.State.RUNNABLE || state == Thread.State.NEW) {
                return false;
            }
        }
        boolean still = true; // every thread looked at, so that each spinner's CPU is measured from the start
        for (Thread thread : watch.started()) {
            if (thread == holder) {
                continue;
            }
            Thread.State state = thread.getState();
            if (state == Thread.State.NEW) {
                still = false;
            } else if (state == Thread.State.RUNNABLE) {
                long now = ThreadWatch.cpuTime(thread);
                long before = cpuAtFirstSight.computeIfAbsent(thread, t -> now);
                still &= now >= 0 && now - before >= SPINS.toNanos();
            }
        }
        return still;
    }

    /**
     * @return whether nothing of runAll but the held task's thread can move: the caller (unless it is
     *         that thread) waits, and every other thread it started waits with no time limit (blocked,
     *         or waiting) or has ended. A thread in a timed wait (a {@code tryLock(timeout)}, say) comes
     *         back by itself: not yet.
     */
    private boolean noneMovesButTheHolder(Thread holder, Call caller) {
        if (caller.thread() != holder && !cannotMove(caller.thread())) {
            return false;
        }
        for (Thread thread : watch.started()) {
            Thread.State state = thread.getState();
            boolean still =
                    state == Thread.State.BLOCKED || state == Thread.State.WAITING || state == Thread.State.TERMINATED;
            if (thread != holder && !still) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every thread runAll was asked for has started, so that none still to come can find the
     * GIL taken: the caller may look still for a moment while it starts them (loading a class, say).
     * A runAll that starts fewer threads is given {@link #FEWER_THREADS} of looking still instead,
     * counted only while nothing of runAll but the held task's thread runs (a thread running, or
     * still to start, may make more: under load that takes longer, and the count starts again); a
     * thread that spins (it used {@link #SPINS} of CPU since first seen here) does not count as running.
     */
    private boolean allAskedForStarted(
            int asked, long[] stillSince, Thread holder, Call caller, Map<Thread, Long> cpuAtFirstSight) {
        int started = watch.started().size();
        int created = watch.created();
        if (started >= asked && created == started) {
            return true;
        }
        long now = System.nanoTime();
        boolean runs = caller.thread() != holder && !cannotMove(caller.thread());
        for (Thread thread : watch.started()) {
            if (thread != holder && !cannotMove(thread)) {
                long cpu = ThreadWatch.cpuTime(thread);
                long before = cpuAtFirstSight.computeIfAbsent(thread, t -> cpu);
                runs |= cpu < 0 || cpu - before < SPINS.toNanos();
            }
        }
        if (runs || created != started || stillSince[1] != created) { // one runs or was just made: more may come
            stillSince[0] = now;
            stillSince[1] = created;
            return false;
        }
        return now - stillSince[0] >= FEWER_THREADS.toNanos();
    }

    private static final java.time.Duration FEWER_THREADS = java.time.Duration.ofSeconds(1);

    /**
     * @return whether {@link #allAskedForStarted} is counting {@link #FEWER_THREADS} of looking still and
     *         has not got there yet: the wait that asks it is not settled, whatever its patience
     */
    private boolean stillCounting(long[] stillSince) {
        return stillSince[1] >= 0
                && stillSince[1] == watch.created()
                && System.nanoTime() - stillSince[0] < FEWER_THREADS.toNanos();
    }

    /** The CPU time after which rule 1 takes a thread that runs on while the first task is held as spinning. */
    private static final java.time.Duration SPINS = ThreadWatch.SPIN_CPU.dividedBy(2);

    private static String names(List<Thread> threads) {
        return String.join(
                ", ", threads.stream().map(t -> "\"" + t.getName() + "\"").toList());
    }

    @Test
    @Order(2)
    @DisplayName("2. Never two tasks at once")
    void neverTwoTasksRunAtOnce(@Solution OneAtATime solution) {
        TaskList tasks = TaskList.holdingTheFirst(4);
        Call caller = runAll(solution, tasks, new LooksAreSeen(tasks.tasks()), 2);
        String call = call(4, 2);

        watch.awaitUntil(
                "another thread of runAll to wait for the GIL",
                () -> anotherThreadWaitsForTheGil(tasks),
                () -> {
                    String where = tasks.ranWhereItMayNot(caller.thread(), watch.group());
                    if (where != null) {
                        return where;
                    }
                    // done() first: once it is true, failure() is final (read the other way round, a call
                    // that throws in between looked as if it had returned)
                    boolean callerDone = caller.done();
                    if (caller.failure() != null) {
                        return call + " " + caller.ending() + ": it must run the tasks and return normally";
                    }
                    boolean noneAlive = watch.started().stream().noneMatch(Thread::isAlive);
                    if (callerDone && noneAlive && tasks.runs().isEmpty()) {
                        return call + " returned without running any task: start the threads, and let each take"
                                + " tasks until none is left";
                    }
                    String joined = joinedBeforeStartingTheOthers(tasks, caller, call);
                    String ended = endedWhileTheGilWasHeld(tasks, call);
                    if (tasks.overlap() != null) { // looked at last: a thread may have run tasks and ended meanwhile
                        return "two tasks ran at once: " + tasks.overlap() + ". Hold"
                                + " one lock, the GIL, around each task (synchronized on one shared object, or one"
                                + " ReentrantLock), so that a thread waits while another runs a task";
                    }
                    return joined != null ? joined : ended;
                },
                () -> new AssertionError(
                        tasks.holder() == null
                                ? call + " started no task within " + ThreadWatch.PATIENCE.toSeconds() + " s: "
                                        + watch.where()
                                : "while task " + tasks.held() + " ran, holding the GIL (held there by the grading),"
                                        + " no other thread of " + call + " came to wait for the GIL within "
                                        + ThreadWatch.PATIENCE.toSeconds() + " s: " + watch.where() + ". Start all"
                                        + " the threads first; a thread that finds the GIL taken must wait for it"
                                        + " blocked, in synchronized, lock() or acquire() (not in a timed wait or a"
                                        + " loop that polls)"));
        tasks.release();
        awaitReturnAndThreadsEnded(caller, tasks, call, null);
    }

    /**
     * @return true if one of runAll's threads, other than the held task's, waits for a lock that
     *         thread owns (a monitor or a {@code ReentrantLock}), or for a {@code Semaphore} (which has
     *         no owner; only the held thread can have its permit)
     */
    private boolean anotherThreadWaitsForTheGil(TaskList tasks) {
        Thread holder = tasks.holder();
        if (holder == null) {
            return false;
        }
        for (Thread thread : watch.started()) {
            if (thread == holder) {
                continue;
            }
            Optional<ThreadInfo> info = ThreadWatch.info(thread);
            if (info.isEmpty() || info.get().getLockInfo() == null) {
                continue;
            }
            Thread.State state = info.get().getThreadState();
            boolean blocked = state == Thread.State.BLOCKED || state == Thread.State.WAITING;
            boolean ownedByTheHolder = info.get().getLockOwnerId() == holder.threadId();
            boolean aSemaphore = info.get().getLockInfo().getClassName().startsWith("java.util.concurrent.Semaphore$");
            if (blocked && (ownedByTheHolder || aSemaphore)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the broken rule if the caller is joining the held task's thread, no other thread of
     *         runAll is alive and no other task has run: no other thread can come while that task is
     *         held (the threads are started and joined one at a time); null otherwise
     */
    private String joinedBeforeStartingTheOthers(TaskList tasks, Call caller, String call) {
        Thread holder = tasks.holder();
        if (holder == null) {
            return null;
        }
        Optional<ThreadInfo> info = ThreadWatch.info(caller.thread());
        boolean joinsTheHolder = info.isPresent()
                && info.get().getThreadState() == Thread.State.WAITING
                && info.get().getLockInfo() != null
                && info.get()
                        .getLockInfo()
                        .getClassName()
                        .equals(holder.getClass().getName())
                && info.get().getLockInfo().getIdentityHashCode() == System.identityHashCode(holder);
        // No other thread created so far (one that ended unseen is counted too): the caller joins before it
        // creates the next one.
        boolean noOtherThread = watch.created() == 1;
        boolean noOtherTaskRan = tasks.runs().size() == 1;
        if (joinsTheHolder && noOtherThread && noOtherTaskRan) {
            return "while task " + tasks.held() + " ran on \"" + holder.getName() + "\", holding the GIL, no other"
                    + " thread of " + call + " was there to wait for it: runAll was already joining \""
                    + holder.getName() + "\" before starting another thread, so the tasks run one thread at a"
                    + " time. Start all the threads first, then join them: under a GIL the threads take turns,"
                    + " but they are all there";
        }
        return null;
    }

    /**
     * @return the broken rule if another thread of runAll has ended while the held task holds the GIL,
     *         with tasks that have not started: that thread gave up on them (a correct thread ends only
     *         once no task is left to take, and a waiting thread holds at most one); null otherwise
     */
    private String endedWhileTheGilWasHeld(TaskList tasks, String call) {
        Thread holder = tasks.holder();
        if (holder == null) {
            return null;
        }
        List<Thread> ended = watch.started().stream()
                .filter(t -> t != holder && t.getState() == Thread.State.TERMINATED)
                .toList();
        int started = tasks.runs().size(); // after the threads: a thread that has ended had recorded its tasks
        if (ended.isEmpty() || started >= tasks.size()) {
            return null;
        }
        return "while task " + tasks.held() + " ran on \"" + holder.getName() + "\", holding the GIL (held there by"
                + " the grading), " + names(ended) + " ended, although " + (tasks.size() - started) + " of the "
                + tasks.size() + " tasks of " + call + " had not started: a thread that finds the GIL taken must"
                + " wait for it (synchronized, lock() or acquire()), not give up on its task (a tryLock() that fails"
                + " skips it)";
    }

    /** The task list, telling the watch of every thread that looks into it (it may end before it is seen). */
    private final class LooksAreSeen extends java.util.AbstractList<Runnable> {
        private final List<Runnable> tasks;

        LooksAreSeen(List<Runnable> tasks) {
            this.tasks = tasks;
        }

        @Override
        public Runnable get(int index) {
            watch.see(Thread.currentThread());
            return tasks.get(index);
        }

        @Override
        public int size() {
            watch.see(Thread.currentThread());
            return tasks.size();
        }
    }

    @Test
    @Order(3)
    @DisplayName("3. A task that throws stops nothing else")
    void aTaskThatThrowsReleasesTheGilAndTheOtherTasksStillRun(@Solution OneAtATime solution) {
        checkTheOthersRunAfterTask0Threw(solution, 2);
    }

    @Test
    @Order(4)
    @DisplayName("4. A lone thread runs on after a task throws")
    void aTaskThatThrowsLeavesALoneThreadToRunTheRest(@Solution OneAtATime solution) {
        checkTheOthersRunAfterTask0Threw(solution, 1);
    }

    private void checkTheOthersRunAfterTask0Threw(OneAtATime solution, int threads) {
        int size = threads == 1 ? 3 : 6;
        // The first task to start throws, whichever it is: every other task comes after it, and needs the GIL.
        TaskList tasks = threads == 1 ? TaskList.firstThrows(size) : TaskList.firstHeldThenThrows(size);
        // Every thread that looks into the list is seen, even one that ends before the watch looks.
        Call caller = runAll(solution, tasks, new LooksAreSeen(tasks.tasks()), threads);
        String call = call(size, threads);
        List<Thread> endedWhileHeld = new java.util.ArrayList<>();
        if (threads > 1) {
            // It throws only once another thread waits for the GIL its thread holds (a GIL left held then
            // certainly leaves that thread waiting for good), or, as rule 1 does, once every thread runAll
            // was asked for has started and none but the holder can move (the caller waits, each other
            // thread waits untimed or has ended). So every other thread has certainly met the GIL taken
            // before the task throws, on every run: never only a thread started too late to find it taken.
            long[] stillSince = {0, -1};
            Map<Thread, Long> cpuSeen = new java.util.HashMap<>();
            watch.awaitUntilOrGoOn(
                    "another thread of runAll to wait for the GIL while the first task runs",
                    () -> anotherThreadWaitsForTheGil(tasks)
                            || tasks.overlap() != null
                            || (tasks.holder() != null
                                    && allAskedForStarted(threads, stillSince, tasks.holder(), caller, cpuSeen)
                                    && noneMovesButTheHolder(tasks.holder(), caller)),
                    () -> tasks.ranWhereItMayNot(caller.thread(), watch.group()),
                    () -> tasks.holder() != null && stillCounting(stillSince));
            Thread holder = tasks.holder();
            watch.started().stream()
                    .filter(t -> t != holder && t.getState() == Thread.State.TERMINATED)
                    .forEach(endedWhileHeld::add);
            tasks.release();
        }

        awaitReturnAndThreadsEnded(caller, tasks, call, "stuck after a failure");

        check(
                caller.failure() == null,
                call + " " + caller.ending() + " after task " + tasks.first() + " threw: a task's exception ends"
                        + " that task only; runAll goes on and returns normally");
        String never = tasks.neverRan(tasks.first());
        if (never != null) {
            Thread thrower = tasks.runs().stream()
                    .filter(r -> r.task() == tasks.first())
                    .map(TaskList.Run::thread)
                    .findFirst()
                    .orElse(null);
            Map<Thread, Throwable> uncaught = watch.uncaught();
            boolean endedIt = thrower != null && uncaught.containsKey(thrower) && !thrower.isAlive();
            throw new AssertionError(call + ": " + never + " never ran: "
                    + (endedIt
                            ? "task " + tasks.first() + " threw on \"" + thrower.getName() + "\" and, uncaught, ended"
                                    + " that thread before"
                                    + " it ran the others. Catch what a task throws (around task.run(), inside the"
                                    + " thread's loop), so that the thread goes on with the next task"
                            : !endedWhileHeld.isEmpty()
                                    ? names(endedWhileHeld) + " ended while task " + tasks.first() + " ran, holding the"
                                            + " GIL (held there by the grading, before it threw), with tasks left that"
                                            + " nobody ran. A thread that finds the GIL taken must wait for it"
                                            + " (synchronized, lock() or acquire()), not give up on its task (a"
                                            + " tryLock() that fails skips it)"
                                    : "after task " + tasks.first() + " threw, every other task must still run exactly"
                                            + " once"));
        }
        String twice = tasks.ranMoreThanOnce();
        check(twice == null, twice + " after task " + tasks.first() + " threw, but each task must run exactly once");
    }

    @Test
    @Order(5)
    @DisplayName("5. runAll returns only once every task has finished")
    void itReturnsOnlyOnceEveryTaskHasFinished(@Solution OneAtATime solution) {
        // Every task, and every look of runAll's threads into the task list, is held until runAll is seen
        // waiting for that thread. A thread runAll does not wait for stays held: what it would do next (the
        // task, or the look for one that it makes before it ends) is certainly not done when runAll returns.
        Holds holds = new Holds();
        watch.onClose(holds::releaseAll);
        watch.movesWhile(holds::letGoButNotGoneYet);
        this.holds = holds;
        TaskList tasks = TaskList.eachHeld(4, holds);
        // Loaded again with a step before each of its steps, a thread runAll does not wait for is held at
        // each one too: a thread that has let go of the GIL cannot take it again (and run the tasks left)
        // while runAll waits only for another thread, which may then end before it and be joined alone.
        Call[] seen = {null};
        OneAtATime graded = withStepsOrAsIs(solution);
        if (graded != solution) {
            watch.onClose(Steps::disarm);
            Steps.beforeEachStep(watch::startedBySolution, thread -> holdUnlessWaitedFor(seen, holds, thread));
        }
        Call caller = runAll(graded, tasks, new LooksAreHeld(tasks.tasks(), holds), 2);
        seen[0] = caller;
        String call = call(4, 2);
        Set<Thread> joined = new LinkedHashSet<>();
        boolean[] timedJoin = {false};

        watch.awaitUntilSettled(
                call + " to return",
                () -> {
                    letGoWhatRunAllWaitsFor(caller, holds, joined, timedJoin);
                    return caller.done();
                },
                () -> {
                    failIfThePoolWasNeverShutDown(caller, tasks, call);
                    String where = tasks.ranWhereItMayNot(caller.thread(), watch.group());
                    if (where != null) {
                        return where;
                    }
                    return caller.done() ? returnedTooEarly(caller, call, timedJoin[0], joined) : null;
                },
                () -> {
                    Map.Entry<Thread, String> held =
                            holds.unreleased().entrySet().stream().findFirst().orElse(null);
                    return new AssertionError((held == null
                                    ? call + " did not return"
                                    : "while \"" + held.getKey().getName() + "\" was " + held.getValue()
                                            + ", held there by the grading, runAll never waited for that thread")
                            + " within " + ThreadWatch.PATIENCE.toSeconds() + " s: " + watch.where() + ". Wait for"
                            + " every thread you started: join() each one, without a timeout (or shut the pool"
                            + " down and await its termination)");
                },
                () -> stillMoving(caller, holds));
        watch.rethrowNotImplemented();
        String early = returnedTooEarly(caller, call, timedJoin[0], joined);
        check(early == null, early);
        // It returned with none of its threads held: one it did not wait for is held at its next look.
        awaitThreadsEnded(
                caller,
                tasks,
                call,
                () -> holds.unreleased().entrySet().stream()
                        .findFirst()
                        .map(e -> notEnded(call, e.getKey(), e.getValue(), timedJoin[0], joined))
                        .orElse(null));
    }

    /**
     * Whether rule 5's state changes by itself although no watched thread runs, so that it is not yet
     * the state in which runAll waits for nothing the grading will let go: runAll has returned (or
     * ended); a thread let go has not left its hold yet; the caller joins (or takes the monitor of) a
     * thread that has ended, which returns; the caller joins with a timeout, which returns by itself
     * (a loop of such joins on a thread held for good is left to the class's timeout); or the caller waits for a held thread, which the next
     * look lets go. Decided from what the threads are doing, not from how long they took: under load
     * the rule may take longer than {@link ThreadWatch#PATIENCE}, and a moment between two of these
     * steps must not read as runAll never waiting.
     */
    private boolean stillMoving(Call caller, Holds holds) {
        if (caller.done() || holds.letGoButNotGoneYet()) {
            return true;
        }
        Optional<ThreadInfo> info = ThreadWatch.info(caller.thread());
        if (info.isEmpty()) {
            return true; // the caller has ended: runAll has returned or thrown, and the next look sees it
        }
        if (info.get().getThreadState() == Thread.State.TIMED_WAITING
                && inFrame(info.get(), Thread.class.getName(), "join")) {
            return true; // a join with a timeout returns by itself, however long it takes under load
        }
        java.lang.management.LockInfo lock = info.get().getLockInfo();
        if (lock != null) {
            for (Thread thread : watch.started()) {
                if (!thread.isAlive() && System.identityHashCode(thread) == lock.getIdentityHashCode()) {
                    return true;
                }
            }
        }
        for (Thread held : holds.unreleased().keySet()) {
            if (waitsFor(info.get(), held)) {
                return true;
            }
        }
        return false;
    }

    /** @return the solution loaded again with {@link Steps}, or itself if the grading cannot load it again */
    private static OneAtATime withStepsOrAsIs(OneAtATime solution) {
        try {
            return (OneAtATime) SteppedClasses.reloaded(solution.getClass(), Steps.class)
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            return solution; // no constructor without arguments: held at its tasks and looks only
        }
    }

    /**
     * Before each step of a thread of runAll (rule 5): holds it there unless the caller is seen waiting
     * for it ({@link #waitsFor}); the caller's waits let it go ({@link #letGoWhatRunAllWaitsFor}).
     */
    private void holdUnlessWaitedFor(Call[] caller, Holds holds, Thread thread) {
        Call call = caller[0];
        if (call != null) {
            Optional<ThreadInfo> info = ThreadWatch.info(call.thread());
            if (info.isPresent() && waitsFor(info.get(), thread)) {
                return;
            }
        }
        holds.hold("in your own code");
    }

    /** The holds of rule 5 (null in the other rules), read by the caller the moment runAll returns. */
    private volatile Holds holds;

    /** The threads held when runAll returned (normally), with where each was held; empty until then. */
    private volatile Map<Thread, String> heldAtReturn = Map.of();

    /**
     * The task list as rule 5 gives it: every look of runAll's threads into it ({@code size()},
     * {@code get(i)}, an iterator) is held until runAll is seen waiting for that thread. The caller's
     * own looks (copying the list into a queue, dealing the tasks out) are not held.
     */
    private final class LooksAreHeld extends java.util.AbstractList<Runnable> {
        private final List<Runnable> tasks;
        private final Holds holds;

        LooksAreHeld(List<Runnable> tasks, Holds holds) {
            this.tasks = tasks;
            this.holds = holds;
        }

        @Override
        public Runnable get(int index) {
            look();
            return tasks.get(index);
        }

        @Override
        public int size() {
            look();
            return tasks.size();
        }

        private void look() {
            Thread me = Thread.currentThread();
            if (watch.startedBySolution(me)) {
                watch.see(me);
                holds.hold("looking for a task");
            }
        }
    }

    /**
     * Lets go each held thread that the caller is seen waiting for ({@link #waitsFor}), and notes which
     * threads the caller joins (with no timeout) and whether it joins with a timeout.
     */
    private void letGoWhatRunAllWaitsFor(Call caller, Holds holds, Set<Thread> joined, boolean[] timedJoin) {
        Optional<ThreadInfo> info = ThreadWatch.info(caller.thread());
        if (info.isEmpty()) {
            return;
        }
        timedJoin[0] |= joinsWithATimeout(info.get());
        Thread target = joining(info.get());
        if (target != null) {
            joined.add(target);
        }
        for (Thread thread : holds.unreleased().keySet()) {
            if (waitsFor(info.get(), thread)) {
                holds.release(thread);
            }
        }
    }

    /** @return the thread of runAll that the caller joins with no timeout, or null */
    private Thread joining(ThreadInfo info) {
        if (info.getThreadState() != Thread.State.WAITING
                || info.getLockInfo() == null
                || !inFrame(info, Thread.class.getName(), "join")) {
            return null;
        }
        int joined = info.getLockInfo().getIdentityHashCode();
        return watch.started().stream()
                .filter(t -> System.identityHashCode(t) == joined)
                .findFirst()
                .orElse(null);
    }

    /** @return the broken rule if runAll returned (normally) before every task had finished, else null */
    private String returnedTooEarly(Call caller, String call, boolean timedJoin, Set<Thread> joined) {
        if (caller.failure() != null) {
            return call + " " + caller.ending() + ": it must wait for its threads and return normally";
        }
        int unfinished = unfinishedAtReturn;
        Map<Thread, String> held = heldAtReturn;
        if (unfinished > 0) {
            String running = held.entrySet().stream()
                    .filter(e -> e.getValue().startsWith("running"))
                    .findFirst()
                    .map(e -> "; \"" + e.getKey().getName() + "\" was still " + e.getValue()
                            + ", held there by the grading until runAll waits for that thread")
                    .orElse("");
            return tooEarly(
                    call + " returned before every task had finished (" + unfinished + " of 4 unfinished" + running
                            + ")",
                    timedJoin,
                    joined);
        }
        return held.entrySet().stream()
                .findFirst()
                .map(e -> notEnded(call, e.getKey(), e.getValue(), timedJoin, joined))
                .orElse(null);
    }

    private String notEnded(String call, Thread thread, String where, boolean timedJoin, Set<Thread> joined) {
        return tooEarly(
                call + " returned before \"" + thread.getName() + "\", a thread it started, had ended (it was still "
                        + where + ", held there by the grading until runAll waits for that thread)",
                timedJoin,
                joined);
    }

    private String tooEarly(String what, boolean timedJoin, Set<Thread> joined) {
        List<Thread> all = watch.started();
        List<Thread> notJoined = all.stream().filter(t -> !joined.contains(t)).toList();
        String how;
        if (timedJoin) {
            how = ". runAll joined with a timeout, which gives up while the thread still runs: join() without a"
                    + " timeout";
        } else if (joined.isEmpty()) {
            how = ". runAll joined none of its " + all.size() + " threads";
        } else if (!notJoined.isEmpty()) {
            how = ". runAll joined " + joined.size() + " of its " + all.size() + " threads ("
                    + names(List.copyOf(joined)) + "), not " + names(notJoined);
        } else {
            how = "";
        }
        return what + ": wait for every thread you started (join each one) before returning" + how;
    }

    /**
     * @return whether the caller waits, with no timeout, for something that cannot come before
     *         {@code thread} goes on: that thread (join), another of runAll's threads that waits for a
     *         lock {@code thread} owns, or for a {@code Semaphore} (join), a pool's termination, or
     *         (untimed) a latch or future
     */
    private boolean waitsFor(ThreadInfo info, Thread thread) {
        if (info.getLockInfo() == null) {
            return false;
        }
        if (inFrame(info, ThreadPoolExecutor.class.getName(), "awaitTermination")) {
            return info.getThreadState() == Thread.State.WAITING || info.getThreadState() == Thread.State.TIMED_WAITING;
        }
        if (info.getThreadState() != Thread.State.WAITING) {
            return false;
        }
        if (!inFrame(info, Thread.class.getName(), "join")) {
            return true; // an untimed wait for a latch, a future, a phaser: what else could end it
        }
        int joined = info.getLockInfo().getIdentityHashCode();
        if (joined == System.identityHashCode(thread)) {
            return true;
        }
        for (Thread other : watch.started()) {
            if (other != thread && System.identityHashCode(other) == joined) {
                Optional<ThreadInfo> its = ThreadWatch.info(other);
                return its.isPresent()
                        && waits(its.get())
                        && its.get().getLockInfo() != null
                        && (its.get().getLockOwnerId() == thread.threadId()
                                || its.get()
                                        .getLockInfo()
                                        .getClassName()
                                        .startsWith("java.util.concurrent.Semaphore$"));
            }
        }
        return false;
    }

    private static boolean joinsWithATimeout(ThreadInfo info) {
        return info.getThreadState() == Thread.State.TIMED_WAITING && inFrame(info, Thread.class.getName(), "join");
    }

    private static boolean inFrame(ThreadInfo info, String className, String method) {
        for (StackTraceElement frame : info.getStackTrace()) {
            if (frame.getClassName().equals(className) && frame.getMethodName().equals(method)) {
                return true;
            }
        }
        return false;
    }

    private static void check(boolean holds, String brokenRule) {
        if (!holds) {
            throw new AssertionError(brokenRule);
        }
    }
}
