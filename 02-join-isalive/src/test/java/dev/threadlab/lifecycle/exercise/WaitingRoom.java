package dev.threadlab.lifecycle.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.SolutionHung;
import dev.threadlab.common.testsupport.ThreadDumps;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import net.jcip.annotations.ThreadSafe;

/**
 * The harness of {@link TimedJoinSpec}: one held worker and one call of
 * {@code stillAliveAfter(worker, timeout)} on a thread named "caller", watched until it returns.
 * The worker waits on a latch, so whether it is alive is decided by the test, never by timing:
 *
 * <ul>
 *   <li>{@link Worker#ENDS_ONCE_JOINED}: released the moment the caller is seen waiting in a timed
 *       {@code join} on it (a correct caller, with its hour's timeout, waits there until released);</li>
 *   <li>{@link Worker#NEVER_ENDS}: held until the test is over, so it is alive when the timeout runs out.</li>
 * </ul>
 * A caller seen waiting in {@code join} with no time limit ({@code WAITING} on the worker's monitor,
 * where {@code Thread.join} waits) has broken rule 3, and is told so at once. {@link #close()} ends
 * both threads.
 */
@ThreadSafe
final class WaitingRoom implements AutoCloseable {

    /** How long the watch waits for a call that, if correct, returns within its timeout; runs out only on a hang. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    /** How the tests' worker behaves. */
    enum Worker {
        ENDS_ONCE_JOINED,
        NEVER_ENDS
    }

    /** What came of one call: the answer or what it threw, and what the watch saw. */
    record Call(
            Duration timeout,
            Boolean returned,
            Throwable thrown,
            boolean seenInTimedJoin,
            boolean workerAliveAtAnswer,
            String problem,
            boolean hung) {

        /**
         * @return the answer
         * @throws NotImplementedYet as the stub threw it
         * @throws AssertionError    (a {@link SolutionHung} for a hang) if the watch caught a broken
         *                           rule, or the call threw
         */
        boolean answer() {
            if (thrown instanceof NotImplementedYet notYet) {
                throw notYet;
            }
            if (problem != null) {
                throw hung ? new SolutionHung(problem) : new AssertionError(problem);
            }
            if (thrown != null) {
                throw new AssertionError(
                        "stillAliveAfter(worker, " + shown(timeout) + ") threw " + thrown
                                + ": it waits, then answers, and throws nothing here",
                        thrown);
            }
            return returned;
        }
    }

    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread worker = Thread.ofPlatform()
            .name("worker")
            .daemon(true)
            .unstarted(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    // asked to stop: end (only close() asks, after a solution that hung)
                }
            });
    private volatile Thread caller;
    private volatile Boolean answer;
    private volatile Throwable thrown;
    private volatile boolean workerAliveAtAnswer;
    private volatile boolean seenInTimedJoin;

    WaitingRoom() {
        worker.start(); // alive from here on, until released
    }

    /** Calls {@code solution.stillAliveAfter(worker, timeout)} and watches it until it returns. */
    Call call(TimedJoin solution, Duration timeout, Worker kind) {
        Thread thread = Thread.ofPlatform().name("caller").daemon(true).unstarted(() -> {
            try {
                answer = solution.stillAliveAfter(worker, timeout);
            } catch (Throwable t) {
                thrown = t;
            } finally {
                workerAliveAtAnswer = worker.isAlive();
            }
        });
        caller = thread;
        thread.start();
        String[] untimed = {null};
        boolean returned = Poll.until(
                () -> {
                    untimed[0] = watch(timeout, kind);
                    return untimed[0] != null || !thread.isAlive();
                },
                PATIENCE);
        if (untimed[0] != null) {
            return new Call(timeout, null, thrown, seenInTimedJoin, true, untimed[0], false);
        }
        if (!returned) {
            String call = "stillAliveAfter(worker, " + shown(timeout) + ") did not return within "
                    + PATIENCE.toSeconds() + " s";
            String why = kind == Worker.ENDS_ONCE_JOINED && !seenInTimedJoin
                    ? ", and was never seen waiting in join on the worker, which ends as soon as it is waited for there:"
                            + " wait for it with worker.join(timeout), not with Thread.sleep, and not in a loop on"
                            + " isAlive()"
                    : kind == Worker.NEVER_ENDS
                            ? ", though its timeout was " + shown(timeout) + ": wait at most the timeout"
                            : "";
            return new Call(
                    timeout,
                    null,
                    thrown,
                    seenInTimedJoin,
                    true,
                    call + why + ".\nWhere the threads were:\n  " + ThreadDumps.describe(thread) + "\n  \"worker\" "
                            + (worker.isAlive() ? "alive" : "ended")
                            + (kind == Worker.ENDS_ONCE_JOINED
                                    ? " (the grader's worker: it ends as soon as it is waited for in join)"
                                    : " (the grader's worker: it never ends by itself)"),
                    true);
        }
        return new Call(timeout, answer, thrown, seenInTimedJoin, workerAliveAtAnswer, null, false);
    }

    /**
     * One look at the caller: in a timed join on the worker, it is noted (and the worker released if
     * it ends once joined); in a join with no time limit, that is a broken rule.
     *
     * @return the broken rule, or null
     */
    private String watch(Duration timeout, Worker kind) {
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(caller.threadId());
        if (info == null || !JoinWatch.isMonitorOf(info.getLockInfo(), worker)) {
            return null;
        }
        if (info.getThreadState() == Thread.State.TIMED_WAITING) {
            seenInTimedJoin = true;
            if (kind == Worker.ENDS_ONCE_JOINED) {
                release.countDown();
            }
        } else if (info.getThreadState() == Thread.State.WAITING) {
            return "stillAliveAfter(worker, " + shown(timeout) + ") waited in join with no time limit (WAITING):"
                    + " join() and join(0) wait until the worker ends, however long that takes (here, it never"
                    + " would). Wait with worker.join(timeout), which returns at once for Duration.ZERO;"
                    + " join(millis) only with millis > 0 (toMillis() rounds a timeout under 1 ms down to 0)";
        }
        return null;
    }

    /** Ends the worker and the caller. */
    @Override
    public void close() {
        release.countDown();
        try {
            Thread c = caller;
            if (c != null && !c.join(Duration.ofSeconds(2))) {
                c.interrupt();
                c.join(Duration.ofSeconds(1));
            }
            worker.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A timeout as the messages show it: "1 h", "20 ms", "0", "0.5 ms". */
    static String shown(Duration timeout) {
        if (timeout.isZero()) {
            return "Duration.ZERO";
        }
        if (timeout.toMinutes() >= 60 && timeout.toMinutesPart() == 0 && timeout.toSecondsPart() == 0) {
            return timeout.toHours() + " h";
        }
        if (timeout.toNanos() % 1_000_000 == 0) {
            return timeout.toMillis() + " ms";
        }
        return timeout.toNanos() / 1e6 + " ms";
    }
}
