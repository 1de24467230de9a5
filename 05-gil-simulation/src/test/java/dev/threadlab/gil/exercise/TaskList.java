package dev.threadlab.gil.exercise;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import net.jcip.annotations.ThreadSafe;

/**
 * The tasks {@code OneAtATimeSpec} gives {@code runAll}: task {@code i} records each run (on which
 * thread), and whether it started while another task was still running. Optionally one task (task
 * 0, or the first to start) is held inside: it waits on a gate until {@link #release()}, so the rule
 * can look at the other threads while that task certainly runs; or every task is held, each until
 * the rule lets its thread go ({@link Holds}). The first task to start may throw (whichever it is,
 * so that the other tasks all come after it).
 */
@ThreadSafe
final class TaskList {

    /** One run of one task. */
    record Run(int task, Thread thread, boolean virtual, ThreadGroup group) {}

    /** {@link #hold} for no task held. */
    private static final int NONE = -2;

    /** {@link #hold} for the first task to start, whichever it is. */
    private static final int FIRST = -1;

    private final int size;
    /** Whether the first task to start throws (after its hold, if it is held). */
    private final boolean firstThrows;
    /** Holds every task, each until released there; or null. */
    private final Holds holds;
    /** Which task is held inside until {@link #release()}: a task's number, {@link #FIRST} or {@link #NONE}. */
    private final int hold;

    private final List<Run> runs = new CopyOnWriteArrayList<>();
    private final AtomicIntegerArray finished;
    private final AtomicInteger inside = new AtomicInteger();
    private final Map<Integer, Thread> running = new ConcurrentHashMap<>();
    private final AtomicReference<String> overlap = new AtomicReference<>();
    private final AtomicBoolean firstStarted = new AtomicBoolean();
    private final CountDownLatch gate = new CountDownLatch(1);
    private volatile Thread holder;
    private volatile int held = -1;
    private volatile int first = -1;

    private TaskList(int size, int hold, boolean firstThrows, Holds holds) {
        this.size = size;
        this.hold = hold;
        this.firstThrows = firstThrows;
        this.holds = holds;
        this.finished = new AtomicIntegerArray(size);
    }

    /** {@code size} tasks; the first one to start waits inside until {@link #release()}. */
    static TaskList holdingTheFirst(int size) {
        return new TaskList(size, FIRST, false, null);
    }

    /** {@code size} tasks that return at once. */
    static TaskList plain(int size) {
        return new TaskList(size, NONE, false, null);
    }

    /** {@code size} tasks that return at once, except the first one to start, which throws. */
    static TaskList firstThrows(int size) {
        return new TaskList(size, NONE, true, null);
    }

    /**
     * {@code size} tasks that return at once, except the first one to start, which waits inside
     * until {@link #release()}, then throws.
     */
    static TaskList firstHeldThenThrows(int size) {
        return new TaskList(size, FIRST, true, null);
    }

    /** {@code size} tasks, each held inside ("running task 2") until {@code holds} lets its thread go. */
    static TaskList eachHeld(int size, Holds holds) {
        return new TaskList(size, NONE, false, holds);
    }

    /** The message of what the first task of {@link #firstThrows} throws. */
    static final String FAILS_ON_PURPOSE =
            "this task fails on purpose (the grading checks that a task that throws stops nothing else)";

