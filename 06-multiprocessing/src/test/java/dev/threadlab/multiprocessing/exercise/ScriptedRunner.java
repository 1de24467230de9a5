package dev.threadlab.multiprocessing.exercise;

import static org.awaitility.Awaitility.await;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.multiprocessing.pool.ChunkRunner;
import dev.threadlab.multiprocessing.pool.RemoteTaskException;
import dev.threadlab.multiprocessing.pool.TaskFailedException;
import dev.threadlab.multiprocessing.pool.TaskFailedException.Reason;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import net.jcip.annotations.ThreadSafe;

/**
 * A {@link ChunkRunner} for grading a {@code map}: its chunks run on scripted "workers", and it
 * decides, not the scheduler, when each try of a chunk ends and how, so every rule is checked the
 * same way on every run.
 *
 * <ul>
 *   <li>A chunk's result is the square of each item. A chunk holding one of the {@code throwing}
 *       items fails with a {@link TaskFailedException} (reason TASK_THREW); one holding a
 *       {@code dying} item fails with reason WORKER_DIED on each of its first {@code deaths}
 *       tries (a later try of it succeeds).</li>
 *   <li>The first tries listed in {@code doneAtSubmit} (by submission number) have ended when
 *       {@code submit} returns.</li>
 *   <li>Every other try keeps its worker busy until the script ends it, and the script ends one
 *       only while the map's thread is waiting ({@link Thread.State#WAITING} or
 *       {@code TIMED_WAITING} on three polls in a row, 1 ms apart), one at a time, the last
 *       submitted first: the reverse of item order, as a slow first worker would make it. A try
 *       ends before its future is completed. Cancelling its future, or completing it from
 *       outside, does not end it: the worker goes on, as a real worker JVM would.</li>
 *   <li>Once the map has ended ({@link #mapEnded}), the script ends nothing more: whatever is
 *       still running then was running when the map returned or threw.</li>
 * </ul>
 * What it records as {@link #violations() violations}, each naming the chunks:
 * <ul>
 *   <li>the map waited for a chunk, then submitted another that is not an allowed retry: it did
 *       not submit every chunk first;</li>
 *   <li>a chunk submitted again when its last try did not end because its worker died (it
 *       succeeded, its task threw, or it was still running), or more than
 *       {@link PoolMap#MAX_RETRIES} times;</li>
 *   <li>the map stayed {@code RUNNABLE} for {@link #SPIN_LIMIT} with tries unfinished, using the
 *       CPU: it spins instead of blocking;</li>
 *   <li>once the map has ended: tries still running, and items that no chunk held.</li>
 * </ul>
 * After the first of the first three, the runner stops the map: every running try fails with a
 * {@link Reason#POOL_CLOSED} failure that states the violation, and {@code submit} throws
 * {@link IllegalStateException} (a closed runner), so even a map that retries forever ends.
 *
 * <p>Thread-safety: thread-safe. Tell it the map's thread ({@link #callerIs}) before that thread
 * starts; close it. Its script thread ends at {@link #close()}, or once the map's thread has ended.
 */
@ThreadSafe
final class ScriptedRunner implements ChunkRunner, AutoCloseable, MapCall.Watched {

    /** How long the map's thread may run, with tries unfinished and without waiting, before it counts as spinning. */
    static final Duration SPIN_LIMIT = Duration.ofSeconds(1);

    /**
     * The CPU time the map's thread must also have used over {@link #SPIN_LIMIT} to count as
     * spinning: a map that is merely descheduled on a loaded machine is RUNNABLE too, but uses none.
     */
    private static final Duration SPIN_CPU = Duration.ofMillis(50);

    /** Deaths that never stop: every try of a dying chunk fails. */
    static final int FOREVER = Integer.MAX_VALUE;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** One try of a chunk, as submitted: {@code attempt} is 1 for the first try of these items. */
    record Job(int number, String task, List<Object> items, int attempt, CompletableFuture<List<Object>> future) {}

    /** How the script ends a try: with results, or with a failure. */
    private record Ending(Job job, List<Object> results, TaskFailedException failure) {
        void apply() {
            if (failure != null) {
                job.future().completeExceptionally(failure);
            } else {
                job.future().complete(results);
            }
        }
    }

