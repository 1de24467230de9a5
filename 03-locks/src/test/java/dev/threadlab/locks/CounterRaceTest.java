package dev.threadlab.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.threadlab.locks.counters.Counter;
import dev.threadlab.locks.counters.LockedCounter;
import dev.threadlab.locks.harness.CounterRace;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The race harness counts right and accounts for every thread. Whether the unsafe counter loses
 * updates in a given run depends on the scheduler, so no test asserts that it does (Lincheck
 * proves it: CounterLinearizabilityTest); the fixed counters must never lose one.
 */
@Timeout(30)
class CounterRaceTest {

    @Test
    void everyFixedCounterCountsEveryIncrementOfEveryThread() throws InterruptedException {
        for (Supplier<Counter> fixed :
                Locks_02_FixedCounters.COUNTERS.subList(1, Locks_02_FixedCounters.COUNTERS.size())) {
            CounterRace.Result result = CounterRace.run(fixed.get(), 4, 20_000);

            assertThat(result.actual())
                    .as(result.counter() + " lost updates: it must count 4 x 20000")
                    .isEqualTo(80_000);
            assertThat(result.lost()).isZero();
        }
    }

    @Test
    void theHarnessReportsExactlyWhatACounterLost() throws InterruptedException {
        // A counter that loses every second increment, deterministically, whatever the scheduler:
        // the harness must report that half, neither more nor less.
        Counter losesEverySecond = new Counter() {
            private final AtomicLong calls = new AtomicLong();
            private final AtomicLong count = new AtomicLong();

            @Override
            public void increment() {
                if (calls.incrementAndGet() % 2 == 0) {
                    count.incrementAndGet();
                }
            }

            @Override
            public long get() {
                return count.get();
            }
        };

        CounterRace.Result result = CounterRace.run(losesEverySecond, 2, 20_000);

        assertThat(List.of(result.expected(), result.actual(), result.lost()))
                .as("2 threads x 20000 increments on a counter that keeps every second one:"
                        + " expected 40000, got 20000, lost 20000")
                .containsExactly(40_000L, 20_000L, 20_000L);
    }

    @Test
    void aRaceWithoutThreadsOrIncrementsIsRefused() {
        assertThatThrownBy(() -> CounterRace.run(new LockedCounter(), 0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> CounterRace.run(new LockedCounter(), 2, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
