package dev.threadlab.lifecycle.exercise;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.lifecycle.exercise.fixtures.napper.CorrectJoinsInALoopOfShortJoins;
import dev.threadlab.lifecycle.exercise.fixtures.napper.CorrectRestoresTheFlag;
import dev.threadlab.lifecycle.exercise.fixtures.napper.GivesUpAfterTwoTries;
import dev.threadlab.lifecycle.exercise.fixtures.napper.HangsInStartNapper;
import dev.threadlab.lifecycle.exercise.fixtures.napper.InterruptsWithoutJoining;
import dev.threadlab.lifecycle.exercise.fixtures.napper.JoinsForAFewMillis;
import dev.threadlab.lifecycle.exercise.fixtures.napper.JoinsForAMinute;
import dev.threadlab.lifecycle.exercise.fixtures.napper.JoinsWithoutInterrupting;
import dev.threadlab.lifecycle.exercise.fixtures.napper.NapsOnlyOnce;
import dev.threadlab.lifecycle.exercise.fixtures.napper.RestoresTheFlagButNapsAgain;
import dev.threadlab.lifecycle.exercise.fixtures.napper.RunsTheNapperOnTheCaller;
import dev.threadlab.lifecycle.exercise.fixtures.napper.StartsAVirtualNapper;
import dev.threadlab.lifecycle.exercise.fixtures.napper.StopPollsIsAlive;
import dev.threadlab.lifecycle.exercise.fixtures.napper.SwallowsTheInterrupt;
import dev.threadlab.lifecycle.exercise.fixtures.napper.SwallowsTheInterruptAndNeverJoins;
import dev.threadlab.lifecycle.solution.ReferenceStopTheNapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Proof that {@link StopTheNapperSpec} grades both ways: it accepts the reference and correct
 * solutions in other idioms, finds the untouched stub not implemented, and rejects each plausible
 * mistake with the message that names it.
 */
@GradingSelfCheck
class StopTheNapperGradingTest {

    private static final String STILL_ALIVE = "the napper was still alive when stop(napper) returned (interrupted,"
            + " but still waking up, and it wakes only once you wait for it to end): after interrupting it, join() it,"
            + " with no timeout";

    @Test
    void theReferenceSolutionPasses() {
        Grading.assertPasses(StopTheNapperSpec.class, ReferenceStopTheNapper.class);
    }

    @Test
    void aNapperThatRestoresTheFlagPasses() {
        Grading.assertPasses(StopTheNapperSpec.class, CorrectRestoresTheFlag.class);
    }

    @Test
    void aLoopOfShortJoinsPasses() {
        Grading.assertPasses(StopTheNapperSpec.class, CorrectJoinsInALoopOfShortJoins.class);
    }

    @TestFactory
    Stream<DynamicTest> theSpecIsWellFormed() {
        return Grading.wellFormed(StopTheNapperSpec.class);
    }

    @Test
    void joiningWithoutInterruptingIsReportedAsAHangAtOnce() {
        Grading.Report report = Grading.assertRejectedBy(
                StopTheNapperSpec.class,
                "stopInterruptsTheNapperAndItNapsNoMore",
                JoinsWithoutInterrupting.class,
                "hang: stop(napper) waited in join() for the napper, which nobody had interrupted: it naps until it"
                        + " is interrupted, so this wait never ends. Interrupt it (napper.interrupt()), then join it");
        if (!report.outcomes().get(0).hung()) {
            throw new AssertionError("a wait that never ends is reported as a hang: " + report);
        }
    }

    @Test
    void interruptingWithoutJoiningIsRejected() {
        Grading.assertRejectedBy(
                StopTheNapperSpec.class,
                "stopReturnsOnlyOnceTheNapperHasEnded",
                InterruptsWithoutJoining.class,
                STILL_ALIVE);
    }

    @Test
    void joiningForAFewMillisIsRejected() {
        Grading.assertRejectedBy(
                StopTheNapperSpec.class, "stopReturnsOnlyOnceTheNapperHasEnded", JoinsForAFewMillis.class, STILL_ALIVE);
    }

    /**
     * A join with a long timeout is the same mistake as a short one: the grading makes a timed join
     * on the held napper run out at once (TimedJoins), so the verdict and its message are the same
     * every run, whatever the timeout, and no minute is waited out.
     */
    @Test
    void joiningForAMinuteIsRejectedAtOnce() {
        long start = System.nanoTime();
        Grading.Report report = Grading.assertRejectedBy(
                StopTheNapperSpec.class, "stopReturnsOnlyOnceTheNapperHasEnded", JoinsForAMinute.class, STILL_ALIVE);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (report.outcomes().get(0).hung() || millis >= NapRoom.PATIENCE.toMillis()) {
            throw new AssertionError(
                    "a timed join runs out at once, not after its timeout: " + millis + " ms, " + report);
        }
    }

    /**
     * A loop of timed joins that gives up after two tries is a give-up: the first
     * {@code TimedWaitRouting.TRIES - 1} timed joins on the held napper run out at once (a count, not a time).
     */
    @Test
    void aJoinLoopThatGivesUpAfterTwoTriesIsRejected() {
        Grading.assertRejectedBy(
                StopTheNapperSpec.class,
                "stopReturnsOnlyOnceTheNapperHasEnded",
                GivesUpAfterTwoTries.class,
                STILL_ALIVE);
    }