    private final List<Integer> expectedItems;
    private final int chunkSize;
    private final int expectedChunks;
    private final Set<Object> throwing;
    private final Set<Object> dying;
    private final int deaths;
    private final Set<Integer> doneAtSubmit;
    private final long createdAt = System.nanoTime();
    private volatile Thread caller;
    private volatile Thread script;
    private volatile boolean closed;

    @GuardedBy("this")
    private final List<Job> jobs = new ArrayList<>();

    /** Numbers of the tries whose worker is done with them. */
    @GuardedBy("this")
    private final Set<Integer> ended = new HashSet<>();

    /** The failure each failed try ended with, by its number. */
    @GuardedBy("this")
    private final Map<Integer, TaskFailedException> failures = new HashMap<>();

    @GuardedBy("this")
    private final List<String> violations = new ArrayList<>();

    /** When the last running try ended (nanoTime); while one runs, meaningless. */
    @GuardedBy("this")
    private long lastEnded = createdAt;

    /** The chunks' items when the map first waited with chunks still to submit; null if it has not. */
    @GuardedBy("this")
    private List<List<Object>> submittedAtEarlyWait;

    /** Set once the map has broken a rule the script enforces: the runner is closed to it. */
    @GuardedBy("this")
    private TaskFailedException broken;

    @GuardedBy("this")
    private boolean mapEnded;

    /**
     * @param items        the items a correct map submits
     * @param chunkSize    the chunk size it is given (below 1: nothing is expected)
     * @param throwing     items whose task "throws"
     * @param dying        items whose worker "dies" while running them
     * @param deaths       how many tries of a chunk with a dying item die ({@link #FOREVER}: all)
     * @param doneAtSubmit numbers of the submissions that have ended when {@code submit} returns
     */
    ScriptedRunner(
            List<Integer> items,
            int chunkSize,
            Set<Object> throwing,
            Set<Object> dying,
            int deaths,
            Set<Integer> doneAtSubmit) {
        this.expectedItems = chunkSize < 1 ? List.of() : List.copyOf(items);
        this.chunkSize = chunkSize;
        this.expectedChunks = chunkSize < 1 ? 0 : chunks(items.size(), chunkSize);
        this.throwing = Set.copyOf(throwing);
        this.dying = Set.copyOf(dying);
        this.deaths = deaths;
        this.doneAtSubmit = Set.copyOf(doneAtSubmit);
    }

    /** A runner whose chunks all succeed and finish in reverse order. */
    static ScriptedRunner succeeding(List<Integer> items, int chunkSize) {
        return new ScriptedRunner(items, chunkSize, Set.of(), Set.of(), 0, Set.of());
    }

    /** A runner whose chunks holding a {@code throwing} item fail with TASK_THREW. */
    static ScriptedRunner throwing(
            List<Integer> items, int chunkSize, Set<Object> throwing, Set<Integer> doneAtSubmit) {
        return new ScriptedRunner(items, chunkSize, throwing, Set.of(), 0, doneAtSubmit);
    }

