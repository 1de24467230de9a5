package dev.threadlab.multiprocessing.exercise;

import static org.awaitility.Awaitility.await;

import dev.threadlab.multiprocessing.pool.ChunkRunner;
import dev.threadlab.multiprocessing.pool.RemoteTaskException;
import dev.threadlab.multiprocessing.pool.TaskFailedException;
import dev.threadlab.multiprocessing.pool.TaskFailedException.Reason;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import net.jcip.annotations.GuardedBy;
import net.jcip.annotations.ThreadSafe;

/**
 * A {@link ChunkRunner} for grading a {@code map}: its chunks run nowhere, and it decides, not the
 * scheduler, in which order they finish, so every rule is checked the same way on every run.
 *
 * <ul>
 *   <li>A chunk's result is the square of each item; a chunk holding one of the {@code failing}
 *       items fails with a {@link TaskFailedException} (reason TASK_THREW).</li>
 *   <li>The chunks listed in {@code doneAtSubmit} are already finished when {@code submit} returns.</li>
 *   <li>Every other chunk finishes only while the thread that called {@code map} is waiting
 *       ({@link Thread.State#WAITING} or {@code TIMED_WAITING} on three polls in a row, 1 ms
 *       apart), one at a time, the last submitted first: the reverse of item order, as a slow
 *       first worker would make it.</li>
 * </ul>
 * What it records as {@link #violations() violations}, each naming the chunks submitted:
 * <ul>
 *   <li>the map waited for a chunk, then submitted another: it did not submit every chunk first
 *       (that chunk and every unfinished one fail with the violation, so such a map ends);</li>
 *   <li>the map stayed {@code RUNNABLE} for {@link #SPIN_LIMIT} with chunks unfinished, using
 *       the CPU: it spins instead of blocking (the unfinished
 *       chunks fail with the violation, so a map spinning on {@code isDone()} ends);</li>
 *   <li>once the map has ended, items that no chunk held.</li>
 * </ul>
 *
 * <p>Thread-safety: thread-safe. Create it on the thread that will call {@code map}; close it.
 * Its script thread ends at {@link #close()}, once it has failed the map, or when the calling
 * thread has ended: it never outlives the test.
 */
@ThreadSafe
final class ScriptedRunner implements ChunkRunner, AutoCloseable {

    /** How long the calling thread may run, with chunks unfinished and without waiting, before it counts as spinning. */
    static final Duration SPIN_LIMIT = Duration.ofSeconds(1);

    /**
     * The CPU time the calling thread must also have used over {@link #SPIN_LIMIT} to count as
     * spinning: a map that is merely descheduled on a loaded machine is RUNNABLE too, but uses none.
     */
    private static final Duration SPIN_CPU = Duration.ofMillis(50);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** One submitted chunk and its future. */
    record Submitted(int index, String task, List<Object> items, CompletableFuture<List<Object>> future) {}

    private final List<Integer> expectedItems;
    private final int chunkSize;
    private final int expectedChunks;
    private final Set<Object> failing;
    private final Set<Integer> doneAtSubmit;
    private final Thread caller = Thread.currentThread();
    private final Thread script;
    private volatile boolean closed;

    @GuardedBy("this")
    private final List<Submitted> submitted = new ArrayList<>();

    @GuardedBy("this")
    private final Map<Integer, TaskFailedException> failures = new LinkedHashMap<>();

    @GuardedBy("this")
    private final List<String> violations = new ArrayList<>();

    /** The chunks' items when the map first waited with chunks still to submit; null if it has not. */
    @GuardedBy("this")
    private List<List<Object>> submittedAtEarlyWait;

    /** Set once the map has broken a rule the script enforces: every later chunk fails with it. */
    @GuardedBy("this")
    private TaskFailedException broken;

