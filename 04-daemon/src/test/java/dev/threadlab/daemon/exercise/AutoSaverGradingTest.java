package dev.threadlab.daemon.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.daemon.exercise.fixtures.DaemonSetTooLateSaver;
import dev.threadlab.daemon.exercise.fixtures.DefaultExecutorSaver;
import dev.threadlab.daemon.exercise.fixtures.FlushInFinallySaver;
import dev.threadlab.daemon.exercise.fixtures.LaxSaver;
import dev.threadlab.daemon.exercise.fixtures.RemovesHookWhileShuttingDownSaver;
import dev.threadlab.daemon.exercise.fixtures.SilentlyDropsAfterCloseSaver;
import dev.threadlab.daemon.exercise.fixtures.UserThreadSaver;
import dev.threadlab.daemon.solution.ReferenceAutoSaver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec grades both ways: it accepts the reference, and rejects the stub and each wrong solution with its reason. */
@GradingSelfCheck
class AutoSaverGradingTest {

    @Test
    void theReferenceSolutionPasses() {
        Grading.assertPasses(AutoSaverSpec.class, ReferenceAutoSaver.class);
    }

    @Test
    void theUntouchedStubFailsWithNotImplementedYet() {
        Grading.assertNotImplementedYet(AutoSaverSpec.class);
    }

    @Test
    void aUserThreadThatKeepsTheProgramAliveIsRejectedNamingTheThread() {
        Grading.assertRejects(AutoSaverSpec.class, UserThreadSaver.class,
                "the program did not end after main returned: kept alive by non-daemon thread(s): [\"auto-saver\"");
    }

    @Test
    void aDefaultExecutorsUserThreadThatKeepsTheProgramAliveIsRejectedNamingTheThread() {
        Grading.assertRejects(AutoSaverSpec.class, DefaultExecutorSaver.class,
                "the program did not end after main returned: kept alive by non-daemon thread(s): [\"pool-");
    }

    @Test
    void aDaemonThatFlushesOnlyInFinallyIsRejectedForTheRecordsItLosesEitherWay() {
        Grading.Report report = Grading.assertRejects(AutoSaverSpec.class, FlushInFinallySaver.class,
                "accepted records were lost when main returned without calling close()");
        assertThat(report.outcomes())
                .as("the spec should also reject FlushInFinallySaver for the records it loses on SIGTERM:%n%s", report)
                .anySatisfy(o -> assertThat(o.message()).contains("accepted records were lost on SIGTERM"));
    }

    @Test
    void settingDaemonAfterStartIsRejected() {
        Grading.assertRejects(AutoSaverSpec.class, DaemonSetTooLateSaver.class,
                "setDaemon(true) was called after start()");
    }

    @Test
    void silentlyDroppingARecordSavedAfterCloseIsRejected() {
        Grading.assertRejects(AutoSaverSpec.class, SilentlyDropsAfterCloseSaver.class,
                "the record was silently dropped");
    }

    @Test
    void aHookThatDiesRemovingItselfIsRejectedNamingRemoveShutdownHookNotTheMissingHook() {
        Grading.Report report = Grading.assertRejects(AutoSaverSpec.class, RemovesHookWhileShuttingDownSaver.class,
                "close() called Runtime.removeShutdownHook while the JVM was shutting down");
        assertThat(report.outcomes())
                .as("the message should quote the child's exception, and not blame a missing hook:%n%s", report)
                .anySatisfy(o -> assertThat(o.message())
                        .contains("the child program printed: Exception in thread \"saver-hook\" "
                                + "java.lang.IllegalStateException: Shutdown in progress")
                        .doesNotContain("a shutdown hook must call close()")
                        .hasLineCount(1));
    }

    @Test
    void aSaverThatSkipsTheRestOfTheContractIsRejectedForEachRuleItBreaks() {
        Grading.Report report = Grading.assertRejects(AutoSaverSpec.class, LaxSaver.class,
                "a second close(), called while the first was writing, returned while the writer was stuck");
        List<String> messages = report.outcomes().stream().map(Grading.Outcome::message).toList();
        assertThat(messages).as("every rule LaxSaver breaks, with its reason:%n%s", report)
                .anySatisfy(m -> assertThat(m).contains("save(\"two\\nlines\") must throw IllegalArgumentException"))
                .anySatisfy(m -> assertThat(m).contains("save() before start() returned normally"))
                .anySatisfy(m -> assertThat(m).contains("start() called a second time returned normally"))
                .anySatisfy(m -> assertThat(m).contains("close() waits for the writer without a bound"))
                .anySatisfy(m -> assertThat(m).contains("close() must remove its hook"));
    }
}