    /** The grading ends a virtual napper after each rule without printing on the console. */
    @Test
    void aVirtualNapperIsRejectedWithoutNoiseOnTheConsole() throws InterruptedException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream was = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            Grading.assertRejectedBy(
                    StopTheNapperSpec.class,
                    "startNapperStartsAPlatformThreadThatNapsUntilInterrupted",
                    StartsAVirtualNapper.class,
                    "the napper is a virtual thread: start a platform thread (new Thread(...).start() or"
                            + " Thread.ofPlatform().start(...))");
        } finally {
            System.setErr(was);
        }
        String printed = err.toString(StandardCharsets.UTF_8);
        if (printed.contains("TestOver") || printed.contains("Exception in thread")) {
            throw new AssertionError("the grading's own end of the napper reached the console: " + printed);
        }
    }

    @Test
    void swallowingTheInterruptInTheNapperIsRejected() {
        Grading.assertRejectedBy(
                StopTheNapperSpec.class,
                "stopInterruptsTheNapperAndItNapsNoMore",
                SwallowsTheInterrupt.class,
                "the napper took another nap after its nap threw InterruptedException:"
                        + " catching it and napping on swallows the request");
    }

    /**
     * Without a join, stop() returns before the napper shows that it naps on: the rule that the
     * napper naps no more is judged on the napper itself (its nap wakes at once, and what it does
     * next is watched), never passed because stop() did not wait to see.
     */
    @Test
    void swallowingTheInterruptIsRejectedEvenWhenStopDoesNotJoin() {
        Grading.Report report = Grading.assertRejectedBy(
                StopTheNapperSpec.class,
                "stopInterruptsTheNapperAndItNapsNoMore",
                SwallowsTheInterruptAndNeverJoins.class,
                "the napper took another nap after its nap threw InterruptedException: catching it and napping on"
                        + " swallows the request (throwing it cleared the interrupt flag, so nothing stops the next nap)."
                        + " Stop at the exception: leave the loop, and the thread ends");
        Grading.assertRejectedBy(
                StopTheNapperSpec.class,
                "stopReturnsOnlyOnceTheNapperHasEnded",
                SwallowsTheInterruptAndNeverJoins.class,
                STILL_ALIVE);
        if (report.outcomes().get(0).hung()) {
            throw new AssertionError("a swallowed interrupt is a broken rule, not a hang: " + report);
        }
    }

    /** The flag was restored: the message says so, and does not advise restoring it. */
    @Test
    void restoringTheFlagButNappingAgainIsRejected() {
        Grading.assertRejectedBy(
                StopTheNapperSpec.class,
                "stopInterruptsTheNapperAndItNapsNoMore",
                RestoresTheFlagButNapsAgain.class,
                "the napper took another nap after its nap threw InterruptedException, though it had restored its"
                        + " interrupt flag (Thread.currentThread().interrupt()): restoring the flag is right, but the"
                        + " loop never looks at it and naps on. End the loop when the thread is interrupted: loop while"
                        + " (!Thread.currentThread().isInterrupted()), or leave the loop in the catch");
    }

    /** Decided by the CPU the caller uses while the napper is held for a join, not by a 10 s bound. */
    @Test
    void stopPollingIsAliveIsRejectedAsASpinNotAHang() {
        Grading.Report report = Grading.assertRejectedBy(
                StopTheNapperSpec.class,
                "stopReturnsOnlyOnceTheNapperHasEnded",
                StopPollsIsAlive.class,
                "stop(napper) interrupted the napper, then kept running without waiting for it: the \"caller\" thread"
                        + " used ");
        String message = report.outcomes().get(0).message();
        String rest = "ms of CPU in stop(), never waiting in join, while the napper (napper) was still waking up (it"
                + " wakes only once you wait for it in join). A loop on isAlive() (with onSpinWait or not) burns a core"
                + " and never waits; wait with napper.join(), no timeout";
        if (!message.contains(rest) || report.outcomes().get(0).hung()) {
            throw new AssertionError("a spin in stop() is a broken rule, decided by the CPU it uses, not a hang,"
                    + " and its message ends \"" + rest + "\": " + report);
        }
    }

    @Test
    void aNapperWithoutALoopIsRejected() {
        Grading.assertRejectedBy(
                StopTheNapperSpec.class,
                "startNapperStartsAPlatformThreadThatNapsUntilInterrupted",
                NapsOnlyOnce.class,
                "the napper ended after 1 nap, though nobody had interrupted it: nap again and"
                        + " again, in a loop, until the thread is interrupted");
    }

    @Test
    void runInsteadOfStartIsRejected() {
        Grading.assertRejectedBy(
                StopTheNapperSpec.class,
                "startNapperStartsAPlatformThreadThatNapsUntilInterrupted",
                RunsTheNapperOnTheCaller.class,
                "the naps ran on the calling thread: run() runs the body right there;"
                        + " start() makes a new thread that runs it");
    }

    /**
     * The worst case for the time to a verdict: startNapper never returns. One bound
     * ({@link NapRoom#PATIENCE}), then the other rules are skipped. Run on demand:
     * {@code ./mvnw -q -pl 02-join-isalive -am verify -Dtest=StopTheNapperGradingTest
     * -Dsurefire.failIfNoSpecifiedTests=false -Dthreadlab.hangcheck=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "threadlab.hangcheck", matches = "true")
    void aSolutionThatHangsEverywhereGetsItsVerdictWithinAMinute() {
        Grading.assertHangVerdictWithin(
                Duration.ofSeconds(60),
                StopTheNapperSpec.class,
                HangsInStartNapper.class,
                "hang: startNapper(sleeper, 1 min) did not return within 10 s",
                HangsInStartNapper::stopHanging);
    }
}
