package dev.threadlab.gil.engine;

import dev.threadlab.common.time.Sleeper;
import dev.threadlab.common.time.Ticker;
import dev.threadlab.gil.engine.Interpreter.Run;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The experiments of this module, each one run of the toy interpreter, shared by the demos (one run
 * each) and the benchmark (warm-up and repetitions). Each mirrors one of the shipped Python
 * originals in {@code src/main/python/}.
 *
 * <p>Thread-safety: stateless; each call uses its own threads.
 */
public final class Experiments {

    /** Work between two eval-breaker checks: 1000 {@link Work#spin} steps, about 1.5 µs on an idle core. */
    public static final long BYTECODES_PER_CHECK = 1_000;

    private static volatile long sink;

    private Experiments() {}

    /**
     * {@code cpu_bound.py --mode threads}: two CPU-bound Python threads, {@code turns} eval-loop
     * turns each, started together.
     */
    public static Run twoCpuBoundThreads(Gil gil, long turns, long bytecodesPerCheck) throws InterruptedException {
        Map<String, Interpreter.PythonCode> threads = new LinkedHashMap<>();
        threads.put("worker-1", py -> py.compute(turns));
        threads.put("worker-2", py -> py.compute(turns));
        return interpreter(gil, bytecodesPerCheck).run(threads);
    }

    /** {@code cpu_bound.py --mode sequential}: the same work as {@link #twoCpuBoundThreads}, on one thread. */
    public static Run oneThreadDoingBoth(Gil gil, long turns, long bytecodesPerCheck) throws InterruptedException {
        return interpreter(gil, bytecodesPerCheck).run(Map.of("main", py -> py.compute(2 * turns)));
    }

    /** Where the convoy experiment's CPU-bound neighbour runs. */
    public enum Neighbour {
        /** No CPU-bound thread: the I/O thread alone. */
        NONE("alone"),
        /** A CPU-bound Python thread in the same interpreter, holding the GIL while it computes. */
        IN_INTERPRETER("beside a CPU-bound thread"),
        /** The same work done without the GIL, as native code that releases it (hashlib, numpy). */
        OUTSIDE_INTERPRETER("beside CPU-bound work outside the interpreter");

        private final String description;

        Neighbour(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /**
     * {@code convoy.py}: an I/O-bound thread serves requests (blocking I/O of {@code ioWait}, then
     * {@code handleTurns} turns of bytecode) for {@code window}, beside a CPU-bound neighbour or not.
     * This is the shape of bpo-7946 (CPython's "convoy effect" report, 2010).
     *
     * @return the I/O thread's requests per second
     */
    public static double convoyRequestsPerSecond(
            Gil gil, Neighbour neighbour, Duration window, Duration ioWait, long handleTurns, long bytecodesPerCheck)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong requests = new AtomicLong();
        Map<String, Interpreter.PythonCode> threads = new LinkedHashMap<>();
        threads.put("io-thread", py -> {
            long end = py.nanoTime() + window.toNanos();
            try {
                while (py.nanoTime() < end) {
                    py.io(ioWait); // recv(): blocks without the GIL
                    py.compute(handleTurns); // handle the request: needs the GIL
                    requests.incrementAndGet();
                }
            } finally {
                stop.set(true);
            }
        });
        if (neighbour != Neighbour.NONE) {
            threads.put("cpu-thread", py -> {
                while (!stop.get()) {
                    if (neighbour == Neighbour.IN_INTERPRETER) {
                        py.compute(100);
                    } else {
                        py.computeWithoutGil(100);
                    }
                }
            });
        }
        Run run = interpreter(gil, bytecodesPerCheck).run(threads);
        return requests.get() / (run.thread("io-thread").elapsedNanos() / 1e9);
    }

    private static Interpreter interpreter(Gil gil, long bytecodesPerCheck) {
        return new Interpreter(gil, Sleeper.real(), Ticker.system(), bytecodesPerCheck);
    }

    /**
     * Java without a GIL: {@code totalBytecodes} of {@link Work#spin} split evenly over
     * {@code threads} platform threads, started together and joined.
     *
     * @return wall time in ns
     */
    public static long plainJavaThreads(int threads, long totalBytecodes) throws InterruptedException {
        long share = totalBytecodes / threads;
        long[] results = new long[threads];
        Thread[] workers = new Thread[threads];
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            int index = i;
            workers[i] =
                    Thread.ofPlatform().name("java-" + (i + 1)).start(() -> results[index] = Work.spin(index, share));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long elapsed = System.nanoTime() - start;
        for (long r : results) {
            sink ^= r; // the results are read, so the JIT cannot drop the work
        }
        return elapsed;
    }

    /** @return {@code "1 hand-off"}, {@code "2 hand-offs"}: a count and its noun, in the right number */
    public static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
