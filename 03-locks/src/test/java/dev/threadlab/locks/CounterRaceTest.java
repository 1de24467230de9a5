package dev.threadlab.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        for (Supplier<Counter> fixed : Locks_02_FixedCounters.COUNTERS.subList(1, Locks_02_FixedCounters.COUNTERS.size())) {
            CounterRace.Result result = CounterRace.run(fixed.get(), 4, 20_000);

            assertThat(result.actual()).as(result.counter() + " lost updates: it must count 4 x 20000")
                    .isEqualTo(80_000);
            assertThat(result.lost()).isZero();
        }
    }

    @Test
    void theUnsafeCounterNeverCountsMoreThanWasAdded() throws InterruptedException {
        CounterRace.Result result = CounterRace.run(new UnsafeCounter(), 2, 20_000);

        assertThat(result.expected()).isEqualTo(40_000);
        assertThat(result.actual()).as("a lost update can only make the count smaller").isBetween(1L, 40_000L);
        assertThat(result.lost()).isEqualTo(40_000 - result.actual());
    }

    @Test
    void aRaceWithoutThreadsOrIncrementsIsRefused() {
        assertThatThrownBy(() -> CounterRace.run(new LockedCounter(), 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> CounterRace.run(new LockedCounter(), 2, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}
