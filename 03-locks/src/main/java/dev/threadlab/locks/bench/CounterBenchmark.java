package dev.threadlab.locks.bench;

import dev.threadlab.locks.counters.AtomicCounter;
import dev.threadlab.locks.counters.LockedCounter;
import dev.threadlab.locks.counters.LongAdderCounter;
import dev.threadlab.locks.counters.SynchronizedCounter;
import dev.threadlab.locks.counters.UnsafeCounter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Increments per microsecond, all benchmark threads hammering one shared counter: the cost of
 * each fix under contention. {@code Scope.Benchmark} makes the counters shared by every thread;
 * each benchmark method touches only its own counter. Run it through
 * {@link Locks_06_CounterBenchmark}, which prints median, spread and ratios.
 *
 * <p>{@code unsafe} is measured only as the floor (it gives wrong counts).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CounterBenchmark {

    private UnsafeCounter unsafe;
    private LockedCounter locked;
    private SynchronizedCounter synchronizedCounter;
    private AtomicCounter atomic;
    private LongAdderCounter longAdder;

    /** Fresh counters for every iteration, so no iteration starts from another's state. */
    @Setup(Level.Iteration)
    public void freshCounters() {
        unsafe = new UnsafeCounter();
        locked = new LockedCounter();
        synchronizedCounter = new SynchronizedCounter();
        atomic = new AtomicCounter();
        longAdder = new LongAdderCounter();
    }

    @Benchmark
    public void unsafe() {
        unsafe.increment();
    }

    @Benchmark
    public void locked() {
        locked.increment();
    }

    @Benchmark
    public void synchronizedCounter() {
        synchronizedCounter.increment();
    }

    @Benchmark
    public void atomic() {
        atomic.increment();
    }

    @Benchmark
    public void longAdder() {
        longAdder.increment();
    }
}
