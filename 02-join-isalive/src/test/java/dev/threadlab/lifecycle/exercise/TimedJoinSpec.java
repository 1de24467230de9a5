package dev.threadlab.lifecycle.exercise;

import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.lifecycle.exercise.WaitingRoom.Call;
import dev.threadlab.lifecycle.exercise.WaitingRoom.Worker;
import dev.threadlab.lifecycle.solution.ReferenceTimedJoin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The rules of exercise 02.1 ({@link TimedJoin}), one test each. The worker is held on a latch by
 * {@link WaitingRoom}: it ends only once the caller waits for it in {@code join}, or never, so
 * "finished" and "still alive" are decided by construction. The only real time spent is the 20 ms
 * timeout of rule 2.
 */
@GradedExercise(
        value = "02.1 wait for a worker with a timeout, then say if it is still alive",
        learner = YourTimedJoin.class,
        reference = ReferenceTimedJoin.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(20)
class TimedJoinSpec {

    private final List<WaitingRoom> rooms = new ArrayList<>();

    @AfterEach
    void nothingOutlivesTheRule() {
        rooms.forEach(WaitingRoom::close);
    }

    private Call call(TimedJoin solution, Duration timeout, Worker worker) {
        WaitingRoom room = new WaitingRoom();
        rooms.add(room);
        return room.call(solution, timeout, worker);
    }

    @Test
    @Order(1)
    @DisplayName("1. False as soon as the worker ends")
    void aWorkerThatEndsWithinTheTimeoutIsReportedFinished(@Solution TimedJoin solution) {
        Call call = call(solution, Duration.ofHours(1), Worker.ENDS_ONCE_JOINED);

        if (call.answer()) {
            throw new AssertionError(
                    call.workerAliveAtAnswer()
                            ? "stillAliveAfter(worker, 1 h) answered true (still alive), and the worker was indeed still alive,"
                                    + " but this worker ends as soon as it is waited for in join: you did not wait for it in"
                                    + " join, or waited less than the timeout you were given. Wait with worker.join(timeout),"
                                    + " then answer"
                            : "stillAliveAfter(worker, 1 h) answered true (still alive), but the worker had ended when you"
                                    + " answered: join(Duration) returns true when the thread has ENDED, so \"still alive\" is"
                                    + " its opposite (return !worker.join(timeout)), or ask worker.isAlive() after the join");
        }
    }

    @Test
    @Order(2)
    @DisplayName("2. True when the timeout runs out")
    void aWorkerStillRunningWhenTheTimeoutRunsOutIsReportedAlive(@Solution TimedJoin solution) {
        Call call = call(solution, Duration.ofMillis(20), Worker.NEVER_ENDS);

        if (!call.answer()) {
            throw new AssertionError("stillAliveAfter(worker, 20 ms) answered false (finished), but the worker was"
                    + " still running when you answered (this one never ends by itself): join(Duration) returns"
                    + " whether the thread ENDED, so false from it means still alive; return !worker.join(timeout),"
                    + " or worker.isAlive() after the join");
        }
    }

    @Test
    @Order(3)
    @DisplayName("3. Never a wait without a limit")
    void aZeroOrSubMillisecondTimeoutNeverWaitsWithoutALimit(@Solution TimedJoin solution) {
        for (Duration timeout : List.of(Duration.ZERO, Duration.ofNanos(500_000))) {
            Call call = call(solution, timeout, Worker.NEVER_ENDS);

            if (!call.answer()) {
                throw new AssertionError("stillAliveAfter(worker, " + WaitingRoom.shown(timeout) + ") answered false"
                        + " (finished), but the worker was still running (this one never ends by itself): with a"
                        + " timeout of " + WaitingRoom.shown(timeout) + ", look (or wait that long) and answer true");
            }
        }
    }
}
