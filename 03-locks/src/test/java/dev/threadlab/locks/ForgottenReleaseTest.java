package dev.threadlab.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.threadlab.common.output.Console;
import dev.threadlab.common.testsupport.FixtureRuns;
import dev.threadlab.common.testsupport.ThreadDumps;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A lock released outside {@code finally} stays held when the critical section throws. */
@Timeout(30)
class ForgottenReleaseTest {

    @Test
    void anExceptionInTheCriticalSectionLeavesTheLockHeldByAThreadThatNoLongerRuns() throws InterruptedException {
        Ledger ledger = new Ledger(new ReentrantLock());

        Locks_04_ForgottenRelease.Outcome outcome =
                Locks_04_ForgottenRelease.run(Console.recording(), ledger, false, 1);

        assertThat(outcome.secondTellerPosted())
                .as("teller-2 cannot post: teller-1 never released the lock")
                .isFalse();
        assertThat(outcome.owner()).isEqualTo("teller-1");
        assertThat(outcome.ownerState()).isEqualTo(Thread.State.TERMINATED);
        assertThat(ledger.lock().toString()).contains("[Locked by thread teller-1]");
    }

    @Test
    void releasingInFinallyLetsTheNextThreadIn() throws InterruptedException {
        Ledger ledger = new Ledger(new ReentrantLock());
        Console console = Console.recording();

        Locks_04_ForgottenRelease.Outcome outcome = Locks_04_ForgottenRelease.run(console, ledger, true, 10_000);

        assertThat(outcome.secondTellerPosted())
                .as("with unlock() in finally the failed posting frees the lock")
                .isTrue();
        assertThat(ledger.postings()).isEqualTo(1);
        assertThat(ledger.lock().isLocked()).isFalse();
        assertThat(console.texts()).contains("failed inside the critical section: a posting must be positive, was -5");
    }

    @Test
    void aRefusedPostingIsRefusedBothWays() {
        Ledger ledger = new Ledger(new ReentrantLock());

        assertThatThrownBy(() -> ledger.post(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ledger.lock().isLocked()).as("post() releases in finally").isFalse();
        assertThatThrownBy(() -> ledger.postForgettingToUnlock(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ledger.lock().isHeldByCurrentThread())
                .as("postForgettingToUnlock() keeps it: the bug on show")
                .isTrue();
        ledger.lock().unlock();
    }

    @Test
    void theHangReportNamesTheLockAndTheOwnerThatForgotToReleaseIt() {
        List<String> failures = FixtureRuns.failuresOf(WaitsForAForgottenLock.class);

        assertThat(failures).hasSize(1);
        assertThat(failures.get(0))
                .startsWith("hang: ")
                .contains("WAITING on java.util.concurrent.locks.ReentrantLock$NonfairSync")
                .contains("(the ledger lock) owned by \"teller-1\"");
    }

    /** Hangs on purpose; run only through {@link FixtureRuns}. */
    static class WaitsForAForgottenLock {
        @Test
        @Timeout(1)
        void postsAfterATellerFailedWhileHoldingTheLock() throws InterruptedException {
            Ledger ledger = new Ledger(ThreadDumps.name(new ReentrantLock(), "the ledger lock"));
            Thread teller = Thread.ofPlatform().name("teller-1").start(() -> {
                try {
                    ledger.postForgettingToUnlock(-5);
                } catch (IllegalArgumentException expected) {
                    // the lock stays held: that is the point
                }
            });
            teller.join();
            ledger.lock().lockInterruptibly(); // waits forever for a lock its dead owner never released
        }
    }
}
