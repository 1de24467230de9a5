package dev.threadlab.locks.exercise;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.locks.exercise.fixtures.correct.counter.CorrectAtomicLong;
import dev.threadlab.locks.exercise.fixtures.correct.counter.CorrectLongAdder;
import dev.threadlab.locks.exercise.fixtures.correct.counter.CorrectReadWriteLock;
import dev.threadlab.locks.exercise.fixtures.correct.counter.CorrectStaticMonitorObject;
import dev.threadlab.locks.exercise.fixtures.correct.counter.CorrectStaticReentrantLock;
import dev.threadlab.locks.exercise.fixtures.correct.counter.CorrectStaticSynchronizedHelpers;
import dev.threadlab.locks.exercise.fixtures.correct.counter.CorrectSynchronized;
import dev.threadlab.locks.exercise.fixtures.correct.counter.CorrectSynchronizedBlocks;
import dev.threadlab.locks.exercise.fixtures.correct.counter.CorrectSynchronizedCallerOfAStaticHelper;
import dev.threadlab.locks.exercise.fixtures.correct.counter.CorrectVolatileReadSynchronizedIncrement;
import dev.threadlab.locks.exercise.fixtures.counter.ForgetsUnlockOnAnEarlyReturn;
import dev.threadlab.locks.exercise.fixtures.counter.HangsInEveryRule;
import dev.threadlab.locks.exercise.fixtures.counter.LocksOnlyTheWrite;
import dev.threadlab.locks.exercise.fixtures.counter.NeverUnlocksInIncrement;
import dev.threadlab.locks.exercise.fixtures.counter.NewLockMadeByAMethodRead;
import dev.threadlab.locks.exercise.fixtures.counter.NewLockPerCall;
import dev.threadlab.locks.exercise.fixtures.counter.NoLock;
import dev.threadlab.locks.exercise.fixtures.counter.ReadsTheCountWithoutTheLock;
import dev.threadlab.locks.exercise.fixtures.counter.StaticLockOnlyForTheWrite;
import dev.threadlab.locks.exercise.fixtures.counter.StaticSynchronizedHelperRead;
import dev.threadlab.locks.exercise.fixtures.counter.SynchronizedOnANewObject;
import dev.threadlab.locks.exercise.fixtures.counter.SynchronizedOnANewObjectRead;
import dev.threadlab.locks.exercise.fixtures.counter.SynchronizedReadOnAnotherObject;
import dev.threadlab.locks.exercise.fixtures.counter.UnlockedStaticHelperRead;
import dev.threadlab.locks.solution.ReferenceSafeCounter;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Proof that {@link SafeCounterSpec} grades both ways: the reference and correct counters in other
 * idioms pass, the untouched stub is not started, and each plausible mistake is rejected by the rule
 * that names it.
 */
@GradingSelfCheck
class SafeCounterGradingTest {

    private static final String READS_RULE = "getReadsTheCountUnderTheLockThatGuardsIt";
    private static final String LOST_RULE = "noIncrementIsLostWhenTwoThreadsIncrementAtOnce";
    private static final String LOST = "an update was lost: two threads each called increment() once, at the same"
            + " time, and then get() returned 1 instead of 2";

    @Test
    void theReferenceCounterPasses() {
        Grading.assertPasses(SafeCounterSpec.class, ReferenceSafeCounter.class);
    }

    @Test
    void anAtomicLongPasses() {
        Grading.assertPasses(SafeCounterSpec.class, CorrectAtomicLong.class);
    }

    @Test
    void synchronizedMethodsPass() {
        Grading.assertPasses(SafeCounterSpec.class, CorrectSynchronized.class);
    }

    @TestFactory
    Stream<DynamicTest> theSpecIsWellFormed() {
        return Grading.wellFormed(SafeCounterSpec.class);
    }

    /** Paused before its step 2 (the write of count++), after its read: the same step every run. */
    @Test
    void noLockLosesAnUpdate() {
        Grading.assertRejectedBy(
                SafeCounterSpec.class,
                LOST_RULE,
                NoLock.class,
                LOST + ". The grading paused one thread before its step 2 in increment() (a step: a read or write"
                        + " of a field, a lock, a call) and let the other run its whole increment() meanwhile: both"
                        + " read the same count before either wrote it back. increment() must be one step for every"
                        + " other thread: hold a lock that every call shares");
    }

    @Test
    void lockingOnlyTheWriteLosesAnUpdate() {
        Grading.assertRejectedBy(SafeCounterSpec.class, LOST_RULE, LocksOnlyTheWrite.class, LOST);
    }