    /**
     * @param items        the items a correct map submits
     * @param chunkSize    the chunk size it is given (below 1: nothing is expected)
     * @param failing      items whose task "throws"
     * @param doneAtSubmit indexes of the chunks that are finished when submitted
     */
    ScriptedRunner(List<Integer> items, int chunkSize, Set<Object> failing, Set<Integer> doneAtSubmit) {
        this.expectedItems = chunkSize < 1 ? List.of() : List.copyOf(items);
        this.chunkSize = chunkSize;
        this.expectedChunks = chunkSize < 1 ? 0 : chunks(items.size(), chunkSize);
        this.failing = Set.copyOf(failing);
        this.doneAtSubmit = Set.copyOf(doneAtSubmit);
        this.script = Thread.ofPlatform().name("scripted-runner").daemon(true).start(this::finishChunksWhileMapWaits);
    }

    /** A runner whose chunks all succeed and finish in reverse order. */
    static ScriptedRunner succeeding(List<Integer> items, int chunkSize) {
        return new ScriptedRunner(items, chunkSize, Set.of(), Set.of());
    }

    /** @return how many chunks of {@code items} items a map with this chunk size submits */
    static int chunks(int items, int chunkSize) {
        return (items + chunkSize - 1) / chunkSize;
    }

    /** @return the squares of {@code items}: what a map over this runner must return */
    static List<Object> squares(List<Integer> items) {
        return items.stream().<Object>map(i -> (long) i * i).toList();
    }

    /** @return items 1..n */
    static List<Integer> items(int n) {
        return IntStream.rangeClosed(1, n).boxed().toList();
    }

    @Override
    public synchronized CompletableFuture<List<Object>> submit(String task, List<?> items) {
        Submitted chunk = new Submitted(submitted.size(), task, new ArrayList<>(items), new CompletableFuture<>());
        submitted.add(chunk);
        if (submittedAtEarlyWait != null && broken == null) {
            breakWith("map waited for a chunk when it had submitted " + submittedAtEarlyWait.size() + " of its "
                    + expectedChunks + " chunks " + submittedAtEarlyWait + ", then submitted another: submit every chunk"
                    + " first, so that the workers run them at the same time");
        }
        if (broken != null) {
            chunk.future().completeExceptionally(broken);
        } else if (doneAtSubmit.contains(chunk.index())) {
            finish(chunk);
        }
        return chunk.future();
    }

    /** Records the violation and fails every unfinished chunk with it, so that the map ends. */
    @GuardedBy("this")
    private void breakWith(String violation) {
        violations.add(violation);
        broken = new TaskFailedException(Reason.WORKER_DIED, violation, -1, -1, null);
        unfinished().forEach(s -> s.future().completeExceptionally(broken));
    }

    /** @return every chunk submitted so far, in submission order */
    synchronized List<Submitted> submitted() {
        return List.copyOf(submitted);
    }

    /** @return the items of every chunk submitted so far, chunk by chunk */
    synchronized List<List<Object>> chunkItems() {
        return submitted.stream().map(Submitted::items).toList();
    }

    /** @return the chunks submitted but not finished */
    synchronized List<Submitted> unfinished() {
        return submitted.stream().filter(s -> !s.future().isDone()).toList();
    }

    /** @return the failure of chunk {@code index} */
    synchronized TaskFailedException failureOf(int index) {
        TaskFailedException failure = failures.get(index);
        if (failure == null) {
            throw new IllegalStateException("the script did not fail chunk " + index);
        }
        return failure;
    }

    /**
     * @return the rules the map broke while this runner watched, as sentences, in the order they
     *         broke; call it once the map has ended, since it also lists the items never submitted
     */
    synchronized List<String> violations() {
        List<String> all = new ArrayList<>(violations);
        Set<Object> sent = new HashSet<>();
        submitted.forEach(chunk -> sent.addAll(chunk.items()));
        List<Integer> missing = expectedItems.stream().filter(item -> !sent.contains(item)).toList();
        if (!missing.isEmpty()) {
            boolean lastShortChunk = missing.size() < chunkSize
                    && missing.equals(expectedItems.subList(expectedItems.size() - missing.size(), expectedItems.size()));
            all.add("items " + missing + " were never submitted" + (lastShortChunk ? " (the last, shorter chunk is missing?)"
                    : ": every item must be in a chunk") + "; map submitted " + chunkItems());
        }
        return all;
    }

    /** What the script does next. */
    private enum Step { FINISH_ONE, SPINNING, STOP }

