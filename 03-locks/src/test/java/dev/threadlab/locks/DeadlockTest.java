package dev.threadlab.locks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.locks.Locks_05_Deadlock.Fix;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Opposite lock orders deadlock every time (the demo makes the two threads meet after their first
 * lock); the JVM finds the cycle; either fix removes it.
 */
@Timeout(30)
class DeadlockTest {

    @Test
    void oppositeLockOrdersDeadlockAndTheJvmReportsTheCycleWithNames() throws InterruptedException {
        Console console = Console.recording();

        Locks_05_Deadlock.Result result =
                Locks_05_Deadlock.run(Fix.NONE, Duration.ofMillis(50), Sleeper.instant(), console);

        assertThat(result.deadlocked())
                .as("A-then-B against B-then-A, meeting after the first lock, must deadlock")
                .isTrue();
        assertThat(result.cycle()).hasSize(2);
        assertThat(result.cycle())
                .anySatisfy(line -> assertThat(line)
                        .startsWith(
                                "\"transfer-A-to-B\" holds account A, waits for account B (java.util.concurrent.locks.ReentrantLock$NonfairSync@")
                        .endsWith("held by \"transfer-B-to-A\""));
        assertThat(result.cycle())
                .anySatisfy(line -> assertThat(line)
                        .startsWith("\"transfer-B-to-A\" holds account B, waits for account A (")
                        .endsWith("held by \"transfer-A-to-B\""));
        assertThat(result.attempts())
                .as("after the victim is interrupted, only the other transfer completes")
                .containsOnlyKeys("transfer-B-to-A");
        assertThat(result.balanceA() + result.balanceB())
                .as("breaking a deadlock must not lose money")
                .isEqualTo(200);
        assertThat(console.texts()).contains("interrupted while waiting for a lock: gave up, moved nothing");
    }

    @Test
    void oneGlobalLockOrderMakesTheDeadlockImpossible() throws InterruptedException {
        Locks_05_Deadlock.Result result =
                Locks_05_Deadlock.run(Fix.ORDERED, Duration.ofMillis(50), Sleeper.instant(), Console.recording());

        assertThat(result.deadlocked())
                .as("with both threads locking account A first there is no cycle")
                .isFalse();
        assertThat(result.attempts()).containsOnlyKeys("transfer-A-to-B", "transfer-B-to-A");
        assertThat(result.balanceA()).as("100 - 30 + 50").isEqualTo(120);
        assertThat(result.balanceB()).as("100 + 30 - 50").isEqualTo(80);
    }

    @Test
    void tryLockWithBackOffBreaksTheCycleByRetrying() throws InterruptedException {
        Locks_05_Deadlock.Result result =
                Locks_05_Deadlock.run(Fix.TRYLOCK, Duration.ofMillis(20), Sleeper.instant(), Console.recording());

        assertThat(result.deadlocked()).isFalse();
        assertThat(result.attempts()).containsOnlyKeys("transfer-A-to-B", "transfer-B-to-A");
        assertThat(result.attempts().values())
                .as("both held one lock and wanted the other's: someone had to retry")
                .anyMatch(attempts -> attempts >= 2);
        assertThat(result.balanceA()).isEqualTo(120);
        assertThat(result.balanceB()).isEqualTo(80);
    }
}
