package dev.threadlab.daemon.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingReport;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.daemon.exercise.fixtures.AwaitsTerminationWithoutShutdownSaver;
import dev.threadlab.daemon.exercise.fixtures.CheckThenQueueSaver;
import dev.threadlab.daemon.exercise.fixtures.CloseReturnsAtOnceSaver;
import dev.threadlab.daemon.exercise.fixtures.CorrectPlatformThreadSaver;
import dev.threadlab.daemon.exercise.fixtures.CorrectScheduledExecutorSaver;
import dev.threadlab.daemon.exercise.fixtures.CorrectVirtualThreadSaver;
import dev.threadlab.daemon.exercise.fixtures.DaemonExecutorNoHookSaver;
import dev.threadlab.daemon.exercise.fixtures.DaemonSetTooLateSaver;
import dev.threadlab.daemon.exercise.fixtures.DaemonWriterDropsWorkSaver;
import dev.threadlab.daemon.exercise.fixtures.DefaultExecutorSaver;
import dev.threadlab.daemon.exercise.fixtures.FlushEveryHundredSaver;
import dev.threadlab.daemon.exercise.fixtures.FlushInFinallySaver;
import dev.threadlab.daemon.exercise.fixtures.GivesUpSilentlySaver;
import dev.threadlab.daemon.exercise.fixtures.GivesUpWithoutACountSaver;
import dev.threadlab.daemon.exercise.fixtures.GivesUpWithoutStoppingTheWriterSaver;
import dev.threadlab.daemon.exercise.fixtures.HangingCloseSaver;
import dev.threadlab.daemon.exercise.fixtures.InterruptsThenWaitsOnSomethingElseSaver;
import dev.threadlab.daemon.exercise.fixtures.InterruptsWithoutWaitingSaver;
import dev.threadlab.daemon.exercise.fixtures.LaxSaver;
import dev.threadlab.daemon.exercise.fixtures.RemovesHookWhileShuttingDownSaver;
import dev.threadlab.daemon.exercise.fixtures.SilentlyDropsAfterCloseSaver;
import dev.threadlab.daemon.exercise.fixtures.SpinningWriterSaver;
import dev.threadlab.daemon.exercise.fixtures.SynchronousSaveSaver;
import dev.threadlab.daemon.exercise.fixtures.UserThreadSaver;
import dev.threadlab.daemon.solution.ReferenceAutoSaver;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The spec grades both ways: it accepts the reference and correct solutions in several idioms, and
 * rejects the stub and each wrong solution with its reason. Wrong solutions are graded by the one
 * rule that must catch them (child JVMs are slow). The reference is graded on every rule; the
 * correct idioms on every rule but the SIGTERM one, where the idiom changes nothing: SIGTERM runs
 * the same shutdown hook, calling the same {@code close()}, as the program whose main returns
 * (which they are graded on, in a child JVM); what differs is only who starts the shutdown.
 */
@GradingSelfCheck
class AutoSaverGradingTest {

    private static final String MAIN_RETURNS = "whenMainReturnsWithoutCloseTheProgramEndsWithEveryAcceptedRecordSaved";
    private static final String SIGTERM = "noAcceptedRecordIsLostOnSigterm";
    private static final String GIVES_UP = "closeWaitsForAStuckWriterOnlyItsBoundThenSaysHowManyRecordsWereLost";
    private static final String ENDS_THREADS = "closeEndsEveryThreadTheSaverStartedAlsoWhenItGivesUp";

    // ---- accepted ----

    @Test
    void theReferenceSolutionPasses() {
        Grading.assertPasses(AutoSaverSpec.class, ReferenceAutoSaver.class);
    }

    @Test
    void aDaemonPlatformThreadWithAHookThatJoinsWithABoundPasses() {
        SomeRules.assertPassesAllBut(AutoSaverSpec.class, CorrectPlatformThreadSaver.class, SIGTERM);
    }

    @Test
    void aVirtualThreadWriterWithAHookPasses() {
        SomeRules.assertPassesAllBut(AutoSaverSpec.class, CorrectVirtualThreadSaver.class, SIGTERM);
    }

    @Test
    void aDaemonScheduledExecutorWithAHookPasses() {
        SomeRules.assertPassesAllBut(AutoSaverSpec.class, CorrectScheduledExecutorSaver.class, SIGTERM);
    }