    private void finishChunksWhileMapWaits() {
        while (true) {
            Step step = nextStep();
            synchronized (this) {
                if (step == Step.STOP || broken != null) {
                    return; // closed, the caller has ended, or the map is failed and has nothing to wait for
                }
                if (step == Step.SPINNING) {
                    breakWith("map is spinning; block on the futures (get/join) instead: it kept running for "
                            + SPIN_LIMIT.toMillis() + " ms with the chunks " + chunkItems() + " submitted and "
                            + unfinished().size() + " of them unfinished, without ever waiting");
                    return;
                }
                if (submitted.size() < expectedChunks && submittedAtEarlyWait == null) {
                    submittedAtEarlyWait = chunkItems(); // a violation if it submits again (it may have dropped the rest)
                }
            }
            List<Submitted> pending = unfinished();
            if (!pending.isEmpty()) {
                finish(pending.get(pending.size() - 1)); // outside the lock: the map's callbacks run here
            }
        }
    }

    /** Polls the calling thread, 1 ms apart, until it waits for a chunk, spins, or the script must stop. */
    private Step nextStep() {
        Step[] step = {null};
        int[] waitingPolls = {0};
        long[] runningSince = {-1, -1}; // nanoTime, CPU time
        await().pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).forever()
                .until(() -> {
                    if (closed || !caller.isAlive()) {
                        step[0] = Step.STOP;
                        return true;
                    }
                    Thread.State state = caller.getState();
                    boolean pending = !unfinished().isEmpty();
                    // Seen waiting on three polls in a row (2 ms or more): a real wait for a chunk, not
                    // a passing moment (a class being initialised by another thread also parks).
                    waitingPolls[0] = pending && (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                            ? waitingPolls[0] + 1 : 0;
                    if (waitingPolls[0] >= 3) {
                        step[0] = Step.FINISH_ONE;
                        return true;
                    }
                    if (state != Thread.State.RUNNABLE || !pending) {
                        runningSince[0] = -1;
                        return false;
                    }
                    if (runningSince[0] < 0) {
                        runningSince[0] = System.nanoTime();
                        runningSince[1] = cpuTimeOfCaller();
                        return false;
                    }
                    boolean longEnough = System.nanoTime() - runningSince[0] >= SPIN_LIMIT.toNanos();
                    long cpu = cpuTimeOfCaller();
                    boolean busy = cpu < 0 || runningSince[1] < 0 || cpu - runningSince[1] >= SPIN_CPU.toNanos();
                    if (longEnough && busy) {
                        step[0] = Step.SPINNING;
                        return true;
                    }
                    return false;
                });
        return step[0];
    }

    /** @return the calling thread's CPU time in ns, or -1 where the JVM cannot tell */
    private long cpuTimeOfCaller() {
        try {
            return THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(caller.threadId()) : -1;
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }

    private void finish(Submitted chunk) {
        for (int i = 0; i < chunk.items().size(); i++) {
            Object item = chunk.items().get(i);
            if (failing.contains(item)) {
                TaskFailedException failure = new TaskFailedException(Reason.TASK_THREW, chunk.task() + "(" + item
                        + ") threw java.lang.IllegalArgumentException: scripted failure of item " + item + " (chunk "
                        + chunk.index() + ", scripted runner)", -1, i,
                        new RemoteTaskException("java.lang.IllegalArgumentException", "scripted failure of item " + item, List.of()));
                synchronized (this) {
                    failures.put(chunk.index(), failure);
                }
                chunk.future().completeExceptionally(failure);
                return;
            }
        }
        chunk.future().complete(chunk.items().stream().<Object>map(i -> ((Number) i).longValue() * ((Number) i).longValue()).toList());
    }

    /** Stops the script, fails whatever is unfinished (so nothing waits forever), and joins the script thread. */
    @Override
    public void close() {
        closed = true;
        boolean interrupted = false;
        while (script.isAlive()) {
            try {
                script.join();
            } catch (InterruptedException e) {
                interrupted = true; // finish first: the script thread must not outlive the test
            }
        }
        unfinished().forEach(s -> s.future().cancel(false));
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
