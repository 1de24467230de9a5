package dev.threadlab.multiprocessing.exercise;

import static org.awaitility.Awaitility.await;

import dev.threadlab.multiprocessing.pool.ChunkRunner;
import dev.threadlab.multiprocessing.pool.RemoteTaskException;
import dev.threadlab.multiprocessing.pool.TaskFailedException;
import dev.threadlab.multiprocessing.pool.TaskFailedException.Reason;
import java.time.Duration;
import java.util.ArrayList;
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
 *   <li>If that thread waits before it has submitted all the chunks, that is recorded as a
 *       {@link #violations() violation} and the pending chunks fail with it, so such a map ends.</li>
 * </ul>
 *
 * <p>Thread-safety: thread-safe. Create it on the thread that will call {@code map}; close it.
 */
@ThreadSafe
final class ScriptedRunner implements ChunkRunner, AutoCloseable {

    /** One submitted chunk and its future. */
    record Submitted(int index, String task, List<Object> items, CompletableFuture<List<Object>> future) {}

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

    /**
     * @param expectedChunks how many chunks a correct map submits
     * @param failing        items whose task "throws"
     * @param doneAtSubmit   indexes of the chunks that are finished when submitted
     */
    ScriptedRunner(int expectedChunks, Set<Object> failing, Set<Integer> doneAtSubmit) {
        this.expectedChunks = expectedChunks;
        this.failing = Set.copyOf(failing);
        this.doneAtSubmit = Set.copyOf(doneAtSubmit);
        this.script = Thread.ofPlatform().name("scripted-runner").start(this::finishChunksWhileMapWaits);
    }

    /** A runner whose chunks all succeed and finish in reverse order. */
    static ScriptedRunner succeeding(int expectedChunks) {
        return new ScriptedRunner(expectedChunks, Set.of(), Set.of());
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
        if (doneAtSubmit.contains(chunk.index())) {
            finish(chunk);
        }
        return chunk.future();
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

    /** @return rules the map broke while this runner watched, as sentences */
    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    private void finishChunksWhileMapWaits() {
        while (true) {
            int[] waitingPolls = {0};
            await().pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .atMost(Duration.ofMinutes(2))
                    .until(() -> {
                        // Seen waiting on three polls in a row (2 ms or more): a real wait for a chunk, not
                        // a passing moment (a class being initialised by another thread also parks).
                        waitingPolls[0] = callerWaits() && !unfinished().isEmpty() ? waitingPolls[0] + 1 : 0;
                        return closed || waitingPolls[0] >= 3;
                    });
            if (closed) {
                return;
            }
            List<Submitted> toFinish;
            synchronized (this) {
                List<Submitted> pending = unfinished();
                if (submitted.size() < expectedChunks) {
                    String violation = "map waited for a chunk when it had submitted " + submitted.size() + " of its "
                            + expectedChunks + " chunks: submit every chunk first, so that the workers run them at the same time";
                    violations.add(violation);
                    toFinish = List.of();
                    pending.forEach(s -> s.future().completeExceptionally(
                            new TaskFailedException(Reason.WORKER_DIED, violation, -1, -1, null)));
                } else {
                    toFinish = List.of(pending.get(pending.size() - 1));
                }
            }
            toFinish.forEach(this::finish); // outside the lock: the map's callbacks run here
        }
    }

    private boolean callerWaits() {
        Thread.State state = caller.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
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
