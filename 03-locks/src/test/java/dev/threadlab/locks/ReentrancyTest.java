package dev.threadlab.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.threadlab.common.testsupport.FixtureRuns;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where Java differs from Python: Java's locks are reentrant, CPython's {@code Lock} is not, and
 * {@link PythonLock} reproduces it, down to the self-deadlock, which the course's hang report
 * diagnoses.
 */
class ReentrancyTest {

    @Test
    @SuppressWarnings("LockNotBeforeTry") // the second lock() before try is what this test is about
    void aReentrantLockCanBeTakenTwiceByTheThreadHoldingIt() {
        ReentrantLock lock = new ReentrantLock();
        lock.lock();
        lock.lock();
        try {
            assertThat(lock.getHoldCount())
                    .as("the second lock() of the owner must count, not block")
                    .isEqualTo(2);
        } finally {
            lock.unlock();
            lock.unlock();
        }
        assertThat(lock.isLocked())
                .as("two unlock() calls undo two lock() calls")
                .isFalse();
    }

    @Test
    void aPythonLockCannotBeTakenTwiceEvenByTheThreadHoldingIt() throws InterruptedException {
        PythonLock lock = new PythonLock();
        lock.acquire();

        boolean again = lock.acquire(Duration.ofMillis(1));

        assertThat(again)
                .as("a non-reentrant lock must not let its holder in twice (CPython's Lock blocks)")
                .isFalse();
        assertThat(lock.locked()).isTrue();
        lock.release();
        assertThat(lock.locked()).isFalse();
    }

    @Test
    void releasingAPythonLockThatIsNotHeldIsAnError() {
        PythonLock lock = new PythonLock();

        assertThatThrownBy(lock::release)
                .as("CPython raises RuntimeError('release unlocked lock')")
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("release unlocked lock");
    }

    @Test
    void anyThreadMayReleaseAPythonLockAsInCPython() throws InterruptedException {
        PythonLock lock = new PythonLock();
        lock.acquire();

        Thread other = Thread.ofPlatform().name("releaser").start(lock::release);
        other.join();

        assertThat(lock.locked())
                .as("a Lock has no owner: another thread's release() frees it")
                .isFalse();
    }

    @Test
    void theSelfDeadlockOfAPythonLockIsReportedAsAHangShowingWhereTheThreadWaits() {
        List<String> failures = FixtureRuns.failuresOf(AcquiresAPythonLockTwice.class);

        assertThat(failures).hasSize(1);
        assertThat(failures.get(0))
                .startsWith("hang: ")
                .contains("timed out after 1 second")
                .contains("WAITING on java.util.concurrent.Semaphore$NonfairSync")
                .contains("dev.threadlab.locks.PythonLock.acquire(PythonLock.java")
                .doesNotContain("Deadlock: a cycle"); // a semaphore has no owner: no cycle for the JVM to find
    }

    /** Hangs on purpose; run only through {@link FixtureRuns}. */
    static class AcquiresAPythonLockTwice {
        @Test
        @Timeout(1)
        void acquiresTwice() throws InterruptedException {
            PythonLock lock = new PythonLock();
            lock.acquire();
            lock.acquire(); // blocks forever, as lock.acquire(); lock.acquire() does in CPython
        }
    }
}
