package dev.threadlab.multiprocessing.exercise;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.CorrectDeadlineLoopHeldUpBetweenItsWaits;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.CorrectReadsOnAnotherThread;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.CorrectReadsWithAnExecutor;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.CorrectWaitsInADeadlineLoop;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.CorrectWaitsInNanoseconds;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.CorrectWaitsOnOnExit;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.CorrectWaitsOutTheGraceInADeadlineLoopOnOnExit;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.CorrectWithOnExit;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.DestroysWithoutWaiting;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.GivesTheExitAMomentAfterTheOutput;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.HangsInEveryRule;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.IgnoresWhatWaitForSaid;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.KillsOnAnotherThreadDuringTheGrace;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.KillsRightAfterDestroy;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.KillsThroughItsHandleAfterAGraceInMilliseconds;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.KillsWithoutAskingFirst;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.LeavesTheReaderRunning;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.LetsTheInterruptOutWithoutEndingTheChild;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.NeverForcesIt;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.PollsIsAlive;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.ReadsTheOutputFirst;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.RestoresTheInterruptBeforeTheCleanUp;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.ReturnsAtTheEndOfTheOutput;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.ReturnsTheOutputWhateverTheExitCode;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.RoundsTheTimeoutToMilliseconds;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.RoundsTheTimeoutToSeconds;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.SwallowsTheInterrupt;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.ThrowsWithoutEndingTheChild;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.TruncatesTheGraceToSeconds;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.TruncatesTheTimeoutToSeconds;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.TruncatesTheTimeoutWhileAReaderReads;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.TruncatesTheTimeoutWhileAnotherThreadWaits;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.TruncatesTheTimeoutWhileAnotherThreadWaitsAnHour;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.TruncatesTheTimeoutWithToSeconds;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.WaitsForTheExitCodeWithNoLimit;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.WaitsTheTimeoutInMilliseconds;
import dev.threadlab.multiprocessing.exercise.fixtures.runaworker.WaitsWithNoTimeLimit;
import dev.threadlab.multiprocessing.solution.ReferenceRunAWorker;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** 06.1's grading works both ways: it passes correct runs and rejects each plausible mistake, saying which rule broke. */
@GradingSelfCheck
class RunAWorkerGradingTest {

    private static final Class<RunAWorkerSpec> SPEC = RunAWorkerSpec.class;

    /** The fix every "waited less than the timeout" message gives: what to call, no guess at what the run called. */
    private static final String WHOLE_TIMEOUT = "Wait the whole timeout, not less, to the nanosecond:"
            + " waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS) (a timeout turned into a coarser unit, seconds or"
            + " milliseconds, truncated or rounded, can come out shorter)";

    /** The fix every "killed before its grace" message gives. */
    private static final String WHOLE_GRACE = ". destroy() asks the child to end (SIGTERM) and gives it the whole grace"
            + " to clean up and exit: wait for it up to the whole grace, not less, to the nanosecond"
            + " (waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)), and destroyForcibly() it only if it is still running"
            + " then (or if that wait threw InterruptedException)";

    private static final String PAST_TIMEOUT = "aChildPastItsTimeoutIsAskedToEndThenWaitedFor";

    private static final String IGNORES_DESTROY = "aChildThatIgnoresDestroyIsKilledAfterTheGraceThenWaitedFor";

    private static final String ANSWERS = "aChildThatExitsWithZeroHasItsAnswerReturned";

    private static final List<String> SCRIPTED_RULES = List.of(
            ANSWERS,
            "aChildThatExitsWithANonZeroCodeHasFailedAndRunSaysItsExitCode",
            PAST_TIMEOUT,
            IGNORES_DESTROY,
            "anInterruptEndsTheChildAndIsRethrown");

    @Test
    @Timeout(120) // grades every rule, three real JVMs included
    void theReferenceSolutionPasses() {
        Grading.assertPasses(SPEC, ReferenceRunAWorker.class);
    }

    @Test
    @Timeout(120)
    void waitingOnOnExitPasses() {
        Grading.assertPasses(SPEC, CorrectWithOnExit.class);
    }

