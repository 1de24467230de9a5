package dev.threadlab.lifecycle.exercise;

import dev.threadlab.lifecycle.exercise.Hand.Kind;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;

/**
 * The supervisor's rules that can be seen broken while {@code supervise()} is still running, checked
 * by {@link SupervisorRun} at every look: waiting before every worker was started (rule 1), waiting
 * past the deadline (rule 6), and going back to waiting after the caller's interrupt (rule 9). Each
 * is a state that a correct supervisor is never in, so no race can make a correct one fail here.
 */
final class WatchedRules {

    private WatchedRules() {}

    /** @return the first rule {@code run}'s supervisor is seen breaking now, or null */
    static String firstBroken(SupervisorRun run) {
        String broken = waitingBeforeAllStarted(run);
        if (broken == null) {
            broken = pastDeadlineWait(run);
        }
        if (broken == null) {
            broken = waitingOnAfterTheInterrupt(run);
        }
        return broken;
    }

    /**
     * Rule 1, observed: supervise() waits in join for a worker while some workers have not been
     * started. Once it is joining, a correct supervisor has called start() on every worker, and
     * each such thread is either alive in the supervisor's group or has ended after running its
     * task (so its Hand knows its thread).
     *
     * <p>Seen only where the sight is certain: a join on a blocking worker lasts until the test
     * lets the worker go, so the watch sees it at its next look; a worker that spends clock time
     * looks for itself, at the moment it sees the supervisor joining it ({@link
     * SupervisorRun#noteJoined}). A join on a quick worker ends as soon as the worker does, before
     * the watch may look or after: counted, it would fail a rule in one run and pass it in the next
     * (the runner's fresh JVM and a warm test JVM disagreed on three rules of
     * StartsAndJoinsOneWorkerAtATime), so it is not.
     */
    private static String waitingBeforeAllStarted(SupervisorRun run) {
        String seen = run.joinedBeforeAllStarted;
        if (seen != null) {
            return seen;
        }
        for (Hand h : run.tasks) {
            if (h.kind == Kind.BLOCKS && JoinWatch.isJoining(run.thread, h.thread)) {
                String broken = joinedBeforeAllStarted(run, h);
                if (broken != null) {
                    return broken;
                }
            }
        }
        return null;
    }

    /** @return rule 1's message if, while supervise() joins {@code h}'s worker, some worker was never started */
    static String joinedBeforeAllStarted(SupervisorRun run, Hand h) {
        int started = run.startedWorkers();
        if (started >= run.tasks.size()) {
            return null;
        }
        return "supervise() was waiting in join for " + h.worker() + " while only " + started + " of the "
                + run.tasks.size() + " worker threads had been started: start every"
                + " worker before waiting for any (started and joined one at a time, they"
                + " run one after another, not together)";
    }

    /** Rule 2, observed: a wait in join for an uninterrupted worker after the deadline. */
    private static String pastDeadlineWait(SupervisorRun run) {
        long used = run.clockNanos();
        Duration timeout = run.timeout;
        if (used < timeout.toNanos()) {
            return null;
        }
        for (Hand h : run.tasks) {
            Thread worker = h.thread;
            // order matters: joining first, then the flag, then the record; see Hand.parkUntil...
            if (h.kind == Kind.BLOCKS
                    && JoinWatch.isJoining(run.thread, worker)
                    && worker.isAlive()
                    && !worker.isInterrupted()
                    && !h.sawInterrupt) {
                Thread.State state = run.thread.getState();
                if (run.tickerReads.get() == 0) {
                    return "supervise() never read the ticker it was given, so it could not see the deadline"
                            + " pass: it was still waiting for " + h.worker() + " when "
                            + Duration.ofNanos(used).toMinutes() + " min of the " + timeout.toMinutes()
                            + " min timeout had gone by on"
                            + " that ticker. Read the deadline from the ticker you were given (the tests give"
                            + " a manual clock), not from System.nanoTime() or System.currentTimeMillis()";
                }
                return "supervise() was still waiting for " + h.worker() + " (" + state + " in join)"
                        + " although the shared deadline had passed: "
                        + Duration.ofNanos(used).toMinutes()
                        + " min of the " + timeout.toMinutes() + " min timeout had gone by on the ticker."
                        + " Wait for each worker only for the time left until one deadline, then"
                        + " interrupt the ones still running"
                        + (state == Thread.State.WAITING
                                ? " (this wait had no timeout at all: join(0)"
                                        + " and join() wait forever, join(Duration.ZERO) returns at once)"
                                : "");
            }
        }
        return null;
    }

    /**
     * Rule 5, observed: after the test interrupted supervise(), it is seen in a new wait (its wait
     * count has grown) in join on a worker that nobody interrupted. A supervisor that obeys the
     * interrupt interrupts a worker before it waits for it again.
     */
    private static String waitingOnAfterTheInterrupt(SupervisorRun run) {
        long before = run.waitsBeforeInterrupt;
        if (before < 0) {
            return null;
        }
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(run.thread.threadId());
        if (info == null || info.getWaitedCount() <= before) {
            return null; // still in the wait it was in: about to see the interrupt
        }
        for (Hand h : run.tasks) {
            Thread worker = h.thread;
            // order matters: the wait first, then the flag, then the record; see Hand.parkUntil...
            if (JoinWatch.isMonitorOf(info.getLockInfo(), worker)
                    && worker.isAlive()
                    && !worker.isInterrupted()
                    && !h.sawInterrupt) {
                return "the caller was interrupted while supervise() waited, but supervise() went back to"
                        + " waiting for " + h.worker() + " (in join) without interrupting it: when join() throws"
                        + " InterruptedException, the caller wants out; interrupt every worker still running,"
                        + " join them, and rethrow it, instead of catching it and waiting on";
            }
        }
        return null;
    }
}
