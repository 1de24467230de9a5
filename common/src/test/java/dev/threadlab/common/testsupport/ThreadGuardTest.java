package dev.threadlab.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The guard's promises, shown on tests that break them on purpose (the fixtures below, run
 * in-process with JUnit's EngineTestKit): a hang fails within its timeout with a dump naming the
 * lock and its owner, a deadlock names its cycle, and a leaked thread or process is named.
 */
class ThreadGuardTest {

    /** Lets every fixture's helper thread finish, whatever happened; a new one for each test. */
    static volatile CountDownLatch RELEASE = new CountDownLatch(1);

    @BeforeEach
    void holdFixtureThreads() {
        RELEASE = new CountDownLatch(1);
    }

    @AfterEach
    void releaseFixtureThreads() {
        RELEASE.countDown();
    }

    private static List<String> failuresOf(Class<?> fixture) {
        return failuresOf(fixture, "200");
    }

    private static List<String> failuresOf(Class<?> fixture, String graceMillis) {
        return FixtureRuns.failuresOf(fixture, Map.of(ThreadGuard.GRACE_PROPERTY, graceMillis));
    }

    @Test
    void aHangFailsWithinItsTimeoutNamingTheLockAndItsOwner() {
        List<String> failures = failuresOf(HangsOnAHeldLock.class);

        assertThat(failures).hasSize(1);
        assertThat(failures.get(0))
                .startsWith("hang: ")
                .contains("timed out after 1 second")
                .contains("WAITING on java.util.concurrent.locks.ReentrantLock$NonfairSync")
                .contains("(the ledger lock) owned by \"ledger-owner\"");
    }

    @Test
    void aDeadlockIsReportedAsACycleOfThreadsAndLocks() {
        List<String> failures = failuresOf(Deadlocks.class);

        assertThat(failures).hasSize(1);
        assertThat(failures.get(0))
                .startsWith("deadlock: ")
                .contains("Deadlock: a cycle of 2 threads")
                .contains("\"A-then-B\" waits for java.util.concurrent.locks.ReentrantLock$NonfairSync")
                .contains("(lock B) held by \"B-then-A\"")
                .contains("(lock A) held by \"A-then-B\"");
    }

    @Test
    void aThreadLeftRunningFailsTheTestNamingIt() {
        List<String> failures = failuresOf(LeaksAThread.class);

        assertThat(failures).hasSize(1);
        assertThat(failures.get(0))
                .contains("the test left 1 thread still running")
                .contains("\"forgotten-worker\" WAITING");
    }

    @Test
    void aChildProcessLeftRunningFailsTheTestNamingIt() {
        List<String> failures = failuresOf(LeaksAProcess.class);

        assertThat(failures).hasSize(1);
        assertThat(failures.get(0))
                .contains("the test left 1 child process still running")
                .contains("child process pid")
                .contains("sleep 600");
    }

