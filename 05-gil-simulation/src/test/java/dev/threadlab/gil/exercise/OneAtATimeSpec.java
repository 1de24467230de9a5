package dev.threadlab.gil.exercise;

import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.gil.exercise.ThreadWatch.Call;
import dev.threadlab.gil.solution.ReferenceOneAtATime;
import java.lang.management.ThreadInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * thread owns (it cannot get it while that task is held).
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
        return watch.start("caller", () -> {
            solution.runAll(list, threads);
            unfinishedAtReturn = tasks.unfinished(); // on the caller, the moment runAll returned
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
        awaitReturnAndThreadsEnded(caller, tasks, call, orElse, () -> {});
    }

    /**
     * As above; {@code meanwhile} runs at every look while the threads are awaited (rule 1's list
     * opens its first looks there too: a thread that first looks into it after runAll returned
     * would otherwise be held by the test, and its solution told it left a thread running).
     */
    private void awaitReturnAndThreadsEnded(
            Call caller, TaskList tasks, String call, String orElse, Runnable meanwhile) {
        watch.awaitDone(caller, call + " to return", () -> {
            String where = tasks.ranWhereItMayNot(caller.thread(), watch.group());
            return where != null ? where : orElse == null ? null : stuckAfterAFailure(tasks, call);
        });
        for (Thread thread : watch.started()) {
            watch.awaitUntil(
                    "\"" + thread.getName() + "\" to end",
                    () -> {
                        meanwhile.run();
                        return !thread.isAlive();
                    },
                    () -> null,
                    () -> new AssertionError(call + " returned, but a thread it started is still alive "
                            + ThreadWatch.PATIENCE.toSeconds() + " s later: " + watch.where() + ". Every thread"
                            + " runAll starts must have ended when it returns: join each one (or shut the pool"
                            + " down, then await its termination)"));
        }
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
                        + info.get().getLockOwnerName() + "\" still holds although it has ended (task 0 threw"
                        + " while it held the GIL, and the thread died holding it). Release the GIL however the"
                        + " task ends: unlock() in a finally block (synchronized does it for you)";
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
        TaskList tasks = TaskList.quick(12);
        FirstLooksMeet list = new FirstLooksMeet(tasks.tasks());
        Call caller = runAll(solution, tasks, list, 3);
        list.caller[0] = caller;
        String call = call(12, 3);

        watch.awaitUntil(
                call + " to return",
                () -> {
                    list.tick();
                    return caller.done();
                },
                () -> tasks.ranWhereItMayNot(caller.thread(), watch.group()));
        awaitReturnAndThreadsEnded(caller, tasks, call, null, list::tick);

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
        String never = tasks.neverRan(0);
        check(
                never == null,
                call + ": " + never + " never ran, but every task must run once: each thread takes the next"
                        + " task nobody has taken, until none is left");
        int threads = tasks.threads().size();
        check(
                threads <= 3,
                "the 12 tasks ran on " + threads + " different threads, but " + call + " was given 3: start"
                        + " exactly that many threads, and let each take tasks until none is left");
    }

    @Test
    @Order(2)
    @DisplayName("2. Never two tasks at once")
    void neverTwoTasksRunAtOnce(@Solution OneAtATime solution) {
        TaskList tasks = TaskList.holdingTheFirst(4);
        Call caller = runAll(solution, tasks, 2);
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
                    if (tasks.overlap() != null) { // looked at last: a thread may have run tasks and ended meanwhile
                        return "two tasks ran at once: " + tasks.overlap() + ". Hold"
                                + " one lock, the GIL, around each task (synchronized on one shared object, or one"
                                + " ReentrantLock), so that a thread waits while another runs a task";
                    }
                    return joined;
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
        boolean noOtherThread = watch.started().stream().noneMatch(t -> t != holder && t.isAlive());
        // After the threads: a thread that has ended had recorded its tasks before it ended.
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
        TaskList tasks = threads == 1 ? TaskList.firstThrows(size) : TaskList.firstHeldThenThrows(size);
        Call caller = runAll(solution, tasks, threads);
        String call = call(size, threads);
        if (threads > 1) {
            // Task 0 throws only once another thread waits for the GIL its thread holds (or none is left
            // to wait): a GIL left held then certainly leaves that thread waiting for good.
            watch.awaitUntilOrGoOn(
                    "another thread of runAll to wait for the GIL while task 0 runs",
                    () -> anotherThreadWaitsForTheGil(tasks)
                            || tasks.overlap() != null
                            || (tasks.holder() != null
                                    && watch.started().stream().noneMatch(t -> t != tasks.holder() && t.isAlive())),
                    () -> tasks.ranWhereItMayNot(caller.thread(), watch.group()));
            tasks.release();
        }

        awaitReturnAndThreadsEnded(caller, tasks, call, "stuck after a failure");

        check(
                caller.failure() == null,
                call + " " + caller.ending() + " after task 0 threw: a task's exception ends that task"
                        + " only; runAll goes on and returns normally");
        String never = tasks.neverRan(1);
        if (never != null) {
            Thread thrower = tasks.runs().stream()
                    .filter(r -> r.task() == 0)
                    .map(TaskList.Run::thread)
                    .findFirst()
                    .orElse(null);
            Map<Thread, Throwable> uncaught = watch.uncaught();
            boolean endedIt = thrower != null && uncaught.containsKey(thrower) && !thrower.isAlive();
            throw new AssertionError(call + ": " + never + " never ran: "
                    + (endedIt
                            ? "task 0 threw on \"" + thrower.getName() + "\" and, uncaught, ended that thread before"
                                    + " it ran the others. Catch what a task throws (around task.run(), inside the"
                                    + " thread's loop), so that the thread goes on with the next task"
                            : "after task 0 threw, every other task must still run exactly once"));
        }
        String twice = tasks.ranMoreThanOnce();
        check(twice == null, twice + " after task 0 threw, but each task must run exactly once");
    }

    @Test
    @Order(5)
    @DisplayName("5. runAll returns only once every task has finished")
    void itReturnsOnlyOnceEveryTaskHasFinished(@Solution OneAtATime solution) {
        TaskList tasks = TaskList.holdingTheFirst(4);
        Call caller = runAll(solution, tasks, 2);
        String call = call(4, 2);
        boolean[] timedJoin = {false};

        // The held task goes on only once the caller waits in a way that cannot end before it does.
        watch.awaitUntil(
                "runAll to wait for the thread of the held task",
                () -> {
                    Optional<ThreadInfo> info = ThreadWatch.info(caller.thread());
                    timedJoin[0] |= info.isPresent() && joinsWithATimeout(info.get());
                    return info.isPresent() && waitsForTheHeldTask(info.get(), tasks);
                },
                () -> {
                    String where = tasks.ranWhereItMayNot(caller.thread(), watch.group());
                    if (where != null) {
                        return where;
                    }
                    return caller.done() ? returnedTooEarly(caller, tasks, call, timedJoin[0]) : null;
                },
                () -> new AssertionError("while task " + tasks.held() + " ran on \""
                        + (tasks.holder() == null ? "?" : tasks.holder().getName()) + "\", held there by the"
                        + " grading, runAll never waited for that thread within " + ThreadWatch.PATIENCE.toSeconds()
                        + " s: " + watch.where() + ". Wait for every thread you started: join() each one, without"
                        + " a timeout (or shut the pool down and await its termination)"));
        tasks.release();
        watch.awaitDone(caller, call + " to return", () -> null);
        String early = returnedTooEarly(caller, tasks, call, timedJoin[0]);
        check(early == null, early);
        awaitReturnAndThreadsEnded(caller, tasks, call, null);
    }

    /** @return the broken rule if runAll returned (normally) before every task had finished, else null */
    private String returnedTooEarly(Call caller, TaskList tasks, String call, boolean timedJoin) {
        int unfinished = unfinishedAtReturn;
        if (caller.failure() != null || unfinished <= 0) {
            return caller.failure() == null
                    ? null
                    : call + " " + caller.ending() + ": it must wait for its threads and return normally";
        }
        // The held task is named only for a runAll seen waiting for it with a timeout: one that never
        // waits returns before or after its threads reach that task, as the scheduler has it (a fresh
        // JVM and a warm one told ForgetsToJoin apart by that detail alone).
        return call + " returned before every task had finished (" + unfinished + " of 4 unfinished"
                + (timedJoin && tasks.held() >= 0 && !tasks.allFinished()
                        ? "; task " + tasks.held() + " was still running on \""
                                + tasks.holder().getName() + "\", held there by the grading"
                        : "")
                + "): wait for every thread you started (join each one) before returning"
                + (timedJoin
                        ? ". runAll joined with a timeout, which gives up while the thread still runs: join()"
                                + " without a timeout"
                        : "");
    }

    /**
     * @return whether the caller waits, with no timeout, for something that cannot come before the
     *         held task ends: the held task's thread (join), another of runAll's threads that waits for
     *         the GIL the held task's thread holds (join), a pool's termination, or (untimed) a latch or
     *         future
     */
    private boolean waitsForTheHeldTask(ThreadInfo info, TaskList tasks) {
        Thread holder = tasks.holder();
        if (holder == null || info.getLockInfo() == null) {
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
        if (joined == System.identityHashCode(holder)) {
            return true;
        }
        for (Thread thread : watch.started()) {
            if (thread != holder && System.identityHashCode(thread) == joined) {
                Optional<ThreadInfo> other = ThreadWatch.info(thread);
                return other.isPresent()
                        && waits(other.get())
                        && other.get().getLockInfo() != null
                        && (other.get().getLockOwnerId() == holder.threadId()
                                || other.get()
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
