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
 * Forced interleavings: two calls that each take two or more account locks, made to meet at the
 * worst moment, so that a teller that can deadlock does, every time, without luck or sleeps.
 * {@link #oppositeTransfers} runs transfer A to B beside transfer B to A;
 * {@link #transferBesideAudit} runs transfer A to B beside an audit of C, B, A (a list not in
 * {@link Account#id()} order).
 *
 * <p>The locks of accounts A and B are {@link MeetingLock}s, which tell a {@link LockMeeting} each
 * time they are taken: the first time each thread gets one, it waits (spinning, so it stays
 * RUNNABLE) until the other thread also holds one, is waiting for one, is blocked on anything
 * else, or has finished. A teller that takes the locks in argument (or list) order then holds one
 * while the other holds the other, and each wants the other's: a deadlock, found by
 * {@link java.lang.management.ThreadMXBean#findDeadlockedThreads()} and reported with thread and
 * lock names. A teller that takes them in one global order makes the second thread queue for the
 * first lock instead, and both finish. After its one meeting, a thread's locks behave as plain
 * {@link ReentrantLock}s (so a tryLock-and-back-off teller can make progress). Account C's lock
 * is a plain named lock: an audit of C, B, A in list order takes it, then meets at B.
 *
 * <p>To end a deadlock, the test interrupts both threads: a meeting lock's {@code lock()} waits
 * interruptibly and, when interrupted, throws {@link BrokenByTheTest} out of the teller.
 *
 * <p>One instance, one run.
 */
final class ForcedMeetings {

    /** Thrown out of {@code lock()} when the test interrupts a thread to break a deadlock. */
    static final class BrokenByTheTest extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        BrokenByTheTest(String lock) {
            super("interrupted by the test while waiting for " + lock + ", to break a deadlock");
        }
    }

    /** How long the two calls may take, at most, to finish or to deadlock. */
    private static final Duration OUTCOME_LIMIT = Duration.ofSeconds(20);

    private final MeetingLock lockA = ThreadDumps.name(new MeetingLock("account A"), "account A");
    private final MeetingLock lockB = ThreadDumps.name(new MeetingLock("account B"), "account B");
    private final LockMeeting meeting = new LockMeeting(Duration.ofSeconds(5), List.of(lockA, lockB));

    final Account a = new Account("account A", 100, lockA);
    final Account b = new Account("account B", 100, lockB);
    final Account c = new Account("account C", 100,
            ThreadDumps.name(new LockMeeting.NamedLock("account C"), "account C"));

    /**
     * The outcome: what each call threw (empty when both succeeded), and what each returned
     * ({@code null} for a transfer), by thread name.
     */
    record Outcome(Map<String, Throwable> failures, Map<String, Object> results) {}

    /** One teller call, run in its own thread. */
    @FunctionalInterface
    private interface Call {
        Object run() throws Exception;
    }

    /**
     * Runs {@code teller.transfer(A, B, 30)} and {@code teller.transfer(B, A, 50)} in two threads
     * ("transfer-A-to-B", "transfer-B-to-A") that meet as described above, and waits until both
     * have finished.
     *
     * @return what each thread threw, if anything
     * @throws AssertionError "deadlock: ..." with the cycle (threads, locks, owners) if they
     *                        deadlock, or "hang: ..." with a thread dump if they neither finish
     *                        nor deadlock within {@link #OUTCOME_LIMIT}
     */
    Outcome oppositeTransfers(Teller teller) throws InterruptedException {
        return meet("transfer-A-to-B", () -> transfer(teller, a, b, 30),
                "transfer-B-to-A", () -> transfer(teller, b, a, 50),
                "deadlock: transfer A to B and transfer B to A each hold one account's lock"
                        + " and wait for the other's, forever. Take the locks in one global order (Account.id()),"
                        + " or use tryLock with a timeout and back off.");
    }

    /**
     * Runs {@code teller.transfer(A, B, 30)} and {@code teller.audit(List.of(C, B, A))} in two
     * threads ("transfer-A-to-B", "audit-C-B-A") that meet as described above, and waits until
     * both have finished.
     *
     * @return what each thread threw, if anything, and the audit's total under "audit-C-B-A"
     * @throws AssertionError as {@link #oppositeTransfers}
     */
    Outcome transferBesideAudit(Teller teller) throws InterruptedException {
        return meet("transfer-A-to-B", () -> transfer(teller, a, b, 30),
                "audit-C-B-A", () -> teller.audit(List.of(c, b, a)),
                "deadlock: the audit of C, B, A and transfer A to B each hold one account's lock and wait"
                        + " for the other's, forever. The audit must take its locks in the same global order as"
                        + " the transfers (Account.id()), whatever the order of the list it is given.");
    }

    private static Object transfer(Teller teller, Account from, Account to, long amount) throws InterruptedException {
        teller.transfer(from, to, amount);
        return null;
    }

    private Outcome meet(String oneName, Call one, String twoName, Call two, String deadlock)
            throws InterruptedException {
        Map<String, Throwable> failures = new ConcurrentHashMap<>();
        Map<String, Object> results = new ConcurrentHashMap<>();
        CyclicBarrier bothReady = new CyclicBarrier(2);
        Thread first = callThread(oneName, one, bothReady, failures, results);
        Thread second = callThread(twoName, two, bothReady, failures, results);
        meeting.expect(first, second);
        first.start();
        second.start();
        try {
            await("both calls finish, or deadlock")
                    .atMost(OUTCOME_LIMIT)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> !first.isAlive() && !second.isAlive() || deadlockedForGood(first, second));
        } catch (ConditionTimeoutException e) {
            String dump = ThreadDumps.blockedThreadsReport();
            stop(first, second);
            throw new AssertionError("hang: " + oneName + " and " + twoName + " neither finished nor deadlocked within "
                    + OUTCOME_LIMIT.toSeconds() + " s; here is what the threads were doing:\n" + dump);
        }
        if (first.isAlive() || second.isAlive()) {
            String cycle = ThreadDumps.deadlockReport();
            stop(first, second);
            throw new AssertionError(deadlock + "\n" + cycle);
        }
        return new Outcome(Map.copyOf(failures), Map.copyOf(results));
    }

    private Thread callThread(String name, Call call, CyclicBarrier bothReady,
            Map<String, Throwable> failures, Map<String, Object> results) {
        return Thread.ofPlatform().name(name).unstarted(() -> {
            try {
                bothReady.await(OUTCOME_LIMIT.toSeconds(), TimeUnit.SECONDS);
                meeting.started();
                Object result = call.run();
                if (result != null) {
                    results.put(name, result);
                }
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
