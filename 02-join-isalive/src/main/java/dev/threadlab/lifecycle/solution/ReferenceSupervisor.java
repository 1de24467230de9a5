package dev.threadlab.lifecycle.solution;

import dev.threadlab.common.time.Ticker;
import dev.threadlab.lifecycle.exercise.Outcome;
import dev.threadlab.lifecycle.exercise.Supervisor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import net.jcip.annotations.NotThreadSafe;
import net.jcip.annotations.ThreadSafe;

/**
 * The reference solution of the supervisor exercise (spoilers). {@link #supervise} reads as the
 * algorithm; each step is a small method. The steps are {@code protected} for one reason: each of
 * the course's wrong-solution fixtures overrides exactly one of them, so the spec's self-check
 * proves it catches that one mistake.
 *
 * <p>Follows the JDK's own contracts: {@link Thread#join(Duration)} (does not wait when the
 * duration is zero or negative, returns whether the thread ended), JLS 17.4.4 (the end of a
 * thread synchronizes-with a {@code join} that sees it ended, so the worker's plain writes are
 * visible after {@code join}), and {@link java.util.concurrent.FutureTask}'s habit of catching
 * every {@code Throwable} of a task to hand it to whoever waits.
 *
 * <p>Thread-safety: a supervisor has no state of its own; many threads may call it at once.
 */
@ThreadSafe
public class ReferenceSupervisor implements Supervisor {

    @Override
    public final <T> List<Outcome<T>> supervise(List<Callable<T>> tasks, Duration timeout, Ticker ticker)
            throws InterruptedException {
        Objects.requireNonNull(tasks, "tasks");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(ticker, "ticker");
        tasks.forEach(task -> Objects.requireNonNull(task, "a task is null"));
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        long start = ticker.nanoTime(); // the deadline is fixed before anything runs
        long budget = nanosOf(timeout);
        LongSupplier nanosLeft = () -> budget - (ticker.nanoTime() - start);

        List<Worker<T>> workers = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            workers.add(new Worker<>(this, "worker-" + (i + 1), tasks.get(i)));
        }
        List<Thread> threads = workers.stream().map(Worker::thread).toList();
        startAll(threads); // all of them run before we wait for any
        try {
            awaitAll(threads, timeout, nanosLeft);
        } catch (InterruptedException callerWantsOut) {
            giveUp(threads.stream().filter(Thread::isAlive).toList());
            throw callerWantsOut;
        }
        List<Worker<T>> late =
                workers.stream().filter(w -> w.thread().isAlive()).toList();
        late.forEach(Worker::markCancelled);
        cancel(late.stream().map(Worker::thread).toList());
        return account(workers);
    }

    /**
     * Step 1, in each worker thread: runs the task and turns what it did into an outcome. An
     * exception thrown in a thread never reaches {@code join()}, so it is caught here and kept.
     */
    protected <T> Outcome<T> run(String worker, Callable<T> task) {
        try {
            return new Outcome.Finished<>(worker, task.call());
        } catch (Throwable failure) { // as FutureTask does: the waiter decides
            return new Outcome.Failed<>(worker, failure);
        }
    }

    /** Step 2: starts every worker, before waiting for any, so that they all run at once. */
    protected void startAll(List<Thread> workers) {
        workers.forEach(Thread::start);
    }

    /**
     * Step 3: waits for the workers in order, each for the time left until the one deadline.
     * {@code join(Duration)} returns at once when that time is zero or negative.
     *
     * @param timeout   the whole budget (the reference does not need it: the time left says all)
     * @param nanosLeft ns left until the shared deadline, by the ticker; negative once it passed
     */
    protected void awaitAll(List<Thread> workers, Duration timeout, LongSupplier nanosLeft)
            throws InterruptedException {
        for (Thread worker : workers) {
            worker.join(Duration.ofNanos(nanosLeft.getAsLong()));
        }
    }

    /**
     * Step 4: asks every late worker to stop, then waits until each has ended, so that no worker
     * outlives the supervisor. Interrupting them all first lets them stop in parallel. If the
     * supervisor itself is interrupted meanwhile, it still waits, and restores its interrupt flag.
     */
    protected void cancel(List<Thread> late) {
        late.forEach(Thread::interrupt);
        boolean interrupted = false;
        for (Thread worker : late) {
            while (worker.isAlive()) {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Step 4b: the caller was interrupted while waiting, so every worker still running is cancelled
     * the same way, before {@code supervise} rethrows: none outlives it, even when giving up.
     */
    protected void giveUp(List<Thread> running) {
        cancel(running);
    }

    /** Step 5: one outcome per worker, in task order; a late worker is cancelled, whatever it did. */
    protected <T> List<Outcome<T>> account(List<Worker<T>> workers) {
        return workers.stream()
                .map(w -> w.cancelled() ? new Outcome.Cancelled<T>(w.name()) : w.reported())
                .toList();
    }

    /** {@code timeout} in ns, saturated at {@link Long#MAX_VALUE} (~292 years) instead of overflowing. */
    private static long nanosOf(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * One task on its own platform thread. {@link #reported} is written by the worker thread and
     * read by the supervisor only after {@code join} saw the thread end: that join is the
     * happens-before edge that makes the plain field safe (JLS 17.4.4), no lock needed.
     *
     * @param <T> the task's result type
     */
    @NotThreadSafe
    protected static final class Worker<T> {
        private final String name;
        private final Thread thread;
        private Outcome<T> reported; // published to the supervisor by join()
        private boolean cancelled; // supervisor thread only

        Worker(ReferenceSupervisor steps, String name, Callable<T> task) {
            this.name = name;
            this.thread = Thread.ofPlatform().name(name).unstarted(() -> reported = steps.run(name, task));
        }

        /** @return the worker thread's name, {@code worker-N} */
        public String name() {
            return name;
        }

        /** @return the worker's thread */
        public Thread thread() {
            return thread;
        }

        /** @return what the task did; read only after the thread has ended */
        public Outcome<T> reported() {
            return reported;
        }

        /** @return true if the worker was still alive at the deadline and was interrupted */
        public boolean cancelled() {
            return cancelled;
        }

        void markCancelled() {
            cancelled = true;
        }
    }
}