    /** @return the tasks, to give to runAll */
    List<Runnable> tasks() {
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int task = i;
            tasks.add(() -> run(task));
        }
        return List.copyOf(tasks);
    }

    private void run(int task) {
        Thread me = Thread.currentThread();
        runs.add(new Run(task, me, me.isVirtual(), me.getThreadGroup()));
        if (inside.getAndIncrement() > 0) {
            String other = running.entrySet().stream()
                    .filter(e -> e.getKey() != task)
                    .findFirst()
                    .map(e -> "task " + e.getKey() + " was still running on \""
                            + e.getValue().getName() + "\""
                            + (e.getKey() == held ? " (where the grading holds it)" : ""))
                    .orElse("another task was still running");
            overlap.compareAndSet(null, "task " + task + " started on \"" + me.getName() + "\" while " + other);
        }
        running.put(task, me);
        try {
            boolean isFirst = firstStarted.compareAndSet(false, true);
            if (isFirst) {
                first = task;
            }
            if (hold == task || (hold == FIRST && isFirst)) {
                held = task;
                holder = me;
                inGate = true;
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    me.interrupt(); // the rule is over: end the task, keep the flag
                } finally {
                    inGate = false;
                }
            }
            if (holds != null) {
                holds.hold("running task " + task);
            }
            if (firstThrows && isFirst) {
                throw new IllegalStateException(FAILS_ON_PURPOSE);
            }
        } finally {
            running.remove(task);
            inside.decrementAndGet();
            finished.incrementAndGet(task);
        }
    }

    /** Whether the held task's thread is in the gate (let go or not). */
    private volatile boolean inGate;

    /**
     * @return whether the held task was let go but its thread has not left the gate yet: it still
     *         looks waiting, but it certainly goes on
     */
    boolean letGoButNotGoneYet() {
        return inGate && gate.getCount() == 0;
    }

    /** Lets the held task end. */
    void release() {
        gate.countDown();
    }

    /** @return the thread of the held task, or null while no task has started */
    Thread holder() {
        return holder;
    }

    /** @return the held task, or -1 */
    int held() {
        return held;
    }

    /** @return the first task that started (the one that throws, if one does), or -1 */
    int first() {
        return first;
    }

    /** @return how many tasks there are */
    int size() {
        return size;
    }

    /** @return "task 1 started on … while task 0 was still running on …" the first time two ran at once, else null */
    String overlap() {
        return overlap.get();
    }

    /** @return every run so far, in the order they started */
    List<Run> runs() {
        return List.copyOf(runs);
    }

    /** @return whether every task has run to its end at least once */
    boolean allFinished() {
        for (int i = 0; i < size; i++) {
            if (finished.get(i) == 0) {
                return false;
            }
        }
        return true;
    }

    /** @return how many tasks have not finished yet */
    int unfinished() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (finished.get(i) == 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * @param except a task to leave out (the one that threw), or -1
     * @return the tasks that have not run at all, e.g. "tasks 1, 2" or "task 3", or null if every task ran
     */
    String neverRan(int except) {
        Set<Integer> never = new TreeSet<>();
        for (int i = 0; i < size; i++) {
            if (i != except) {
                never.add(i);
            }
        }
        runs.forEach(r -> never.remove(r.task()));
        if (never.isEmpty()) {
            return null;
        }
        return (never.size() == 1 ? "task " : "tasks ")
                + never.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** @return the first task that ran more than once: "task 0 ran 3 times (on …)", or null */
    String ranMoreThanOnce() {
        for (int i = 0; i < size; i++) {
            int task = i;
            List<Run> of = runs.stream().filter(r -> r.task() == task).toList();
            if (of.size() > 1) {
                Set<String> on = new LinkedHashSet<>();
                of.forEach(r -> on.add("\"" + r.thread().getName() + "\""));
                return "task " + task + " ran " + of.size() + " times (on " + String.join(", ", on) + ")";
            }
        }
        return null;
    }

    /** @return the distinct threads the tasks ran on */
    Set<Thread> threads() {
        Set<Thread> threads = new LinkedHashSet<>();
        runs.forEach(r -> threads.add(r.thread()));
        return threads;
    }

    /**
     * @return the first run on a thread the rule cannot count as one of runAll's threads, as the
     *         broken rule: on the caller itself, on a virtual thread, or outside the watched group
     *         (a pool runAll did not start, such as the common pool); null if there is none
     */
    String ranWhereItMayNot(Thread caller, ThreadGroup watched) {
        for (Run run : runs) {
            if (run.thread() == caller) {
                return "task " + run.task() + " ran on the thread that called runAll (\"" + caller.getName()
                        + "\"): run every task on the threads runAll starts (thread.start(), not thread.run()"
                        + " or task.run() in runAll itself)";
            }
            if (run.virtual()) {
                return "task " + run.task() + " ran on a virtual thread: start platform threads (new Thread(...),"
                        + " Thread.ofPlatform(), Executors.newFixedThreadPool), which the grading can watch";
            }
            if (run.group() != watched) {
                return "task " + run.task() + " ran on \"" + run.thread().getName() + "\", a thread runAll did not"
                        + " start (a parallel stream or CompletableFuture runs on the common pool): start the threads"
                        + " yourself";
            }
        }
        return null;
    }
}
