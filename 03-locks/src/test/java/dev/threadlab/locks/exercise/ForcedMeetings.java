package dev.threadlab.locks.exercise;

import static org.awaitility.Awaitility.await;

import dev.threadlab.common.testsupport.ThreadDumps;
import dev.threadlab.locks.LockMeeting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A forced interleaving: two transfers in opposite directions (A to B, B to A) made to meet at
 * the worst moment, so that a teller that can deadlock does, every time, without luck or sleeps.
 *
 * <p>The accounts' locks are {@link MeetingLock}s, which tell a {@link LockMeeting} each time
 * they are taken: the first time each transfer thread gets one, it waits (spinning, so it stays
 * RUNNABLE) until the other thread also holds one, is waiting for one, is blocked on anything
 * else, or has finished. A teller that takes the locks in argument order then holds A while the
 * other holds B, and each wants the other's: a deadlock, found by {@link java.lang.management.ThreadMXBean#findDeadlockedThreads()} and reported with
 * thread and lock names. A teller that takes them in one global order makes the second thread
 * queue for the first lock instead, and both finish. After its one meeting, a thread's locks
 * behave as plain {@link ReentrantLock}s (so a tryLock-and-back-off teller can make progress).
 *
 * <p>To end a deadlock, the test interrupts both threads: a meeting lock's {@code lock()} waits
 * interruptibly and, when interrupted, throws {@link BrokenByTheTest} out of the teller.
 */
final class OppositeTransfers {

    /** Thrown out of {@code lock()} when the test interrupts a thread to break a deadlock. */
    static final class BrokenByTheTest extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        BrokenByTheTest(String lock) {
            super("interrupted by the test while waiting for " + lock + ", to break a deadlock");
        }
    }

    /** How long the two transfers may take, at most, to finish or to deadlock. */
    private static final Duration OUTCOME_LIMIT = Duration.ofSeconds(20);

    private final MeetingLock lockA = ThreadDumps.name(new MeetingLock("account A"), "account A");
    private final MeetingLock lockB = ThreadDumps.name(new MeetingLock("account B"), "account B");
    private final LockMeeting meeting = new LockMeeting(Duration.ofSeconds(5), List.of(lockA, lockB));

    final Account a = new Account("account A", 100, lockA);
    final Account b = new Account("account B", 100, lockB);

    /** The outcome: what each transfer threw (empty when both succeeded). */
    record Outcome(Map<String, Throwable> failures) {}

    /**
     * Runs {@code teller.transfer(A, B, 30)} and {@code teller.transfer(B, A, 50)} in two threads
     * that meet as described above, and waits until both have finished.
     *
     * @return what each thread threw, if anything
     * @throws AssertionError "deadlock: ..." with the cycle (threads, locks, owners) if they
     *                        deadlock, or "hang: ..." with a thread dump if they neither finish
     *                        nor deadlock within {@link #OUTCOME_LIMIT}
     */
    Outcome run(Teller teller) throws InterruptedException {
        Map<String, Throwable> failures = new ConcurrentHashMap<>();
        CyclicBarrier bothReady = new CyclicBarrier(2);
        Thread aToB = transferThread("transfer-A-to-B", teller, a, b, 30, bothReady, failures);
        Thread bToA = transferThread("transfer-B-to-A", teller, b, a, 50, bothReady, failures);
        meeting.expect(aToB, bToA);
        aToB.start();
        bToA.start();
        try {
            await("both transfers finish, or deadlock")
                    .atMost(OUTCOME_LIMIT)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> !aToB.isAlive() && !bToA.isAlive() || deadlockedForGood(aToB, bToA));
        } catch (ConditionTimeoutException e) {
            String dump = ThreadDumps.blockedThreadsReport();
            stop(aToB, bToA);
            throw new AssertionError("hang: the opposite transfers neither finished nor deadlocked within "
                    + OUTCOME_LIMIT.toSeconds() + " s; here is what the threads were doing:\n" + dump);
        }
        if (aToB.isAlive() || bToA.isAlive()) {
            String cycle = ThreadDumps.deadlockReport();
            stop(aToB, bToA);
            throw new AssertionError("deadlock: transfer A to B and transfer B to A each hold one account's lock"
                    + " and wait for the other's, forever. Take the locks in one global order (Account.id()),"
                    + " or use tryLock with a timeout and back off.\n" + cycle);
        }
        return new Outcome(Map.copyOf(failures));
    }

    private Thread transferThread(String name, Teller teller, Account from, Account to, long amount,
            CyclicBarrier bothReady, Map<String, Throwable> failures) {
        return Thread.ofPlatform().name(name).unstarted(() -> {
            try {
                bothReady.await(OUTCOME_LIMIT.toSeconds(), TimeUnit.SECONDS);
                meeting.started();
                teller.transfer(from, to, amount);
            } catch (Throwable t) {
                failures.put(name, t);
            } finally {
                meeting.finished();
            }
        });
    }

    /** A cycle the JVM sees, with both threads in an untimed wait: it can never resolve itself. */
    private static boolean deadlockedForGood(Thread one, Thread two) {
        List<String> cycle = ThreadDumps.deadlockedThreadNames();
        return cycle.contains(one.getName()) && cycle.contains(two.getName())
                && untimedWait(one.getState()) && untimedWait(two.getState());
    }

    private static boolean untimedWait(Thread.State state) {
        return state == Thread.State.WAITING || state == Thread.State.BLOCKED;
    }

    private void stop(Thread... threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            thread.join(OUTCOME_LIMIT);
        }
    }

    /** An account lock that makes the two transfers meet (see the class comment). */
    final class MeetingLock extends LockMeeting.NamedLock {
        private static final long serialVersionUID = 1L;

        MeetingLock(String name) {
            super(name);
        }

        @Override
        public void lock() {
            try {
                super.lockInterruptibly();
            } catch (InterruptedException e) {
                throw new BrokenByTheTest(toString());
            }
            meeting.lockTaken();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            super.lockInterruptibly();
            meeting.lockTaken();
        }

        @Override
        public boolean tryLock() {
            boolean taken = super.tryLock();
            if (taken) {
                meeting.lockTaken();
            }
            return taken;
        }

        @Override
        public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
            boolean taken = super.tryLock(timeout, unit);
            if (taken) {
                meeting.lockTaken();
            }
            return taken;
        }
    }
}
