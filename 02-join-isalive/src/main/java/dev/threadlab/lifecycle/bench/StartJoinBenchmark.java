package dev.threadlab.lifecycle.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * The cost of a thread's whole life with an empty body, in µs per operation: no thread at all
 * ({@code run()}), a platform thread, a virtual thread. Run it through
 * {@link Lifecycle_07_StartJoinCost}, which prints median, spread and ratios.
 *
 * <p>Thread-safety: stateless; JMH calls each benchmark from one thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StartJoinBenchmark {

    private static final Runnable EMPTY = () -> {};

    /** No thread: the body is an ordinary call, as with {@code thread.run()}. */
    @Benchmark
    public void runOnTheCaller() {
        EMPTY.run();
    }

    /** A new platform (OS) thread, started and joined. */
    @Benchmark
    public void platformStartJoin() throws InterruptedException {
        Thread.ofPlatform().start(EMPTY).join();
    }

    /** A new virtual thread, started and joined. */
    @Benchmark
    public void virtualStartJoin() throws InterruptedException {
        Thread.ofVirtual().start(EMPTY).join();
    }
}