    /** A static lock passes only as the guard of the whole increment: taken after the read, it loses an update. */
    @Test
    void aStaticLockTakenAfterTheReadLosesAnUpdate() {
        Grading.assertRejectedBy(SafeCounterSpec.class, LOST_RULE, StaticLockOnlyForTheWrite.class, LOST);
    }

    @Test
    void aNewLockPerCallLosesAnUpdate() {
        Grading.assertRejectedBy(SafeCounterSpec.class, LOST_RULE, NewLockPerCall.class, LOST);
    }

    @Test
    void synchronizedOnANewObjectLosesAnUpdate() {
        Grading.assertRejectedBy(SafeCounterSpec.class, LOST_RULE, SynchronizedOnANewObject.class, LOST);
    }

    @Test
    void forgettingUnlockOnAnEarlyReturnLeavesTheLockHeld() {
        Grading.assertRejectedBy(
                SafeCounterSpec.class,
                "noCallLeavesALockHeld",
                ForgetsUnlockOnAnEarlyReturn.class,
                "increment() in a second thread waited for a lock that nobody will release (nothing else was"
                        + " running, so an earlier call left it held): a call left its lock held. Release every lock in finally");
    }

    /** Told by construction before the model check, which would see this wait only at the rule's timeout. */
    @Test
    void anIncrementThatNeverUnlocksIsToldAtOnce() {
        Grading.assertRejectedBy(
                SafeCounterSpec.class,
                LOST_RULE,
                NeverUnlocksInIncrement.class,
                "after increment() had returned in another thread (\"first incrementer\", which has ended),"
                        + " increment() in a second thread waited for a lock that nobody will release (nothing else"
                        + " was running, so an earlier call left it held): a call left its lock held. Release every"
                        + " lock in finally");
    }

    @Test
    void aVolatileReadBesideASynchronizedIncrementPasses() {
        Grading.assertPasses(SafeCounterSpec.class, CorrectVolatileReadSynchronizedIncrement.class);
    }

    /** Rule 4 alone: no lock idiom is refused (nor the reads of wrong counters whose mistake is elsewhere). */
    @Test
    void everyLockIdiomReadsUnderItsLock() {
        for (Class<?> idiom : List.of(
                CorrectLongAdder.class,
                CorrectReadWriteLock.class,
                CorrectSynchronizedBlocks.class,
                CorrectSynchronizedCallerOfAStaticHelper.class, // the advice for a static helper
                ForgetsUnlockOnAnEarlyReturn.class, // its reads are under the lock (it fails rule 3)
                NoLock.class, // volatile: rule 2's business
                NewLockPerCall.class)) {
            var report = Grading.grade(SafeCounterSpec.class, READS_RULE, idiom);
            if (!report.passed()) {
                throw new AssertionError(
                        "rule 4 should accept " + idiom.getSimpleName() + ", but it did not.\n" + report);
            }
        }
    }

    @Test
    void readingTheCountWithoutTheLockIsRejected() {
        Grading.assertRejectedBy(
                SafeCounterSpec.class,
                READS_RULE,
                ReadsTheCountWithoutTheLock.class,
                "get() reads the field count (line 20) without holding a lock, while increment() writes it"
                        + " holding the counter's own monitor (this: a synchronized instance method). A read without"
                        + " the lock has no happens-before edge with the write: another thread may see an old count"
                        + " (and, for a plain long, even half of one). Read it under the lock the writes hold: the"
                        + " writes hold the counter's monitor (this): make get() synchronized (not static), or read"
                        + " inside synchronized (this) { … }");
    }

    @Test
    void readingUnderAnotherObjectsMonitorIsRejected() {
        Grading.assertRejectedBy(
                SafeCounterSpec.class,
                READS_RULE,
                SynchronizedReadOnAnotherObject.class,
                "get() reads the field count (line 23) holding the monitor of the object in the field readLock"
                        + " (synchronized (readLock)), while increment() writes it holding the counter's own monitor"
                        + " (this: a synchronized instance method): a different lock. Only the lock a write held,"
                        + " taken again by the reader, orders that write before the read (happens-before)");
    }

    /**
     * A lock shared by every counter (a static ReentrantLock, a static object's monitor, the class's
     * monitor through static synchronized helpers) is correct, if coarse: rule 2's forced interleaving
     * loads the class again for each run, so its static lock starts afresh, and passes it, every run
     * the same way.
     */
    @Test
    void aLockSharedByEveryCounterPasses() {
        Grading.assertPasses(SafeCounterSpec.class, CorrectStaticReentrantLock.class);
        Grading.assertPasses(SafeCounterSpec.class, CorrectStaticMonitorObject.class);
        Grading.assertPasses(SafeCounterSpec.class, CorrectStaticSynchronizedHelpers.class);
    }