    @Test
    void aForkJoinPoolWorkerLeftRunningIsNamedToo() throws InterruptedException {
        List<String> failures = failuresOf(LeaksAPoolWorker.class);
        LeaksAPoolWorker.pool.shutdownNow(); // what the fixture forgot, so this test leaves nothing behind
        assertThat(LeaksAPoolWorker.pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();

        assertThat(failures).hasSize(1);
        assertThat(failures.get(0))
                .contains("the test left 1 thread still running")
                .contains("\"ForkJoinPool-");
    }

    @Test
    void threadsTheJdkStartsForVirtualThreadsAreNeverTheTestsLeak() throws InterruptedException {
        // A virtual thread that waits with a timeout makes the JDK start its scheduler's carriers and,
        // on JDK 25, a delay scheduler ("ForkJoinPool-1-delayScheduler") that it keeps for good.
        Thread.ofVirtual()
                .start(() -> {
                    try {
                        new CountDownLatch(1).await(1, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })
                .join();
        List<Thread> schedulers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getThreadGroup() != null
                        && t.getThreadGroup().getName().equals("CarrierThreads"))
                .toList();

        assertThat(schedulers).as("the virtual-thread scheduler's threads").isNotEmpty();
        assertThat(schedulers).allMatch(ThreadDumps::isInfrastructure, "recognised as the JDK's own");
    }

    @Test
    void aThreadOfTheTestsOwnIsNotHiddenByAJdkLikeName() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Thread impostor = Thread.ofPlatform()
                .name("ForkJoinPool-1-delayScheduler")
                .start(() -> {
                    try {
                        stop.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        try {
            assertThat(ThreadDumps.isInfrastructure(impostor))
                    .as("a plain thread with a JDK-like name")
                    .isFalse();
        } finally {
            stop.countDown();
            impostor.join();
        }
    }

    @Test
    void aTestThatCleansUpPasses() {
        assertThat(failuresOf(CleansUp.class)).isEmpty();
    }

    // ---- fixtures: each breaks one promise on purpose; they run only through failuresOf ----

    static class HangsOnAHeldLock {
        @Test
        @Timeout(1)
        void waitsForALockThatIsNeverReleased() throws InterruptedException {
            ReentrantLock ledger = ThreadDumps.name(new ReentrantLock(), "the ledger lock");
            CountDownLatch held = new CountDownLatch(1);
            Thread owner = new Thread(
                    () -> {
                        ledger.lock();
                        try {
                            held.countDown();
                            RELEASE.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            ledger.unlock();
                        }
                    },
                    "ledger-owner");
            owner.start();
            held.await();
            ledger.lockInterruptibly(); // hangs: the owner never lets go
        }
    }

    static class Deadlocks {
        @Test
        @Timeout(1)
        void twoThreadsTakeTwoLocksInOppositeOrders() throws InterruptedException {
            ReentrantLock a = ThreadDumps.name(new ReentrantLock(), "lock A");
            ReentrantLock b = ThreadDumps.name(new ReentrantLock(), "lock B");
            CyclicBarrier bothHoldOne = new CyclicBarrier(2);
            Thread first = new Thread(() -> lockBoth(a, b, bothHoldOne), "A-then-B");
            Thread second = new Thread(() -> lockBoth(b, a, bothHoldOne), "B-then-A");
            first.start();
            second.start();
            first.join();
            second.join();
        }

        private static void lockBoth(ReentrantLock one, ReentrantLock two, CyclicBarrier bothHoldOne) {
            try {
                one.lockInterruptibly();
                try {
                    bothHoldOne.await();
                    two.lockInterruptibly(); // deadlock-prone: the other thread holds it and wants ours
                    two.unlock();
                } finally {
                    one.unlock();
                }
            } catch (Exception e) {
                // interrupted by the guard's clean-up: give up
            }
        }
    }

    @Test
    @Timeout(30) // with the grace of 10 minutes this test asks for, waiting it out would time out here
    void anIdlePoolNeverShutDownIsNamedWithoutWaitingOutTheGrace() {
        List<String> failures = failuresOf(LeavesAPoolIdle.class, "600000");
        LeavesAPoolIdle.pool.shutdownNow(); // what the fixture forgot

        assertThat(failures).hasSize(1);
        assertThat(failures.get(0))
                .contains("the test left 1 thread still running")
                .contains("\"idle-worker\" WAITING")
                .contains("an idle worker of a pool that was never shut down");
    }

    @Test
    void aWorkerOfAPoolThatWasShutDownIsNotTakenForAnIdleOne() throws InterruptedException {
        IdlePool idle = new IdlePool();
        idle.pool.shutdown(); // interrupts its idle worker, which then leaves take() for good

        assertThat(ThreadGuard.isIdleWorkerOfAPoolNeverShutDown(idle.worker)).isFalse();
        assertThat(idle.pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aThreadWaitingOnALatchIsNotAnIdlePoolWorker() throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        Thread waiting = Thread.ofPlatform().start(() -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> waiting.getState() == Thread.State.WAITING);

        assertThat(ThreadGuard.isIdleWorkerOfAPoolNeverShutDown(waiting)).isFalse();
        never.countDown();
        waiting.join();
    }

    /** A one-thread pool whose worker has run a task and is waiting in take() for the next. */
    static final class IdlePool {
        final java.util.concurrent.ExecutorService pool;
        volatile Thread worker;

        IdlePool() {
            pool = java.util.concurrent.Executors.newFixedThreadPool(
                    1, r -> worker = Thread.ofPlatform().name("idle-worker").unstarted(r));
            pool.execute(() -> {});
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> worker != null && ThreadGuard.isIdleWorkerOfAPoolNeverShutDown(worker));
        }
    }

    static class LeavesAPoolIdle {
        static volatile java.util.concurrent.ExecutorService pool;

        @Test
        void runsATaskAndForgetsThePool() {
            pool = new IdlePool().pool;
        }
    }

    static class LeaksAThread {
        @Test
        void startsAThreadAndForgetsIt() {
            Thread.ofPlatform().name("forgotten-worker").start(() -> {
                try {
                    RELEASE.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    static class LeaksAProcess {
        @Test
        void startsAProcessAndForgetsIt() throws IOException {
            new ProcessBuilder("sleep", "600").start();
        }
    }

    static class LeaksAPoolWorker {
        static volatile java.util.concurrent.ExecutorService pool;

        @Test
        void submitsANeverEndingTaskAndForgetsThePool() {
            pool = java.util.concurrent.Executors.newWorkStealingPool(1);
            pool.submit(() -> {
                RELEASE.await();
                return null;
            });
        }
    }

    static class CleansUp {
        @Test
        void usesVirtualThreadsAndJoinsThem() throws Exception {
            // The JVM keeps the virtual-thread scheduler's carrier threads: not the test's leak.
            Thread.ofVirtual().start(() -> {}).join();
        }

        @Test
        void startsAThreadAndJoinsIt() throws Exception {
            Thread worker = Thread.ofPlatform().name("tidy-worker").start(() -> {});
            worker.join();
            Process child = new ProcessBuilder("true").start();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
