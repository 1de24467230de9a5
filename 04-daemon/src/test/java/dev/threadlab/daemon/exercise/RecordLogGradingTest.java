package dev.threadlab.daemon.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.daemon.exercise.fixtures.records.CorrectFlushingHookRecordLog;
import dev.threadlab.daemon.exercise.fixtures.records.HookClosesTheStreamRecordLog;
import dev.threadlab.daemon.exercise.fixtures.records.HookLocksTheWriterRecordLog;
import dev.threadlab.daemon.exercise.fixtures.records.HookStartedAtOnceRecordLog;
import dev.threadlab.daemon.exercise.fixtures.records.KeepsHookRecordLog;
import dev.threadlab.daemon.exercise.fixtures.records.NoHookRecordLog;
import dev.threadlab.daemon.exercise.fixtures.records.SelfRemovingHookRecordLog;
import dev.threadlab.daemon.exercise.fixtures.records.UnsynchronizedAppendRecordLog;
import dev.threadlab.daemon.exercise.fixtures.records.UnsynchronizedHookRecordLog;
import dev.threadlab.daemon.solution.ReferenceRecordLog;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** {@link RecordLogSpec} grades both ways: the reference and another idiom pass, each wrong log is rejected by its rule. */
@GradingSelfCheck
class RecordLogGradingTest {

    private static final String AT_EXIT = "whenTheProgramEndsWithoutCloseTheHookWritesEveryRecord";
    private static final String NOT_ITSELF = "theHookDoesNotRemoveItselfWhileTheProgramEnds";
    private static final String REMOVED = "closeRemovesTheHookItRegistered";
    private static final String WHOLE = "theHookNeverEndsWhileAnAppendIsInTheMiddleOfARecord";

    @Test
    void theReferenceAndAHookThatOnlyFlushesPass() {
        Grading.assertPasses(RecordLogSpec.class, ReferenceRecordLog.class);
        Grading.assertPasses(RecordLogSpec.class, CorrectFlushingHookRecordLog.class);
    }

    @TestFactory
    Stream<DynamicTest> theSpecIsWellFormed() {
        return Grading.wellFormed(RecordLogSpec.class);
    }

    @Test
    void noHookIsRejectedWithTheRecordsLeftInTheBuffer() {
        Grading.assertRejectedBy(
                RecordLogSpec.class,
                AT_EXIT,
                NoHookRecordLog.class,
                "open() registered no shutdown hook: when the program ends without close(), nothing flushes the "
                        + "buffer and the records still in it are lost");
    }

    @Test
    void aFlushThreadStartedInOpenInsteadOfRegisteredIsRejected() {
        Grading.assertRejectedBy(
                RecordLogSpec.class, AT_EXIT, HookStartedAtOnceRecordLog.class, "open() registered no shutdown hook");
    }

    @Test
    void aHookThatClosesTheStreamUnderTheBufferIsRejected() {
        Grading.assertRejectedBy(
                RecordLogSpec.class,
                AT_EXIT,
                HookClosesTheStreamRecordLog.class,
                "accepted records were lost when the program ended without close() (first lost: record-");
    }

    @Test
    void aHookThatRemovesItselfIsRejectedNamingRemoveShutdownHook() {
        Grading.assertRejectedBy(
                RecordLogSpec.class,
                NOT_ITSELF,
                SelfRemovingHookRecordLog.class,
                "died of java.lang.IllegalStateException: Shutdown in progress");
        Grading.assertRejectedBy(
                RecordLogSpec.class,
                NOT_ITSELF,
                SelfRemovingHookRecordLog.class,
                "during shutdown a hook cannot remove itself");
    }

    @Test
    void aHookThatRemovesItselfBeforeFlushingLosesTheRecords() {
        Grading.assertRejectedBy(
                RecordLogSpec.class,
                AT_EXIT,
                SelfRemovingHookRecordLog.class,
                "the hook died of java.lang.IllegalStateException: Shutdown in progress");
    }