    /** Every rule, not only rule 4, on the other correct idioms. */
    @Test
    void everyOtherCorrectIdiomPasses() {
        for (Class<?> idiom : List.of(
                CorrectLongAdder.class,
                CorrectReadWriteLock.class,
                CorrectSynchronizedBlocks.class,
                CorrectSynchronizedCallerOfAStaticHelper.class)) {
            Grading.assertPasses(SafeCounterSpec.class, idiom);
        }
    }

    @Test
    void readingUnderTheMonitorOfANewObjectIsRejected() {
        Grading.assertRejectedBy(
                SafeCounterSpec.class,
                READS_RULE,
                SynchronizedOnANewObjectRead.class,
                "get() reads the field count (line 17) holding the monitor of a new object made in get(), which no"
                        + " other call can hold, while increment() writes it holding the counter's own monitor (this:"
                        + " a synchronized instance method): a different lock.");
    }

    @Test
    void readingUnderANewLockMadeByAMethodIsRejected() {
        Grading.assertRejectedBy(
                SafeCounterSpec.class,
                READS_RULE,
                NewLockMadeByAMethodRead.class,
                "get() reads the field count (line 27) holding a lock that is a new object made in get(), which no"
                        + " other call can hold, while increment() writes it holding the lock in the field lock: a"
                        + " different lock.");
    }

    @Test
    void readingInAStaticSynchronizedHelperIsRejected() {
        Grading.assertRejectedBy(
                SafeCounterSpec.class,
                READS_RULE,
                StaticSynchronizedHelperRead.class,
                "read() reads the field count (line 24) holding the class's monitor"
                        + " (StaticSynchronizedHelperRead.class: read() is static synchronized, and a static"
                        + " synchronized method locks the class, not the counter), while increment() writes it"
                        + " holding the counter's own monitor (this: a synchronized instance method): a different"
                        + " lock.");
        Grading.assertRejectedBy(
                SafeCounterSpec.class,
                READS_RULE,
                StaticSynchronizedHelperRead.class,
                "Read it under the lock the writes hold: the writes hold the counter's monitor (this), and read()"
                        + " is static: a static synchronized method locks StaticSynchronizedHelperRead.class, not the"
                        + " counter. Make get(), which calls it, synchronized, or make read() a synchronized instance"
                        + " method (not static)");
    }

    @Test
    void readingInAnUnlockedStaticHelperIsToldNotToMakeItStaticSynchronized() {
        Grading.assertRejectedBy(
                SafeCounterSpec.class,
                READS_RULE,
                UnlockedStaticHelperRead.class,
                "read() reads the field count (line 24) without holding a lock, while increment() writes it"
                        + " holding the counter's own monitor (this: a synchronized instance method). A read without"
                        + " the lock has no happens-before edge with the write");
        Grading.assertRejectedBy(
                SafeCounterSpec.class,
                READS_RULE,
                UnlockedStaticHelperRead.class,
                "read() is static: a static synchronized method locks UnlockedStaticHelperRead.class, not the"
                        + " counter. Make get(), which calls it, synchronized");
    }

    /**
     * The worst case for the time to a verdict: a counter whose every call waits for good. Rule 1
     * hangs first (the spec's class timeout), so the model check of rule 2 and the rules after it
     * are not run. Slow by nature, so it runs only on demand: {@code ./mvnw -q -pl 03-locks -am
     * verify -Dtest=SafeCounterGradingTest#aCounterThatHangsEverywhere*
     * -Dsurefire.failIfNoSpecifiedTests=false -Dthreadlab.hangcheck=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "threadlab.hangcheck", matches = "true")
    @Timeout(120) // longer than the bound it checks, so that a slow verdict is reported as such
    void aCounterThatHangsEverywhereGetsItsVerdictWithinAMinute() {
        Grading.Report report = Grading.assertHangVerdictWithin(
                Duration.ofSeconds(60),
                SafeCounterSpec.class,
                HangsInEveryRule.class,
                "HangsInEveryRule.increment",
                HangsInEveryRule::stopHanging);
        List<Grading.Outcome> ran =
                report.outcomes().stream().filter(o -> !o.notRun()).toList();
        if (ran.size() != 1 || !ran.get(0).hung() || !ran.get(0).test().startsWith("1. ")) {
            throw new AssertionError("only rule 1 should run, and hang; the others not run:\n" + report);
        }
    }
}