    @TestFactory
    Stream<DynamicTest> theSpecIsWellFormed() {
        return Grading.wellFormed(AutoSaverSpec.class);
    }

    // ---- how the program ends (child JVMs) ----

    @Test
    void aUserThreadThatKeepsTheProgramAliveIsRejectedNamingTheThread() {
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                MAIN_RETURNS,
                UserThreadSaver.class,
                "the program did not end after main returned: kept alive by non-daemon thread(s): [\"auto-saver\"");
    }

    @Test
    void aDefaultExecutorsUserThreadThatKeepsTheProgramAliveIsRejectedNamingTheThread() {
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                MAIN_RETURNS,
                DefaultExecutorSaver.class,
                "the program did not end after main returned: kept alive by non-daemon thread(s): [\"pool-");
    }

    @Test
    void aDaemonExecutorWithNoHookLosesRecordsInEveryRunWhenMainReturns() {
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                MAIN_RETURNS,
                DaemonExecutorNoHookSaver.class,
                "1999 of 1999 accepted records were lost when main returned without calling close() "
                        + "(first lost: record-000001): the grading held the file's writes back until the program "
                        + "ended, as a slow disk might, and the saver registered no shutdown hook, so the JVM exited "
                        + "with the writer stuck. A daemon thread stops mid-work at exit");
    }

    @Test
    void aDaemonThatFlushesOnlyInFinallyIsRejectedOnSigterm() {
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                SIGTERM,
                FlushInFinallySaver.class,
                "2011 of 2011 accepted records were lost on SIGTERM (first lost: record-000001): the grading held "
                        + "the file's writes back until the program ended, as a slow disk might, and the saver "
                        + "registered no shutdown hook");
    }

    @Test
    void aHookThatDiesRemovingItselfIsRejectedNamingRemoveShutdownHookNotTheMissingHook() {
        Grading.Report report = Grading.assertRejectedBy(
                AutoSaverSpec.class,
                MAIN_RETURNS,
                RemovesHookWhileShuttingDownSaver.class,
                "close() called Runtime.removeShutdownHook while the JVM was shutting down");
        assertThat(report.outcomes())
                .as("the message should quote the child's exception, and not blame a missing hook:%n%s", report)
                .anySatisfy(o -> assertThat(o.message())
                        .contains("the child program printed: Exception in thread \"saver-hook\" "
                                + "java.lang.IllegalStateException: Shutdown in progress")
                        .doesNotContain("registered no shutdown hook")
                        .hasLineCount(1));
    }

    // ---- the contract, in this JVM ----

    @Test
    void aLastPartialBatchNeverWrittenIsRejected() {
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                "everyRecordAcceptedFromTwoThreadsIsInTheFileAfterClose",
                FlushEveryHundredSaver.class,
                "3 of 2003 accepted records were lost after close() returned, with two " + "threads saving at once");
    }

    /**
     * Rule 1 saves the last record with the file held and lets the writer write only while close()
     * waits: a close() that returns at once loses it in every run (before, it passed rule 1 when the
     * writer happened to finish first: 2 runs of 30 under load).
     */
    @Test
    void aCloseThatReturnsAtOnceLosesTheLastRecordInEveryRun() {
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                "everyRecordAcceptedFromTwoThreadsIsInTheFileAfterClose",
                CloseReturnsAtOnceSaver.class,
                "accepted records were lost after close() returned, with two threads saving at once (first lost: a-");
    }

    @Test
    void aCloseThatReturnsWithoutWaitingForTheWriterIsRejected() {
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                GIVES_UP,
                CloseReturnsAtOnceSaver.class,
                "close() returned while the writer was stuck and the records were not all written yet: it returned"
                        + " normally ");
    }

    /** Caught in the act: the held write is on the thread that called save(), so no bound has to pass. */
    @Test
    void aSaveThatWritesTheFileItselfIsRejected() {
        Grading.Report report = Grading.assertRejectedBy(
                AutoSaverSpec.class,
                GIVES_UP,
                SynchronousSaveSaver.class,
                "save() writes the file itself: with the file stuck (the grading holds its writes back, as a stalled"
                        + " disk would), the thread that called save() was caught writing it (");
        assertThat(report.outcomes())
                .as("where save() wrote is told on one line:%n%s", report)
                .anySatisfy(o -> assertThat(o.message())
                        .contains("SynchronousSaveSaver.save(SynchronousSaveSaver.java:")
                        .hasLineCount(1));
    }

    // ---- giving up on a stuck writer (the grading holds every write back; close() is given 0.3 s) ----

    @Test
    void aCloseThatGivesUpAndReturnsNormallyIsRejected() {
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                GIVES_UP,
                GivesUpSilentlySaver.class,
                "close() returned while the writer was stuck and the records were not all written yet: it returned"
                        + " normally (after ");
    }

    @Test
    void aCloseThatGivesUpWithoutSayingHowManyRecordsWereLostIsRejected() {
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                GIVES_UP,
                GivesUpWithoutACountSaver.class,
                "close() gave up as it should, but its IllegalStateException does not give the number of records lost:"
                        + " it said \"close() gave up: the writer did not finish within 300 ms\", and none of the 1009"
                        + " accepted records had reached the file");
    }

    @Test
    void aCloseThatGivesUpLeavingTheWriterStuckIsRejected() {
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                ENDS_THREADS,
                GivesUpWithoutStoppingTheWriterSaver.class,
                "close() threw java.lang.IllegalStateException: gave up after 300 ms: 1013 of 1013 records were lost"
                        + " (not written and flushed) while the saver's thread \"auto-saver\" was still stuck in"
                        + " write() (the grading held the file's writes back): close() never interrupted it");
    }

    @Test
    void aCloseThatInterruptsTheWriterButDoesNotWaitForItIsRejected() {
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                ENDS_THREADS,
                InterruptsWithoutWaitingSaver.class,
                "while the saver's thread \"auto-saver\" was still stuck in write() (the grading held the file's"
                        + " writes back): close() interrupted it, but did not wait for it to end");
    }

    /**
     * Interrupts the writer, then waits the bound on a latch nothing counts down: the interrupted
     * writer is let go of its write only while close() waits, so it has usually ended by the time
     * close() throws. Rejected by construction, every run: the latch close() waited on was still
     * not counted down when close() threw.
     */
    @Test
    void aCloseThatInterruptsTheWriterThenWaitsOnSomethingElseIsRejected() {
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                ENDS_THREADS,
                InterruptsThenWaitsOnSomethingElseSaver.class,
                "without waiting for the writer it had interrupted (the grading held the file's writes back, and let"
                        + " the interrupted writer leave its write only once close() waited): close() waited on a"
                        + " CountDownLatch that was still not counted down when close() returned, so its wait ended"
                        + " by its timeout, not when the writer ended");
    }

    // ---- a race, forced; a spin, measured in processor time ----

    @Test
    void aSaveThatChecksThenQueuesOutsideTheLockIsCaughtBetweenTheTwo() {
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                "aSaveRacingCloseIsEitherRefusedOrWritten",
                CheckThenQueueSaver.class,
                "a record was lost: a save() was paused at CheckThenQueueSaver.save(CheckThenQueueSaver.java:");
    }

    @Test
    void aWriterThatSpinsOnPollIsRejected() {
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                "theSaversThreadsWaitForRecordsWithoutSpinning",
                SpinningWriterSaver.class,
                "the saver's thread \"auto-saver\" spins: with nothing to write, it ");
    }

    @Test
    void settingDaemonAfterStartIsRejected() {
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                ENDS_THREADS,
                DaemonSetTooLateSaver.class,
                "setDaemon(true) was called after start()");
    }

    @Test
    void silentlyDroppingARecordSavedAfterCloseIsRejected() {
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                "saveAfterCloseIsRefusedNotSilentlyDropped",
                SilentlyDropsAfterCloseSaver.class,
                "save() after close() returned normally, so the record was " + "silently dropped");
    }

    @Test
    void aSaverThatSkipsTheRestOfTheContractIsRejectedForEachRuleItBreaks() {
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                "aRecordWithALineBreakIsRefused",
                LaxSaver.class,
                "save(\"two\\nlines\") returned normally: it must throw IllegalArgumentException");
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                "saveBeforeStartIsRefused",
                LaxSaver.class,
                "save() before start() returned normally");
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                "startingTwiceIsRefused",
                LaxSaver.class,
                "start() called a second time returned normally");
        Grading.Report unbounded = Grading.assertRejectedBy(
                AutoSaverSpec.class, GIVES_UP, LaxSaver.class, "close() waits for the writer without a bound");
        assertThat(unbounded.outcomes())
                .as("where close() waited is told on one line, not as a raw stack trace:%n%s", unbounded)
                .anySatisfy(o -> assertThat(o.message())
                        .contains("the thread in close() stayed WAITING in ")
                        .contains("Thread.join < LaxSaver.close(LaxSaver.java:68). Wait at most the bound given to"
                                + " start()")
                        .doesNotContain("\t")
                        .hasLineCount(1));
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                "aSecondCloseWaitsUntilTheFirstHasWrittenEveryRecord",
                LaxSaver.class,
                "a second close(), called while the first was writing, returned while the writer was stuck");
        Grading.assertRejectedBy(
                AutoSaverSpec.class,
                "closeRemovesTheShutdownHookItRegistered",
                LaxSaver.class,
                "the shutdown hook(s) the saver registered are still registered: [lax-saver-hook]");
    }

    @Test
    void aCloseThatThrowsThoughTheFileCanBeWrittenIsToldOnOneLine() {
        Grading.Report report = Grading.assertRejectedBy(
                AutoSaverSpec.class,
                "everyRecordAcceptedFromTwoThreadsIsInTheFileAfterClose",
                AwaitsTerminationWithoutShutdownSaver.class,
                "close() threw java.lang.IllegalStateException: the writer did not finish within 300 ms at"
                        + " AwaitsTerminationWithoutShutdownSaver.close(AwaitsTerminationWithoutShutdownSaver.java:");
        assertThat(report.outcomes())
                .as("%s", report)
                .anySatisfy(o -> assertThat(o.message())
                        .endsWith(", though the file could be written: when every record can be written, close() must"
                                + " write them all, flush, and return normally")
                        .hasLineCount(1));
    }

    // ---- the headline: of many broken rules, the core one ----

    /**
     * A saver like a learner's first try breaks twelve rules, input validation among them; the
     * report's headline (the most telling problem, the first in the spec's order on a tie) is the
     * core rule, records kept, because the spec runs its rules in the javadoc's order. Graded on
     * every rule but the two in child JVMs (which it breaks too, as the fixtures above show): they
     * come after rule 1, so they cannot change that headline, and they cost a JVM each.
     */
    @Test
    void aSaverBreakingManyRulesIsHeadlinedByTheCoreRuleNotByInputValidation() {
        Grading.Report report =
                SomeRules.gradeAllBut(AutoSaverSpec.class, DaemonWriterDropsWorkSaver.class, MAIN_RETURNS, SIGTERM);

        assertThat(report.outcomes())
                .as("the saver also breaks the line-break rule, so the order decides:%n%s", report)
                .anySatisfy(o -> {
                    assertThat(o.test()).isEqualTo("13. A record with a line break is refused");
                    assertThat(o.status()).isEqualTo(Grading.Status.FAILED);
                })
                .noneSatisfy(o -> assertThat(o.status()).isEqualTo(Grading.Status.SKIPPED));
        assertThat(GradingReport.verdict(report.outcomes()))
                .as("%s", report)
                .contains("Broken rule: 1. Every record accepted from two threads is in the file after close() — ")
                .contains(" of 2003 accepted records were lost after close() returned, with two threads saving at"
                        + " once (first lost: ");
    }

    // ---- a hang costs one bound, not one per rule ----

    /**
     * The worst case: close() hangs in every rule. About 10 s (5 s bound, then the leak check's
     * 5 s grace for the saver's threads), so it runs only on request:
     * {@code ./mvnw -q -pl 04-daemon -am verify -Dtest=AutoSaverGradingTest -Dthreadlab.hangcheck=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "threadlab.hangcheck", matches = "true")
    void aCloseThatNeverReturnsIsToldSoInSecondsAndTheOtherRulesAreSkipped() {
        Grading.Report report = Grading.assertHangVerdictWithin(
                Duration.ofSeconds(30),
                AutoSaverSpec.class,
                HangingCloseSaver.class,
                "close() did not return within 5 s, though the file could be written: close() must make the writer finish",
                () -> {});
        assertThat(report.outcomes())
                .as("%s", report)
                .anySatisfy(o -> assertThat(o.status()).isEqualTo(Grading.Status.SKIPPED));
    }
}