    /** A runner whose worker dies on the first {@code deaths} tries of the chunk holding {@code item}. */
    static ScriptedRunner dying(List<Integer> items, int chunkSize, int item, int deaths) {
        return new ScriptedRunner(items, chunkSize, Set.of(), Set.of(item), deaths, Set.of());
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

    /** Starts the script, watching {@code mapThread}; call it before that thread starts. */
    @Override
    public void callerIs(Thread mapThread) {
        caller = mapThread;
        script = Thread.ofPlatform().name("scripted-runner").daemon(true).start(this::endTriesWhileMapWaits);
    }

    @Override
    public CompletableFuture<List<Object>> submit(String task, List<?> items) {
        List<Ending> endings = new ArrayList<>();
        Job job;
        synchronized (this) {
            if (broken != null) {
                throw new IllegalStateException(
                        "the scripted runner is closed: the map broke a rule (" + violations.get(0) + ")");
            }
            List<Object> copy = new ArrayList<>(items);
            List<Job> earlier =
                    jobs.stream().filter(j -> j.items().equals(copy)).toList();
            job = new Job(jobs.size(), task, copy, earlier.size() + 1, new ObservedFuture<>());
            jobs.add(job);
            String violation =
                    earlier.isEmpty() ? firstTryViolation() : retryViolation(job, earlier.get(earlier.size() - 1));
            if (violation != null) {
                endings.addAll(breakWith(ruleOf(violation, earlier.isEmpty()), violation));
            } else if (doneAtSubmit.contains(job.number())) {
                endings.add(end(job));
            }
        }
        endings.forEach(Ending::apply); // outside the lock: the map's callbacks run here
        return job.future();
    }

    /**
     * @return the rule of exercise 06.2 that states the mistake: 2, submitting after a wait (a first
     *         try); 4, retrying a chunk whose task threw; 6, any other retry
     */
    private static int ruleOf(String violation, boolean firstTry) {
        if (firstTry) {
            return 2;
        }
        return violation.contains(" again after it failed with ") ? 4 : 6;
    }

    @GuardedBy("this")
    private String firstTryViolation() {
        if (submittedAtEarlyWait == null) {
            return null;
        }
        return "map waited for a chunk when it had submitted " + submittedAtEarlyWait.size() + " of its "
                + expectedChunks + " chunks " + submittedAtEarlyWait + ", then submitted another: submit every chunk"
                + " first, so that the workers run them at the same time";
    }

    @GuardedBy("this")
    private String retryViolation(Job job, Job previous) {
        String chunk = "chunk " + job.items();
        if (!ended.contains(previous.number())) {
            return "map submitted " + chunk + " again while its previous try was still running on a worker"
                    + (previous.future().isCancelled()
                            ? " (map had cancelled its future, which does not stop the worker)"
                            : "")
                    + ": submit a chunk again only once its try has ended with its worker's death (WORKER_DIED)";
        }
        TaskFailedException failure = failures.get(previous.number());
        if (failure == null) {
            return "map submitted " + chunk + " again although its previous try had succeeded: submit each chunk once,"
                    + " and again only when its worker died (WORKER_DIED)";
        }
        if (failure.reason() != Reason.WORKER_DIED) {
            return "map submitted " + chunk + " again after it failed with " + failure.reason() + " ("
                    + failure.getMessage()
                    + "): only a chunk whose worker died (reason WORKER_DIED) may be retried; a task that threw would"
                    + " throw again. Throw that chunk's TaskFailedException instead";
        }
        if (job.attempt() > PoolMap.MAX_RETRIES + 1) {
            return "map submitted " + chunk + " a " + ordinal(job.attempt()) + " time: its worker died on each of its "
                    + (job.attempt() - 1) + " tries, and a chunk may be retried at most " + PoolMap.MAX_RETRIES
                    + " times (PoolMap.MAX_RETRIES): after its last try, throw that try's TaskFailedException";
        }
        return null;
    }

    private static String ordinal(int n) {
        String suffix = n % 100 >= 11 && n % 100 <= 13
                ? "th"
                : switch (n % 10) {
                    case 1 -> "st";
                    case 2 -> "nd";
                    case 3 -> "rd";
                    default -> "th";
                };
        return n + suffix;
    }

    /** Records the violation and closes the runner to the map: every running try fails with it. */
    @GuardedBy("this")
    private List<Ending> breakWith(int rule, String violation) {
        violations.add(Grading.mistakeOfRule(rule, violation));
        broken = new TaskFailedException(
                Reason.POOL_CLOSED, "the scripted runner stopped this map: " + violation, -1, -1, null);
        List<Ending> endings = new ArrayList<>();
        for (Job job : jobs) {
            if (!ended.contains(job.number())) {
                ended.add(job.number());
                failures.put(job.number(), broken);
                endings.add(new Ending(job, null, broken));
            }
        }
        lastEnded = System.nanoTime();
        return endings;
    }

    /** Ends a try the way the script says: its worker is done with it from now on. */
    @GuardedBy("this")
    private Ending end(Job job) {
        ended.add(job.number());
        lastEnded = System.nanoTime();
        for (int i = 0; i < job.items().size(); i++) {
            Object item = job.items().get(i);
            if (throwing.contains(item)) {
                TaskFailedException failure = new TaskFailedException(
                        Reason.TASK_THREW,
                        job.task() + "(" + item
                                + ") threw java.lang.IllegalArgumentException: scripted failure of item " + item
                                + " (try "
                                + job.number() + ", scripted runner)",
                        -1,
                        i,
                        new RemoteTaskException(
                                "java.lang.IllegalArgumentException", "scripted failure of item " + item, List.of()));
                failures.put(job.number(), failure);
                return new Ending(job, null, failure);
            }
        }
        if (job.attempt() <= deaths && job.items().stream().anyMatch(dying::contains)) {
            long pid = 40_000 + job.number();
            TaskFailedException failure = new TaskFailedException(
                    Reason.WORKER_DIED,
                    job.task() + " on " + job.items()
                            + " failed: worker pid " + pid
                            + " died with exit code 137 (killed by signal 9, SIGKILL) while running"
                            + " it (try " + job.attempt() + " of this chunk, scripted runner)",
                    pid,
                    -1,
                    null);
            failures.put(job.number(), failure);
            return new Ending(job, null, failure);
        }
        return new Ending(
                job,
                job.items().stream()
                        .<Object>map(i -> ((Number) i).longValue() * ((Number) i).longValue())
                        .toList(),
                null);
    }

    /** @return every try submitted so far, in submission order */
    synchronized List<Job> submitted() {
        return List.copyOf(jobs);
    }

    /** @return the items of every try submitted so far, in submission order */
    synchronized List<List<Object>> chunkItems() {
        return jobs.stream().map(Job::items).toList();
    }

    /** @return the tries whose worker has not ended them */
    private synchronized List<Job> running() {
        List<Job> running = new ArrayList<>(); // a loop, not a stream: GuardedBy sees `ended` read under the lock
        for (Job job : jobs) {
            if (!ended.contains(job.number())) {
                running.add(job);
            }
        }
        return running;
    }

    /** @return the failure of the last try of the chunk holding {@code items}, or null if it did not fail */
    /**
     * @return whether the map looked at the outcome of any try of the chunk of {@code items}
     *         ({@link ObservedFuture}): waited for it, read it, or chained something on it
     */
    synchronized boolean lookedAt(List<?> items) {
        return jobs.stream()
                .filter(job -> job.items().equals(items))
                .anyMatch(job -> job.future() instanceof ObservedFuture<?> f && f.observed());
    }

    synchronized TaskFailedException lastFailureOf(List<?> items) {
        Job last = null;
        for (Job job : jobs) {
            if (job.items().equals(items)) {
                last = job;
            }
        }
        if (last == null) {
            throw new IllegalStateException("no chunk " + items + " was submitted");
        }
        return failures.get(last.number());
    }

    /** @return how many times the chunk holding {@code items} was submitted */
    synchronized int triesOf(List<?> items) {
        return (int) jobs.stream().filter(j -> j.items().equals(items)).count();
    }

    @Override
    public synchronized long quietSince() {
        return running().isEmpty() ? lastEnded : -1;
    }

    /**
     * Called once the map has returned or thrown: from now on the script ends no try, and the
     * tries still running are recorded as a violation.
     *
     * @param how "returned" or "threw ..."
     */
    synchronized void mapEnded(String how) {
        mapEnded = true;
        List<Job> stillRunning = running();
        if (stillRunning.isEmpty()) {
            return;
        }
        StringBuilder which = new StringBuilder();
        for (Job job : stillRunning) {
            which.append(which.isEmpty() ? "" : ", ")
                    .append(job.items())
                    .append(
                            job.future().isCancelled()
                                    ? " (its future cancelled by map)"
                                    : job.future().isDone()
                                            ? " (its future completed by map itself)"
                                            : " (never waited for)");
        }
        boolean cancelled = stillRunning.stream().anyMatch(j -> j.future().isDone());
        violations.add(Grading.mistakeOfRule(
                8,
                "map " + how + " while " + stillRunning.size() + " of its " + jobs.size() + " chunks were still"
                        + " running on workers: " + which + "."
                        + (cancelled
                                ? " Cancelling a chunk's future (or completing it yourself) does not stop the worker"
                                        + " computing it."
                                : "")
                        + " Every task must be accounted for before map ends: wait until every chunk's future has been"
                        + " completed by the runner, then throw the earliest failure"));
    }

    /**
     * @return the rules the map broke while this runner watched, as sentences, in the order they
     *         broke; call it once the map has ended, since it also lists the items never submitted
     */
    synchronized List<String> violations() {
        List<String> all = new ArrayList<>(violations);
        Set<Object> sent = new HashSet<>();
        jobs.forEach(job -> sent.addAll(job.items()));
        List<Integer> missing =
                expectedItems.stream().filter(item -> !sent.contains(item)).toList();
        if (!missing.isEmpty()) {
            boolean lastShortChunk = missing.size() < chunkSize
                    && missing.equals(
                            expectedItems.subList(expectedItems.size() - missing.size(), expectedItems.size()));
            all.add(Grading.mistakeOfRule(
                    1,
                    "items " + missing + " were never submitted"
                            + (lastShortChunk
                                    ? " (the last, shorter chunk is missing?)"
                                    : ": every item must be in a chunk")
                            + "; map submitted " + chunkItems()));
        }
        return all;
    }

    /** What the script does next. */
    private enum Step {
        END_ONE,
        SPINNING,
        STOP
    }

    private void endTriesWhileMapWaits() {
        while (true) {
            Step step = nextStep();
            List<Ending> endings = new ArrayList<>();
            synchronized (this) {
                if (step == Step.STOP || broken != null || mapEnded) {
                    return; // closed, the map ended, or it is stopped and has nothing to wait for
                }
                if (step == Step.SPINNING) {
                    endings.addAll(breakWith(
                            2,
                            "map is spinning; block on the futures (get/join) instead: it kept running"
                                    + " for " + SPIN_LIMIT.toMillis() + " ms with the chunks " + chunkItems()
                                    + " submitted and "
                                    + running().size() + " of them unfinished, without ever waiting"));
                } else {
                    if (firstTries() < expectedChunks && submittedAtEarlyWait == null) {
                        submittedAtEarlyWait =
                                chunkItems(); // a violation if it submits again (it may have dropped the rest)
                    }
                    List<Job> pending = running();
                    if (!pending.isEmpty()) {
                        endings.add(end(pending.get(pending.size() - 1)));
                    }
                }
            }
            endings.forEach(Ending::apply); // outside the lock: the map's callbacks run here
            if (step == Step.SPINNING) {
                return;
            }
        }
    }

    @GuardedBy("this")
    private long firstTries() {
        return jobs.stream().filter(j -> j.attempt() == 1).count();
    }

    /** Polls the map's thread, 1 ms apart, until it waits for a try, spins, or the script must stop. */
    private Step nextStep() {
        Step[] step = {null};
        int[] waitingPolls = {0};
        long[] runningSince = {-1, -1}; // nanoTime, CPU time
        Thread mapThread = caller;
        await().pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .forever()
                .until(() -> {
                    if (closed || mapThread.getState() == Thread.State.TERMINATED) {
                        step[0] = Step.STOP;
                        return true;
                    }
                    Thread.State state = mapThread.getState();
                    boolean pending = !running().isEmpty();
                    // Seen waiting on three polls in a row (2 ms or more): a real wait for a chunk, not
                    // a passing moment (a class being initialised by another thread also parks).
                    waitingPolls[0] = pending && (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                            ? waitingPolls[0] + 1
                            : 0;
                    if (waitingPolls[0] >= 3) {
                        step[0] = Step.END_ONE;
                        return true;
                    }
                    if (state != Thread.State.RUNNABLE || !pending) {
                        runningSince[0] = -1;
                        return false;
                    }
                    if (runningSince[0] < 0) {
                        runningSince[0] = System.nanoTime();
                        runningSince[1] = cpuTimeOf(mapThread);
                        return false;
                    }
                    boolean longEnough = System.nanoTime() - runningSince[0] >= SPIN_LIMIT.toNanos();
                    long cpu = cpuTimeOf(mapThread);
                    boolean busy = cpu < 0 || runningSince[1] < 0 || cpu - runningSince[1] >= SPIN_CPU.toNanos();
                    if (longEnough && busy) {
                        step[0] = Step.SPINNING;
                        return true;
                    }
                    return false;
                });
        return step[0];
    }

    /** @return the thread's CPU time in ns, or -1 where the JVM cannot tell */
    private static long cpuTimeOf(Thread thread) {
        try {
            return THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(thread.threadId()) : -1;
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }

    /** Stops the script, fails whatever is unfinished (so nothing waits forever), and joins the script thread. */
    @Override
    public void close() {
        closed = true;
        boolean interrupted = false;
        Thread scriptThread = script;
        while (scriptThread != null && scriptThread.isAlive()) {
            try {
                scriptThread.join();
            } catch (InterruptedException e) {
                interrupted = true; // finish first: the script thread must not outlive the test
            }
        }
        running().forEach(job -> job.future().cancel(false));
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