    @Test
    @Timeout(120)
    void readingOnAnotherThreadWhileWaitingPasses() {
        Grading.assertPasses(SPEC, CorrectReadsOnAnotherThread.class);
    }

    @TestFactory
    Stream<DynamicTest> theSpecIsWellFormed() {
        return Grading.wellFormed(SPEC);
    }

    @Test
    void waitingWithNoTimeLimitIsRejectedAtOnce() {
        Grading.assertRejectedBy(
                SPEC,
                "aChildPastItsTimeoutIsAskedToEndThenWaitedFor",
                WaitsWithNoTimeLimit.class,
                "hang: run waited for the child with waitFor(), which has no time limit, and this child never ends by"
                        + " itself, so that wait would never end. Wait at most the timeout");
    }

    @Test
    void readingTheOutputBeforeTheChildExitedIsRejectedAtOnce() {
        Grading.assertRejectedBy(
                SPEC,
                "aChildPastItsTimeoutIsAskedToEndThenWaitedFor",
                ReadsTheOutputFirst.class,
                "hang: run read the child's stdout on its own thread before the child had exited, and this child never"
                        + " ends by itself, so it never closes its stdout: that read would never return");
    }

    @Test
    void leavingAChildPastItsTimeoutRunningIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "aChildPastItsTimeoutIsAskedToEndThenWaitedFor",
                ThrowsWithoutEndingTheChild.class,
                "For a child past its 50.000001 ms timeout, run threw TaskFailedException (worker pid ");
        Grading.assertRejectedBy(
                SPEC,
                "aChildPastItsTimeoutIsAskedToEndThenWaitedFor",
                ThrowsWithoutEndingTheChild.class,
                "still running, never asked to end: end it before run ends. destroy() it, wait up to grace");
    }

    @Test
    void onRealJvmsTheEndOfTheOutputComesAfterTheExitAndAChildNobodyEndedIsNamed() {
        // A real JVM's output ends as it exits; the grading's Process lets a read see that end only once
        // the JVM has exited, so a run that returns at the end of the output finds it exited on every run
        // (rule 3 rejects it on a scripted child). A JVM that never ends and was never asked to is named
        // by what run called, not by how soon a JVM exits.
        Grading.Report report = Grading.grade(SPEC, REAL_JVMS, ReturnsAtTheEndOfTheOutput.class);
        if (report.outcomes().isEmpty()
                || report.outcomes().stream().anyMatch(o -> o.status() != Grading.Status.PASSED)) {
            throw new AssertionError("rule 6 should pass ReturnsAtTheEndOfTheOutput on real JVMs, but:\n" + report);
        }
        Grading.assertRejectedBy(
                SPEC,
                REAL_JVMS,
                ThrowsWithoutEndingTheChild.class,
                "was still running, never asked to end (run called neither destroy() nor destroyForcibly()): nobody"
                        + " ended it");
    }

    private static final String REAL_JVMS = "theSameHoldsOnRealWorkerJvms";

    @Test
    void aMessageNamingAScriptedChildsPidIsTheSameInEveryGrading() {
        // Scripted pids are numbered afresh for each rule: the runner's fresh JVM and a warm one that has
        // graded other fixtures first give the same message (PollsIsAlive's named its pid, and differed).
        String rule = "aChildPastItsTimeoutIsAskedToEndThenWaitedFor";
        List<String> first = messages(Grading.grade(SPEC, rule, ThrowsWithoutEndingTheChild.class));
        List<String> second = messages(Grading.grade(SPEC, rule, ThrowsWithoutEndingTheChild.class));
        if (!first.equals(second) || first.stream().noneMatch(m -> m.contains("worker pid 70001"))) {
            throw new AssertionError(
                    "two gradings should give the same message, naming pid 70001:\n" + first + "\n" + second);
        }
    }

    @Test
    void aRunThatPollsIsInterruptedByTheCpuItUsedNotByTheTime() {
        // It polls isAlive() and looks at the interrupt flag between two polls: interrupted once it has used
        // RunCall.POLLING_CPU, it ends the child and rethrows, every run. (It used to spin until the 10 s limit,
        // told as a hang whose "where" was whichever frame the sample caught.)
        Grading.Report report = Grading.grade(SPEC, "anInterruptEndsTheChildAndIsRethrown", PollsIsAlive.class);
        if (report.outcomes().isEmpty()
                || report.outcomes().stream().anyMatch(o -> o.status() != Grading.Status.PASSED)) {
            throw new AssertionError("rule 5 should pass PollsIsAlive, which rethrows the interrupt, but:\n" + report);
        }
    }

    private static List<String> messages(Grading.Report report) {
        return report.outcomes().stream().map(Grading.Outcome::message).toList();
    }

    @Test
    void destroyingWithoutWaitingIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "aChildPastItsTimeoutIsAskedToEndThenWaitedFor",
                DestroysWithoutWaiting.class,
                "still running: destroy() only asks the child to end (SIGTERM), and it ends a moment later. Wait for"
                        + " it (waitFor(grace)) before run ends");
    }

    @Test
    void killingWithoutAskingFirstIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "aChildPastItsTimeoutIsAskedToEndThenWaitedFor",
                KillsWithoutAskingFirst.class,
                "run killed the child with destroyForcibly() without asking it first: destroy() (SIGTERM) lets it"
                        + " clean up");
    }

    @Test
    void neverKillingAChildThatIgnoresDestroyIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "aChildThatIgnoresDestroyIsKilledAfterTheGraceThenWaitedFor",
                NeverForcesIt.class,
                "still running after destroy(): this child ignores destroy() (SIGTERM), as a stuck child or one that"
                        + " traps SIGTERM may. When it is still running after grace, destroyForcibly() it");
    }

    @Test
    void returningTheOutputOfAFailedChildIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "aChildThatExitsWithANonZeroCodeHasFailedAndRunSaysItsExitCode",
                ReturnsTheOutputWhateverTheExitCode.class,
                "run returned \"half an answer\" although the child exited with exit code 3 (a non-zero exit code: it"
                        + " failed; what it wrote is no answer)");
    }

    @Test
    void anInterruptThatLeavesTheChildRunningIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "anInterruptEndsTheChildAndIsRethrown",
                LetsTheInterruptOutWithoutEndingTheChild.class,
                "Interrupted while it waited for the child (on an interrupt, end the child as on a timeout, then"
                        + " rethrow), run threw InterruptedException with the child (pid ");
    }

    @Test
    void anInterruptReportedAsATaskFailureIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "anInterruptEndsTheChildAndIsRethrown",
                SwallowsTheInterrupt.class,
                "run was interrupted while it waited for the child, and threw TaskFailedException (interrupted while"
                        + " waiting for worker pid ");
    }

    @Test
    void aTimeoutTruncatedToWholeSecondsIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "aChildThatExitsWithZeroHasItsAnswerReturned",
                TruncatesTheTimeoutToSeconds.class,
                "For a child that writes \"49\" and exits with 0 1500 ms into its 1900 ms timeout, run threw"
                        + " TaskFailedException (");
        Grading.assertRejectedBy(
                SPEC,
                "aChildThatExitsWithZeroHasItsAnswerReturned",
                TruncatesTheTimeoutToSeconds.class,
                "run's waits for it (waitFor(1, SECONDS)) asked for 1 s in all, less than its 1900 ms timeout, and"
                        + " then it ended the child. " + WHOLE_TIMEOUT);
    }

    /**
     * A reader thread that reaches its blocking read before the run waits used to make the scripted
     * child answer at once (a read lasted until it answered, on any thread): the truncated wait then
     * saw it exited, and passed, on some runs. Only the run's own waits decide now; the fixture forces
     * that interleaving, and the verdict is one message, every run.
     */
    @Test
    void aTimeoutTruncatedWhileAReaderReadsIsRejectedOnEveryRun() {
        Grading.assertRejectedBy(
                SPEC,
                "aChildThatExitsWithZeroHasItsAnswerReturned",
                TruncatesTheTimeoutWhileAReaderReads.class,
                "For a child that writes \"49\" and exits with 0 1500 ms into its 1900 ms timeout, run threw"
                        + " TaskFailedException (worker pid 70002 was still running after 1900 ms): run's waits for it"
                        + " (waitFor(1, SECONDS)) asked for 1 s in all, less than its 1900 ms timeout, and then it ended"
                        + " the child. " + WHOLE_TIMEOUT);
    }

    /**
     * A 50 ms timeout truncated to whole seconds is waited as 0 s: the child is ended before its
     * timeout ran out. The time the run's waits on the child asked for is counted, not measured, so
     * rules 3 and 4 tell it on every run, however fast the machine (it used to pass them: the child
     * never ends by itself, so ending it early gave the same TIMED_OUT).
     */
    @Test
    void aSubSecondTimeoutTruncatedToZeroIsRejectedOnEveryRun() {
        String cut = ": run's waits for it (waitFor(0, SECONDS)) asked for 0 ms in all, less than its 50.000001 ms"
                + " timeout, and then it ended the child (destroy()). " + WHOLE_TIMEOUT;
        Grading.assertRejectedBy(
                SPEC,
                "aChildPastItsTimeoutIsAskedToEndThenWaitedFor",
                TruncatesTheTimeoutToSeconds.class,
                "For a child past its 50.000001 ms timeout, run threw TaskFailedException (worker pid 70001 was still running"
                        + " after 50 ms)" + cut);
        Grading.assertRejectedBy(
                SPEC,
                "aChildThatIgnoresDestroyIsKilledAfterTheGraceThenWaitedFor",
                TruncatesTheTimeoutToSeconds.class,
                "For a child past its 50.000001 ms timeout, with a grace of 50.000001 ms, run threw TaskFailedException (worker pid"
                        + " 70001 was still running after 50 ms)" + cut);
        Grading.assertRejectedBy(
                SPEC,
                "aChildPastItsTimeoutIsAskedToEndThenWaitedFor",
                TruncatesTheTimeoutWhileAReaderReads.class,
                "For a child past its 50.000001 ms timeout, run threw TaskFailedException (worker pid 70001 was still running"
                        + " after 50 ms)" + cut);
    }

    @Test
    void pollingIsAliveInsteadOfWaitingIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "aChildThatExitsWithZeroHasItsAnswerReturned",
                PollsIsAlive.class,
                "run never waited for it with a time limit, but looked at it (isAlive()) until the timeout ran out: a"
                        + " loop that polls spins, a core busy doing nothing. Wait instead");
    }

    @Test
    void returningOnceTheOutputEndsWhileTheChildRunsIsRejected() {
        String returned =
                "For a child that wrote \"49\" and closed its stdout, but was still running past its 50.000001 ms"
                        + " timeout, run returned \"49\": the end of its output is not its exit. Wait for the child itself";
        Grading.assertRejectedBy(
                SPEC, "aChildPastItsTimeoutIsAskedToEndThenWaitedFor", ReturnsAtTheEndOfTheOutput.class, returned);
        Grading.assertRejectedBy(
                SPEC,
                "aChildPastItsTimeoutIsAskedToEndThenWaitedFor",
                GivesTheExitAMomentAfterTheOutput.class,
                returned);
    }

    @Test
    void ignoringWhatWaitForReturnedIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "aChildPastItsTimeoutIsAskedToEndThenWaitedFor",
                IgnoresWhatWaitForSaid.class,
                "but was still running past its 50.000001 ms timeout, run threw java.lang.IllegalThreadStateException: process"
                        + " hasn't exited: exitValue() throws while the child runs. When waitFor(timeout) returns false,"
                        + " the child is past its timeout: end it, and throw TIMED_OUT");
    }

    @Test
    void aCleanUpThatGivesUpWhenItsWaitIsInterruptedIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "anInterruptEndsTheChildAndIsRethrown",
                RestoresTheInterruptBeforeTheCleanUp.class,
                "Interrupted while it waited for a child that ignores destroy(), with a grace of 50.000001 ms, run threw"
                        + " InterruptedException with the child (pid ");
        Grading.assertRejectedBy(
                SPEC,
                "anInterruptEndsTheChildAndIsRethrown",
                RestoresTheInterruptBeforeTheCleanUp.class,
                "still running after destroy(): this child ignores destroy() (SIGTERM), and run's wait for it threw"
                        + " InterruptedException (the thread's interrupt flag was set: restored before the clean-up, or"
                        + " a second interrupt), and run gave up. A wait that throws has not waited: destroyForcibly()");
    }

    /**
     * A reader thread left reading past the timeout, or on an interrupt: the scripted child lets a
     * reader see the end of the output only once run waits for something else than the child, or
     * has ended, so the reader is still reading when run ends, on every run. The same fixture joins
     * its reader when the child answers, and that rule passes: joining is what releases it.
     */
    @Test
    void aReaderThreadLeftRunningIsRejectedNamingIt() {
        String left = "and left running thread \"child-reader\", still reading the child's stdout. Every thread"
                + " run starts must have ended when run returns or throws, on every way out (past the timeout and on"
                + " an interrupt too): once the child has exited, its output ends, so join the reader"
                + " (reader.join()), or close the executor that runs it, before run returns or throws";
        Grading.assertRejectedBy(
                SPEC,
                "aChildPastItsTimeoutIsAskedToEndThenWaitedFor",
                LeavesTheReaderRunning.class,
                "For a child past its 50.000001 ms timeout, run threw TaskFailedException (worker pid ");
        Grading.assertRejectedBy(
                SPEC, "aChildPastItsTimeoutIsAskedToEndThenWaitedFor", LeavesTheReaderRunning.class, left);
        Grading.assertRejectedBy(
                SPEC,
                "anInterruptEndsTheChildAndIsRethrown",
                LeavesTheReaderRunning.class,
                "Interrupted while it waited for the child (on an interrupt, end the child as on a timeout, then"
                        + " rethrow), run threw InterruptedException " + left);
        assertPassesRules(LeavesTheReaderRunning.class, List.of("aChildThatExitsWithZeroHasItsAnswerReturned"));
    }

    /** A pool's worker ends a moment after close() returns: ending, not at work, so not left running. */
    @Test
    void readingWithAnExecutorClosedOnEveryWayOutPassesTheScriptedRules() {
        assertPassesRules(CorrectReadsWithAnExecutor.class, SCRIPTED_RULES);
    }

    private static void assertPassesRules(Class<? extends RunAWorker> solution, List<String> rules) {
        for (String rule : rules) {
            Grading.Report report = Grading.grade(SPEC, rule, solution);
            if (!report.passed()) {
                throw new AssertionError("the spec should accept " + solution.getSimpleName() + " in " + rule
                        + ", but it did not.\n" + report);
            }
        }
    }

    /**
     * A learner's {@code destroy(); destroyForcibly();} with no wait between: the kill comes before
     * any of the grace was waited for. The child counts what the run's waits since {@code destroy()}
     * asked for when a kill comes, so it is told in rule 3 already (a child that would have ended
     * within its 1 h grace), every run.
     */
    @Test
    void aKillRightAfterDestroyIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                PAST_TIMEOUT,
                KillsRightAfterDestroy.class,
                "For a child past its 50.000001 ms timeout, with a grace of 1 h, run threw TaskFailedException (timed"
                        + " out after PT0.050000001S): run killed the child (destroyForcibly()) right after destroy(),"
                        + " without waiting for it at all, though its grace is 1 h" + WHOLE_GRACE);
    }

    /** The same kill from another thread, before the run's grace wait: judged the same, naming the thread. */
    @Test
    void aKillOnAnotherThreadBeforeTheGraceIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                PAST_TIMEOUT,
                KillsOnAnotherThreadDuringTheGrace.class,
                "run killed the child (destroyForcibly(), on its thread \"killer\") right after destroy(), without"
                        + " waiting for it at all, though its grace is 1 h" + WHOLE_GRACE);
    }

    /**
     * A learner's grace waited as {@code grace.toSeconds()}: 0 s for the 50.000001 ms grace of rule
     * 4, whose child ignores destroy(); it used to pass. Counted, so told every run.
     */
    @Test
    void aGraceTruncatedToSecondsIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                IGNORES_DESTROY,
                TruncatesTheGraceToSeconds.class,
                "For a child past its 50.000001 ms timeout, with a grace of 50.000001 ms, run threw TaskFailedException"
                        + " (timed out after PT0.050000001S): run killed the child (destroyForcibly()) after destroy()"
                        + " when its waits for it since then (waitFor(0, SECONDS)) had asked for 0 ms in all, less than"
                        + " its 50.000001 ms grace" + WHOLE_GRACE);
    }

    /** A kill through the child's handle, after a grace waited in whole milliseconds: judged like destroyForcibly(). */
    @Test
    void aKillThroughTheHandleBeforeTheWholeGraceIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                IGNORES_DESTROY,
                KillsThroughItsHandleAfterAGraceInMilliseconds.class,
                "run killed the child (destroyForcibly()) after destroy() when its waits for it since then (waitFor(50,"
                        + " MILLISECONDS)) had asked for 50 ms in all, less than its 50.000001 ms grace" + WHOLE_GRACE);
    }

    /**
     * A learner's timeout waited in milliseconds, truncated ({@code toMillis()}) or rounded: the
     * 50.000001 ms timeout is waited as 50 ms. The message shows the waits as the run asked them, and
     * guesses no method (it used to say "toSeconds" of a rounding run).
     */
    @Test
    void aTimeoutWaitedInMillisecondsIsRejectedWithWhatItAskedFor() {
        String cut = "For a child past its 50.000001 ms timeout, run threw TaskFailedException (timed out after"
                + " PT0.050000001S): run's waits for it (waitFor(50, MILLISECONDS)) asked for 50 ms in all, less than"
                + " its 50.000001 ms timeout, and then it ended the child (destroy()). " + WHOLE_TIMEOUT;
        Grading.assertRejectedBy(SPEC, PAST_TIMEOUT, WaitsTheTimeoutInMilliseconds.class, cut);
        Grading.assertRejectedBy(SPEC, PAST_TIMEOUT, RoundsTheTimeoutToMilliseconds.class, cut);
        assertNoMessageNames(RoundsTheTimeoutToMilliseconds.class, PAST_TIMEOUT, "toSeconds()");
    }

    @Test
    void aTimeoutRoundedToSecondsIsRejectedWithWhatItAskedFor() {
        Grading.assertRejectedBy(
                SPEC,
                PAST_TIMEOUT,
                RoundsTheTimeoutToSeconds.class,
                "For a child past its 50.000001 ms timeout, run threw TaskFailedException (timed out after"
                        + " PT0.050000001S): run's waits for it (waitFor(0, SECONDS)) asked for 0 ms in all, less than"
                        + " its 50.000001 ms timeout, and then it ended the child (destroy()). " + WHOLE_TIMEOUT);
        assertNoMessageNames(RoundsTheTimeoutToSeconds.class, PAST_TIMEOUT, "toSeconds()");
    }

    @Test
    void aLearnersToSecondsAndUntimedWaitAreRejected() {
        Grading.assertRejectedBy(
                SPEC,
                ANSWERS,
                TruncatesTheTimeoutWithToSeconds.class,
                "run's waits for it (waitFor(1, SECONDS)) asked for 1 s in all, less than its 1900 ms timeout, and"
                        + " then it ended the child. " + WHOLE_TIMEOUT);
        Grading.assertRejectedBy(
                SPEC,
                PAST_TIMEOUT,
                WaitsForTheExitCodeWithNoLimit.class,
                "hang: run waited for the child with waitFor(), which has no time limit, and this child never ends by"
                        + " itself, so that wait would never end. Wait at most the timeout");
    }

    /**
     * Another thread's wait, {@code waitFor()} with no limit or {@code waitFor(1, HOURS)}, already
     * waiting when the run waits, used to make the scripted child answer at once (the truncated wait
     * then saw it exited: passed on some runs). Only the run's own waits make it answer now; the
     * fixtures force that interleaving.
     */
    @Test
    void aTimeoutTruncatedWhileAnotherThreadWaitsIsRejectedOnEveryRun() {
        String cut = "For a child that writes \"49\" and exits with 0 1500 ms into its 1900 ms timeout, run threw"
                + " TaskFailedException (worker pid 70002 was still running after 1900 ms): run's waits for it"
                + " (waitFor(1, SECONDS)) asked for 1 s in all, less than its 1900 ms timeout, and then it ended the"
                + " child. " + WHOLE_TIMEOUT;
        Grading.assertRejectedBy(SPEC, ANSWERS, TruncatesTheTimeoutWhileAnotherThreadWaits.class, cut);
        Grading.assertRejectedBy(SPEC, ANSWERS, TruncatesTheTimeoutWhileAnotherThreadWaitsAnHour.class, cut);
    }

    /** A learner's two correct runs (nanoseconds; onExit() for the timeout, waitFor for the grace) pass the scripted rules. */
    @Test
    void aLearnersCorrectRunsPassTheScriptedRules() {
        assertPassesRules(CorrectWaitsInNanoseconds.class, SCRIPTED_RULES);
        assertPassesRules(CorrectWaitsOnOnExit.class, SCRIPTED_RULES);
    }

    /**
     * A learner's deadline loop ({@code waitFor(deadline - System.nanoTime(), NANOSECONDS)} until the
     * deadline has passed, 02.3's "one shared deadline"), for the timeout and the grace: it waits the
     * whole of both, but its waits ask for a few microseconds less (what was left once it read the
     * deadline), and it used to be rejected by rules 3 and 4 ("asked for 49.993108 ms in all"). A
     * timed wait that runs out at once now moves the run's clock on by what it asked (RunClock), so
     * the loop asks again for what is left, to the nanosecond, on every run, however slowly it runs.
     * The same with the grace waited on {@code onExit().get(left, NANOSECONDS)}.
     */
    @Test
    void aLearnersDeadlineLoopsPassTheScriptedRules() {
        assertPassesRules(CorrectWaitsInADeadlineLoop.class, SCRIPTED_RULES);
        assertPassesRules(CorrectWaitsOutTheGraceInADeadlineLoopOnOnExit.class, SCRIPTED_RULES);
    }

    /**
     * The run's clock stands still but for what its waits that ran out asked for: a deadline loop
     * held up after each such wait until the real deadline has passed (a loaded machine's
     * descheduling, made certain) still asks for what is left, and passes rules 3 and 4.
     */
    @Test
    void aDeadlineLoopHeldUpPastItsRealDeadlineBetweenWaitsPasses() {
        assertPassesRules(CorrectDeadlineLoopHeldUpBetweenItsWaits.class, List.of(PAST_TIMEOUT, IGNORES_DESTROY));
    }

    private static void assertNoMessageNames(Class<? extends RunAWorker> solution, String rule, String guess) {
        for (String message : messages(Grading.grade(SPEC, rule, solution))) {
            if (message != null && message.contains(guess)) {
                throw new AssertionError(solution.getSimpleName() + " does not call " + guess
                        + ", but the message names it:\n" + message);
            }
        }
    }

    /**
     * The worst case: a run that hangs, deaf to interrupts, in every rule; the first hang skips the
     * rest. Slow by nature (one {@link RunCall#SCRIPTED_LIMIT}), so only on demand: {@code ./mvnw -q
     * -pl 06-multiprocessing -am verify -Dtest=RunAWorkerGradingTest#aRunThatHangsInEveryRuleIsToldWithinAMinute
     * -Dthreadlab.hangcheck=true -Dsurefire.failIfNoSpecifiedTests=false}.
     */
    @Test
    @EnabledIfSystemProperty(named = "threadlab.hangcheck", matches = "true")
    @Timeout(120)
    void aRunThatHangsInEveryRuleIsToldWithinAMinute() {
        Grading.assertHangVerdictWithin(
                Duration.ofSeconds(60),
                SPEC,
                HangsInEveryRule.class,
                "hang: run(launcher, 1 h, 1 h) did not return within 10 s",
                HangsInEveryRule.RELEASE::countDown);
    }
}
