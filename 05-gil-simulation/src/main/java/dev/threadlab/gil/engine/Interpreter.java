package dev.threadlab.gil.engine;

import dev.threadlab.common.time.Sleeper;
import dev.threadlab.common.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import net.jcip.annotations.NotThreadSafe;
import net.jcip.annotations.ThreadSafe;

/**
 * A toy Python interpreter: it runs "Python threads" (real platform threads) whose code is a
 * sequence of CPU-bound bytecode ({@link PyThread#compute}) and blocking I/O ({@link PyThread#io}),
 * on a chosen {@link Gil}. The bytecode is {@link Work#spin}, run in chunks of
 * {@code bytecodesPerCheck} with the GIL's eval-breaker check between chunks, as CPython checks on
 * every loop back-edge.
 *
 * <pre>{@code
 * Interpreter python = new Interpreter(gil, Sleeper.real(), Ticker.system(), 200);
 * Interpreter.Run run = python.run(Map.of(
 *         "worker-1", py -> py.compute(50_000),
 *         "worker-2", py -> py.compute(50_000)));
 * }</pre>
 *
 * <p>Every thread is accounted for: {@link #run} starts them together, waits for all of them, and
 * reports each one's finish time and the chunks it ran, or throws naming each thread that failed.
 *
 * <p>Thread-safety: thread-safe; each {@link #run} uses its own threads.
 */
@ThreadSafe
public final class Interpreter {

    /** The code of one Python thread, run with that thread's {@link PyThread} handle. */
    @FunctionalInterface
    public interface PythonCode {
        /** @throws InterruptedException if interrupted while waiting for the GIL or in I/O */
        void run(PyThread py) throws InterruptedException;
    }

    /** How one Python thread ended: when (ns after the common start), and the work it did. */
    public record Finished(String name, long elapsedNanos, long checks, long value) {}

    /** A finished run: every thread's outcome, in the order they were given. */
    public record Run(List<Finished> threads) {

        /** @return wall time from the common start until the last thread finished, in ns */
        public long elapsedNanos() {
            return threads.stream().mapToLong(Finished::elapsedNanos).max().orElse(0);
        }

        /**
         * Finish-time fairness: the first finish time divided by the last, for threads given equal
         * work and started together. 1.0 when they finish together; 0.5 when one ran to the end
         * before the other started (a starved thread).
         */
        public double fairness() {
            long first =
                    threads.stream().mapToLong(Finished::elapsedNanos).min().orElse(0);
            long last = elapsedNanos();
            return last == 0 ? 1.0 : (double) first / last;
        }

        /** @return the outcome of the thread called {@code name} */
        public Finished thread(String name) {
            return threads.stream()
                    .filter(f -> f.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no thread called " + name));
        }
    }

    private final Gil gil;
    private final Sleeper sleeper;
    private final Ticker ticker;
    private final long bytecodesPerCheck;

    /**
     * @param gil               the GIL every thread of this interpreter shares
     * @param sleeper           how simulated I/O waits ({@link Sleeper#real()} in demos)
     * @param ticker            the clock finish times are measured with
     * @param bytecodesPerCheck the work between two eval-breaker checks, at least 1 ({@link Work#spin} steps)
     * @throws IllegalArgumentException if {@code bytecodesPerCheck < 1}
     */
    public Interpreter(Gil gil, Sleeper sleeper, Ticker ticker, long bytecodesPerCheck) {
        if (bytecodesPerCheck < 1) {
            throw new IllegalArgumentException("bytecodesPerCheck must be at least 1, was " + bytecodesPerCheck);
        }
        this.gil = Objects.requireNonNull(gil, "gil");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.bytecodesPerCheck = bytecodesPerCheck;
    }

    /** @return the GIL this interpreter runs on */
    public Gil gil() {
        return gil;
    }

    /**
     * Runs one Python thread per entry, all started at the same moment, and waits for all of them.
     *
     * @param threads thread name to code, run in the given order
     * @return each thread's outcome
     * @throws InterruptedException  if the caller is interrupted; the Python threads are then
     *                               interrupted and waited for before this returns
     * @throws IllegalStateException if a Python thread failed, naming each one that did
     */
    public Run run(Map<String, PythonCode> threads) throws InterruptedException {
        if (threads.isEmpty()) {
            throw new IllegalArgumentException("give at least one Python thread to run");
        }
        CountDownLatch start = new CountDownLatch(1);
        Map<String, Throwable> failures = new ConcurrentHashMap<>();
        Map<String, Finished> finished = new ConcurrentHashMap<>();
        long[] startNanos = new long[1];
        List<Thread> workers = new ArrayList<>();
        for (Map.Entry<String, PythonCode> entry : new LinkedHashMap<>(threads).entrySet()) {
            String name = entry.getKey();
            PythonCode code = entry.getValue();
            workers.add(Thread.ofPlatform().name(name).unstarted(() -> {
                PyThread py = new PyThread();
                try {
                    start.await();
                    gil.attach();
                    try {
                        code.run(py);
                    } finally {
                        gil.detach();
                    }
                    finished.put(name, new Finished(name, ticker.nanoTime() - startNanos[0], py.checks, py.value));
                } catch (Throwable t) {
                    failures.put(name, t);
                }
            }));
        }
        workers.forEach(Thread::start);
        startNanos[0] = ticker.nanoTime(); // published to the workers by the latch
        start.countDown();
        try {
            for (Thread worker : workers) {
                worker.join();
            }
        } catch (InterruptedException e) {
            workers.forEach(Thread::interrupt);
            for (Thread worker : workers) {
                joinUninterruptibly(worker);
            }
            throw e;
        }
        if (!failures.isEmpty()) {
            IllegalStateException failed = new IllegalStateException("Python thread(s) failed: "
                    + String.join(
                            ", ",
                            failures.entrySet().stream()
                                    .map(f -> f.getKey() + " (" + f.getValue() + ")")
                                    .toList()));
            failures.values().forEach(failed::addSuppressed);
            throw failed;
        }
        return new Run(threads.keySet().stream().map(finished::get).toList());
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException again) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One Python thread's handle on the interpreter: what its code can do. Confined to its thread.
     */
    @NotThreadSafe
    public final class PyThread {
        private long checks;
        private long value = 1;
        private final Runnable chunk = () -> value = Work.spin(value, bytecodesPerCheck);

        private PyThread() {}

        /**
         * Runs {@code turns} turns of the eval loop: each an eval-breaker check, then one chunk of
         * bytecode, holding the GIL.
         *
         * @throws InterruptedException if interrupted while the GIL changes hands
         */
        public void compute(long turns) throws InterruptedException {
            for (long i = 0; i < turns; i++) {
                gil.runBytecode(chunk);
                checks++;
            }
        }

        /**
         * Runs the same work as {@link #compute} without the GIL and without checks, as native code
         * that releases the GIL would (hashlib on a large buffer, a numpy ufunc).
         *
         * @throws InterruptedException if interrupted while taking the GIL back
         */
        public void computeWithoutGil(long turns) throws InterruptedException {
            gil.withoutGil(() -> value = Work.spin(value, turns * bytecodesPerCheck));
            checks += turns;
        }

        /**
         * Blocking I/O of {@code duration} (a simulated socket read or {@code time.sleep}), without
         * the GIL.
         *
         * @throws InterruptedException if interrupted during the I/O or while taking the GIL back
         */
        public void io(Duration duration) throws InterruptedException {
            gil.withoutGil(() -> sleeper.sleep(duration));
        }

        /** @return the time on the interpreter's clock, in ns */
        public long nanoTime() {
            return ticker.nanoTime();
        }
    }
}