    @Test
    void aCloseThatLeavesTheHookRegisteredIsRejected() {
        Grading.assertRejectedBy(
                RecordLogSpec.class,
                REMOVED,
                KeepsHookRecordLog.class,
                "after close() returned, the shutdown hook(s) [record-log-flush] the log registered are still registered");
    }

    /** append() takes no lock, the hook (close()) the log's monitor: told both, and to make append() synchronized. */
    @Test
    void anAppendWithoutTheHooksLockIsRejectedForTheTornRecord() {
        Grading.assertRejectedBy(
                RecordLogSpec.class,
                WHOLE,
                UnsynchronizedAppendRecordLog.class,
                "the shutdown hook ran to its end while an append(\"appended while the hook ran\") was paused at"
                        + " UnsynchronizedAppendRecordLog.append(UnsynchronizedAppendRecordLog.java:30) (its step 3),"
                        + " and the file it left ends with a torn record: \"appended while the hook ran\", without its"
                        + " line break. append() and the hook run on different threads: unless both hold one lock,"
                        + " the hook can flush (or close) the writer in the middle of an append(), and the program"
                        + " ends with that record torn or lost. Here the hook holds the log's own monitor"
                        + " (UnsynchronizedAppendRecordLog.this, which a synchronized method holds), but append()"
                        + " holds no lock. Make append() hold it too (make append() synchronized): then the hook"
                        + " waits for the record to be whole");
    }

    /** A learner's class: append() synchronized on the log, the hook on the writer. Told both locks, not "synchronize append()". */
    @Test
    void aHookSynchronizedOnTheWriterInsteadOfTheLogIsToldBothLocks() {
        Grading.assertRejectedBy(
                RecordLogSpec.class,
                WHOLE,
                HookLocksTheWriterRecordLog.class,
                "the program ends with that record torn or lost. Here append() holds the log's own monitor"
                        + " (HookLocksTheWriterRecordLog.this, which a synchronized method holds), but the hook holds"
                        + " the monitor of the object in the field writer (synchronized (writer)), another lock: a lock"
                        + " makes only the threads that take that same lock wait. Have the hook hold the lock append()"
                        + " holds instead: run the hook's flush (or close) inside synchronized"
                        + " (HookLocksTheWriterRecordLog.this) { … }, or have the hook call a synchronized method of the"
                        + " log, such as close(): then the hook waits for the record to be whole");
    }

    /** A learner's class: append() synchronized, the hook's flush under no lock. Told the hook takes none. */
    @Test
    void aHookThatTakesNoLockIsToldToTakeTheOneAppendHolds() {
        Grading.assertRejectedBy(
                RecordLogSpec.class,
                WHOLE,
                UnsynchronizedHookRecordLog.class,
                "the program ends with that record torn or lost. Here append() holds the log's own monitor"
                        + " (UnsynchronizedHookRecordLog.this, which a synchronized method holds), but the hook holds no"
                        + " lock while it flushes (or closes) the writer, so it never waits for append(): append()"
                        + " already holds a lock; the hook must take the same one. Have the hook hold it: run the"
                        + " hook's flush (or close) inside synchronized (UnsynchronizedHookRecordLog.this) { … }, or"
                        + " have the hook call a synchronized method of the log, such as close(): then the hook waits"
                        + " for the record to be whole");
    }

    /**
     * The worst case, a solution that hangs in every rule: one bound (5 s), then the other rules
     * are skipped. Opt-in, as it waits out that bound:
     * {@code ./mvnw -q -pl 04-daemon -am verify -Dtest=RecordLogGradingTest -Dthreadlab.hangcheck=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "threadlab.hangcheck", matches = "true")
    void aSolutionThatHangsInEveryRuleIsToldSoInOneBound() {
        Grading.Report report = Grading.assertHangVerdictWithin(
                Duration.ofSeconds(30),
                RecordLogSpec.class,
                dev.threadlab.daemon.exercise.fixtures.records.HangingOpenRecordLog.class,
                "open() did not return within 5 s",
                () -> {});
        assertThat(report.outcomes())
                .as("%s", report)
                .anySatisfy(o -> assertThat(o.status()).isEqualTo(Grading.Status.SKIPPED));
    }
}
