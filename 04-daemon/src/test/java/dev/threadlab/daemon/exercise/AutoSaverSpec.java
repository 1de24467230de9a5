package dev.threadlab.daemon.exercise;

import static dev.threadlab.daemon.exercise.AutoSaverHarness.CALL_BOUND;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.LONG_BOUND;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.SIGTERM_EXIT;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.STUCK_BOUND;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.assertEachSavedOnce;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.assertInOrder;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.assertStillAPipe;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.close;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.closeHeldAndRead;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.closeWhileStuck;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.mentions;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.records;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.refusal;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.saveAll;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.saveAllWhileStuck;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.start;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.thenClose;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.whyLost;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.within;

import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.daemon.exercise.AutoSaverHarness.ChildRun;
import dev.threadlab.daemon.exercise.AutoSaverHarness.Closer;
import dev.threadlab.daemon.exercise.AutoSaverHarness.Hung;
import dev.threadlab.daemon.exercise.AutoSaverProgram.Ending;
import dev.threadlab.daemon.harness.LogFiles;
import dev.threadlab.daemon.solution.ReferenceAutoSaver;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grading specification of exercise 04.3 ({@link AutoSaver}). Each test is one rule, stated in
 * {@link AutoSaver}'s javadoc; its failure message says which rule broke, what the saver did, and
 * the fix. {@link AutoSaverHarness} holds the machinery.
 *
 * <p>No verdict depends on timing. Where a rule is about a writer that has not finished, the
 * writer is held back by construction: in this JVM its file is a {@link HeldFile}, whose writes
 * block until the rule lets them through, and which sees which thread writes and which is still
 * in a write when close() returns; in the child JVMs that check how a program ends, a named pipe
 * nobody reads until shutdown ({@link HeldBackWrites}). A save racing close() is paused before
 * each of its steps in turn ({@link Steps}). A spinning thread is told by the processor time it
 * uses while it has nothing to do, which a waiting thread never uses. Record counts are primes,
 * so that no batch size divides them. Every call into the saver is bounded; after one hangs the
 * remaining rules are skipped.
 */
@GradedExercise(
        value = "04.3 auto-saver: never keeps the program alive, never loses a record",
        learner = YourAutoSaver.class,
        reference = ReferenceAutoSaver.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS) // a backstop: every wait inside is bounded far below it
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the order of AutoSaver's javadoc: the core rules first
class AutoSaverSpec {

    /** A held file: every write blocks until the rule lets it through. */
    private static final boolean HELD = true;

    /** A held file that lets writes through (it only watches who writes). */
    private static final boolean RELEASED = false;

    /** After a rule has failed, the saver's threads are interrupted, so the leak check need not wait for them. */
    @RegisterExtension
    static final AfterAFailedRule CLEAN_UP = new AfterAFailedRule();

    @TempDir
    Path dir;

    // ---- the rules, in the order of AutoSaver's javadoc: the two promises first (records kept,
    // also when the program ends, in child JVMs whose file is held back until it ends), then
    // close(), then refusals ----

    @Test
    @Order(1)
    @DisplayName("1. Every record accepted from two threads is in the file after close()")
    void everyRecordAcceptedFromTwoThreadsIsInTheFileAfterClose(@Solution AutoSaver saver) throws Exception {
        HeldFile file = HeldFile.create(dir, "records.txt", RELEASED);
        List<String> fromA = records("a", 997);
        List<String> fromB = records("b", 1006); // 2003 in all: a prime, so no batch size divides it
        start(saver, file.path());
        List<String> lines;
        try {
            saveFromTwoThreads(saver, fromA.subList(0, fromA.size() - 1), fromB);
            // The last record is saved with the file held: it reaches the file only through a write
            // that the grading lets through while close() waits (or from close()'s own thread).
            file.hold();
            saveAll(saver, fromA.subList(fromA.size() - 1, fromA.size()));
        } catch (Throwable failure) {
            file.release();
            Throwable cleanup = failure instanceof Hung ? null : closeQuietlyAfter(saver);
            if (cleanup != null) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        lines = closeHeldAndRead(saver, file);
        file.close();
        List<String> all = new ArrayList<>(fromA);
        all.addAll(fromB);
        assertEachSavedOnce(
                lines,
                all,
                "after close() returned, with two threads saving at once",
                "close() must write every accepted record, including a last partial batch, and flush the file,"
                        + " and wait for the writer to have done so before it returns");
        assertInOrder(lines.stream().filter(l -> l.startsWith("a-")).toList(), fromA);
        assertInOrder(lines.stream().filter(l -> l.startsWith("b-")).toList(), fromB);
    }

    /** Saves {@code fromA} on this thread while a second thread saves {@code fromB}. */
    private static void saveFromTwoThreads(AutoSaver saver, List<String> fromA, List<String> fromB) throws Exception {
        AtomicReference<Throwable> failedInB = new AtomicReference<>();
        Thread b = Thread.ofPlatform().name("grading: save() from b").daemon().start(() -> {
            try {
                fromB.forEach(saver::save);
            } catch (Throwable t) {
                failedInB.set(t);
            }
        });
        saveAll(saver, fromA); // while b saves too
        if (!b.join(CALL_BOUND)) {
            throw new Hung("save() from a second thread did not return within " + CALL_BOUND.toSeconds() + " s; it was "
                    + AutoSaverHarness.where(b));
        }
        if (failedInB.get() != null) {
            throw new AssertionError(
                    "save() threw " + failedInB.get() + " while two threads saved at once: "
                            + "save() must be safe to call from many threads",
                    failedInB.get());
        }
    }

    /** Closes {@code saver} after a failure, to clean up; @return what close() threw, or null */
    private static Throwable closeQuietlyAfter(AutoSaver saver) {
        try {
            close(saver);
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @Test
    @Order(2)
    @DisplayName("2. When main returns without close(), the program ends with every accepted record saved")
    void whenMainReturnsWithoutCloseTheProgramEndsWithEveryAcceptedRecordSaved(@Solution AutoSaver saver)
            throws Exception {
        startsAndClosesHere(saver);
        int count = 1999;
        ChildRun child = AutoSaverHarness.runHeldBack(saver.getClass(), dir, Ending.RETURN, count);

        child.run().output().stream()
                .filter(line -> line.startsWith(AutoSaverProgram.KEPT_ALIVE))
                .findFirst()
                .ifPresent(line -> {
                    throw new AssertionError("the program did not end after main returned: kept alive by "
                            + "non-daemon thread(s): "
                            + line.substring(AutoSaverProgram.KEPT_ALIVE.length())
                                    .trim()
                            + ". Every thread the saver leaves running must be a daemon (setDaemon(true) before "
                            + "start(), or a daemon ThreadFactory for an executor)");
                });
        if (child.run().exit() != 0) {
            throw new AssertionError("the program should end normally (exit status 0) when main returns, but it "
                    + "exited with " + child.run().exit() + "; it printed:\n"
                    + child.run().text());
        }
        assertAllInTheChildsFile(child, count, "when main returned without calling close()");
    }

    @Test
    @Order(3)
    @DisplayName("3. No accepted record is lost on SIGTERM")
    void noAcceptedRecordIsLostOnSigterm(@Solution AutoSaver saver) throws Exception {
        startsAndClosesHere(saver);
        int count = 2011;
        ChildRun child = AutoSaverHarness.runHeldBack(saver.getClass(), dir, Ending.WAIT, count);

        if (child.run().exit() != SIGTERM_EXIT) {
            throw new AssertionError("a JVM ended by SIGTERM exits with status 143 once its shutdown hooks have run, "
                    + "but this one exited with " + child.run().exit() + "; it printed:\n"
                    + child.run().text());
        }
        assertAllInTheChildsFile(child, count, "on SIGTERM");
    }

    @Test
    @Order(4)
    @DisplayName("4. close() waits for a stuck writer only its bound, then says how many records were lost")
    void closeWaitsForAStuckWriterOnlyItsBoundThenSaysHowManyRecordsWereLost(@Solution AutoSaver saver)
            throws Exception {
        try (HeldFile stuck = HeldFile.create(dir, "stuck.txt", HELD)) {
            start(saver, stuck.path(), STUCK_BOUND);
            int count = 1009; // 65 KB, more than any buffer a writer keeps; none reaches the file: all writes are held
            saveAllWhileStuck(saver, stuck, records("s", count));
            Closer closer = closeWhileStuck(saver, stuck, STUCK_BOUND);

            Throwable thrown = closer.failure();
            String took = closer.took().toMillis() + " ms";
            if (thrown == null) {
                throw new AssertionError("close() returned while the writer was stuck and the records were not all "
                        + "written yet: it returned normally (after " + took + "), as if every record had been saved"
                        + ", though none of the " + count + " accepted records had reached the file (the grading held"
                        + " every write back). close() must wait for the writer, at most the bound given to start() ("
                        + STUCK_BOUND.toMillis() + " ms here), and if the bound passes first, throw"
                        + " IllegalStateException saying how many records were lost");
            }
            if (!(thrown instanceof IllegalStateException)) {
                throw new AssertionError(
                        "close() threw " + thrown + " when its bound passed with the writer stuck; it must throw "
                                + "IllegalStateException, saying how many records were lost",
                        thrown);
            }
            if (closer.took().compareTo(STUCK_BOUND) < 0) {
                throw new AssertionError("close() gave up after " + took + ", before the bound given to start() ("
                        + STUCK_BOUND.toMillis() + " ms) had passed (it threw " + thrown + "): close() must wait for"
                        + " the writer until every record is written and flushed, or the bound passes");
            }
            if (!mentions(thrown.getMessage(), count)) {
                throw new AssertionError(
                        "close() gave up as it should, but its IllegalStateException does not give the number of"
                                + " records lost: it said \"" + thrown.getMessage() + "\", and none of the "
                                + count
                                + " accepted records had reached the file (the grading held every write back), so "
                                + count
                                + " were lost. Count as lost every accepted record the writer has not written and flushed (a"
                                + " record still in a BufferedWriter's buffer is not saved), and put that number in the"
                                + " message",
                        thrown);
            }
        }
    }

    @Test
    @Order(5)
    @DisplayName("5. A second close() waits until the first has written every record")
    void aSecondCloseWaitsUntilTheFirstHasWrittenEveryRecord(@Solution AutoSaver saver) throws Exception {
        try (HeldFile stuck = HeldFile.create(dir, "held.txt", HELD)) {
            start(saver, stuck.path(), LONG_BOUND);
            List<String> records = records("t", 1013);
            saveAllWhileStuck(saver, stuck, records);
            Closer first = new Closer(saver, "grading: first close()");
            Closer second = null;
            try {
                within(CALL_BOUND, first.thread(), () -> first.waiting() || first.returned());
                stillClosing(first, "close()");
                second = new Closer(saver, "grading: second close()");
                Closer other = second;
                within(CALL_BOUND, other.thread(), () -> other.waiting() || other.returned());
                stillClosing(second, "a second close(), called while the first was writing,");
            } finally {
                stuck.release();
                first.awaitReturn("the first close()");
                if (second != null) {
                    second.awaitReturn("the second close()");
                }
            }
            for (Closer closer : List.of(first, second)) {
                if (closer.failure() != null) {
                    throw new AssertionError(
                            "close() threw " + closer.failure() + " though the file could be written "
                                    + "again well within its bound",
                            closer.failure());
                }
            }
            assertEachSavedOnce(stuck.lines(), records, "by the time both close() calls returned", "");
        }
    }

    @Test
    @Order(6)
    @DisplayName("6. close() ends every thread the saver started, also when it gives up")
    void closeEndsEveryThreadTheSaverStartedAlsoWhenItGivesUp(@Solution AutoSaver saver) throws Exception {
        Set<Thread> before = AutoSaverHarness.liveThreads();
        start(saver, dir.resolve("records.txt"));
        saveAll(saver, records("r", 7));
        close(saver);
        List<String> running = AutoSaverHarness.threadsStillRunningSince(before);
        if (!running.isEmpty()) {
            throw new AssertionError("close() has returned, but the saver's thread(s) " + running + " were still "
                    + "running " + CALL_BOUND.toSeconds() + " s later; close() must stop them and wait for them "
                    + "(shutdown() then awaitTermination(), or end the loop and join(Duration))");
        }

        try (HeldFile stuck = HeldFile.create(dir, "stuck.txt", HELD)) {
            var constructor = saver.getClass().getDeclaredConstructor();
            constructor.setAccessible(true);
            AutoSaver another = constructor.newInstance();
            start(another, stuck.path(), STUCK_BOUND);
            saveAllWhileStuck(another, stuck, records("g", 1013)); // 66 KB: more than any buffer a writer keeps
            Closer closer = closeWhileStuck(another, stuck, STUCK_BOUND);
            List<Thread> stillWriting = closer.inWriteAtReturn();
            if (!stillWriting.isEmpty()) {
                String names = stillWriting.stream()
                        .map(t -> "\"" + t.getName() + "\"")
                        .collect(Collectors.joining(", "));
                throw new AssertionError("close() "
                        + (closer.failure() == null ? "returned" : "threw " + closer.failure())
                        + " while the saver's thread " + names + " was still stuck in write() (the grading held the "
                        + "file's writes back): "
                        + (stillWriting.stream().anyMatch(stuck::interruptedInAWrite)
                                ? "close() interrupted it, but did not wait for it to end. "
                                : "close() never interrupted it, so it stays stuck after close() has given up. ")
                        + "When the bound passes, interrupt the writer (shutdownNow(), or Thread.interrupt(): a "
                        + "write to a stream from Files.newBufferedWriter then ends with ClosedByInterruptException) "
                        + "and wait for it to end, at most the bound again, before throwing");
            }
            if (closer.waitedOnSomethingElseThanTheWriter()) {
                throw new AssertionError("close() "
                        + (closer.failure() == null ? "returned" : "threw " + closer.failure())
                        + " without waiting for the writer it had interrupted (the grading held the file's writes"
                        + " back, and let the interrupted writer leave its write only once close() waited): close()"
                        + " waited on " + closer.waitedOnAtLetGo() + " when close() returned, so its wait ended by"
                        + " its timeout, not when the writer ended. Whether the writer had ended by then was luck."
                        + " Wait for the writer itself, at most the bound again: join(Duration) on its thread,"
                        + " awaitTermination on its executor, or a latch it counts down in a finally as it ends");
            }
            running = AutoSaverHarness.threadsStillRunningSince(before);
            if (!running.isEmpty()) {
                throw new AssertionError("close() gave up on a stuck writer, but the saver's thread(s) " + running
                        + " were still running " + CALL_BOUND.toSeconds() + " s after it had "
                        + (closer.failure() == null ? "returned" : "thrown") + "; close() must stop them and wait"
                        + " for them, at most its bound, also when it gives up");
            }
        }
    }

    @Test
    @Order(7)
    @DisplayName("7. A save racing close() is either refused or written")
    void aSaveRacingCloseIsEitherRefusedOrWritten(@Solution AutoSaver saver) throws Exception {
        start(saver, dir.resolve("records.txt")); // the untouched stub stops here, "not implemented yet"
        saveAll(saver, List.of("one record"));
        close(saver);
        AutoSaverHarness.assertNoRecordLostToARacingSave(saver.getClass(), dir);
    }

    @Test
    @Order(8)
    @DisplayName("8. The saver's threads wait for records without spinning")
    void theSaversThreadsWaitForRecordsWithoutSpinning(@Solution AutoSaver saver) throws Exception {
        Set<Thread> before = AutoSaverHarness.liveThreads();
        try (HeldFile file = HeldFile.create(dir, "idle.txt", RELEASED)) {
            start(saver, file.path());
            thenClose(saver, () -> {
                saveAll(saver, records("i", 3));
                AutoSaverHarness.assertEveryThreadWaits(before, file);
            });
        }
    }

    @Test
    @Order(9)
    @DisplayName("9. close() removes the shutdown hook it registered")
    void closeRemovesTheShutdownHookItRegistered(@Solution AutoSaver saver) throws Exception {
        Set<Thread> before = AutoSaverHarness.registeredHooksOrNull();
        start(saver, dir.resolve("records.txt"));
        saveAll(saver, List.of("one record"));
        Set<Thread> registered = AutoSaverHarness.registeredHooksOrNull();
        close(saver);
        Set<Thread> after = AutoSaverHarness.registeredHooksOrNull();
        if (before != null) {
            Set<Thread> left = new HashSet<>(after);
            left.removeAll(before);
            if (!left.isEmpty()) {
                throw new AssertionError("after close() returned, the shutdown hook(s) the saver registered are still "
                        + "registered: " + left.stream().map(Thread::getName).toList()
                        + "; close() must remove its hook "
                        + "(Runtime.removeShutdownHook, except when close() runs as the hook), or every saver ever "
                        + "closed stays in memory until the JVM exits, and is closed again then");
            }
            if (registered.equals(before)) {
                throw new AssertionError("start() registered no shutdown hook: without one, a program that ends "
                        + "without close() (main returns, or SIGTERM) loses the records still queued; register one "
                        + "in start() that calls close()");
            }
        } else if (!AutoSaverHarness.collected(new WeakReference<>(saver))) { // this JVM cannot read the hooks
            throw new AssertionError("after close() returned, the saver is still held by something global, most "
                    + "likely the shutdown hook it registered (or a thread still running): close() must remove its "
                    + "hook (Runtime.removeShutdownHook, except when close() runs as the hook)");
        }
    }

    @Test
    @Order(10)
    @DisplayName("10. save after close() is refused, not silently dropped")
    void saveAfterCloseIsRefusedNotSilentlyDropped(@Solution AutoSaver saver) throws Exception {
        Path file = dir.resolve("records.txt");
        start(saver, file);
        saveAll(saver, List.of("before close"));
        close(saver);

        Throwable refusal = refusal("save() after close()", () -> saver.save("after close"));
        if (!(refusal instanceof IllegalStateException)) {
            throw new AssertionError(
                    "save() after close() "
                            + (refusal == null
                                    ? "returned normally, so the record " + "was silently dropped"
                                    : "threw " + refusal)
                            + ": a record that cannot be saved must be "
                            + "refused with IllegalStateException",
                    refusal);
        }
        List<String> lines = LogFiles.completeLines(file);
        if (!lines.equals(List.of("before close"))) {
            throw new AssertionError(
                    "after close(), the file should hold the one record saved before it, but it " + "holds " + lines);
        }
    }

    @Test
    @Order(11)
    @DisplayName("11. save before start is refused")
    void saveBeforeStartIsRefused(@Solution AutoSaver saver) throws Exception {
        thenClose(saver, () -> {
            Throwable refusal = refusal("save() before start()", () -> saver.save("too early"));
            if (!(refusal instanceof IllegalStateException)) {
                throw new AssertionError(
                        "save() before start() " + (refusal == null ? "returned normally" : "threw " + refusal)
                                + ": a saver that is not started must refuse the record with "
                                + "IllegalStateException, not keep it somewhere or drop it",
                        refusal);
            }
        });
    }

    @Test
    @Order(12)
    @DisplayName("12. Starting twice is refused")
    void startingTwiceIsRefused(@Solution AutoSaver saver) throws Exception {
        start(saver, dir.resolve("first.txt"));
        thenClose(saver, () -> {
            Throwable refusal = refusal("a second start()", () -> saver.start(dir.resolve("second.txt"), LONG_BOUND));
            if (!(refusal instanceof IllegalStateException)) {
                throw new AssertionError(
                        "start() called a second time " + (refusal == null ? "returned normally" : "threw " + refusal)
                                + ": it must throw IllegalStateException (a saver is started once: "
                                + "one file, one writer, one hook)",
                        refusal);
            }
        });
    }

    @Test
    @Order(13)
    @DisplayName("13. A record with a line break is refused")
    void aRecordWithALineBreakIsRefused(@Solution AutoSaver saver) throws Exception {
        Path file = dir.resolve("records.txt");
        start(saver, file);
        thenClose(saver, () -> {
            for (String broken : List.of("two\nlines", "carriage\rreturn")) {
                Throwable refusal = refusal("save()", () -> saver.save(broken));
                if (!(refusal instanceof IllegalArgumentException)) {
                    throw new AssertionError(
                            "save(\"" + broken.replace("\n", "\\n").replace("\r", "\\r") + "\") "
                                    + (refusal == null ? "returned normally" : "threw " + refusal) + ": it must throw "
                                    + "IllegalArgumentException, because a record is one line and this one would be read "
                                    + "back as two",
                            refusal);
                }
            }
        });
        List<String> lines = LogFiles.completeLines(file);
        if (!lines.isEmpty()) {
            throw new AssertionError(
                    "a refused record must not reach the file, but after two refused records it " + "holds " + lines);
        }
    }

    // ---- helpers that state rules ----

    private static void stillClosing(Closer closer, String which) {
        if (closer.returned()) {
            throw new AssertionError(which + " returned while the writer was stuck and the records were not all "
                    + "written yet" + (closer.failure() == null ? "" : " (it threw " + closer.failure() + ")")
                    + ": every close() must return only once the first has written every record (or its bound has "
                    + "passed), because the caller expects the file complete, and a shutdown hook's close() that "
                    + "returns early lets the JVM halt");
        }
    }

    /** The saver starts, saves and closes in this JVM: fails fast, here, if it cannot. */
    private void startsAndClosesHere(AutoSaver saver) throws Exception {
        start(saver, dir.resolve("here.txt"));
        saveAll(saver, List.of(AutoSaverProgram.record(1)));
        close(saver);
    }

    /** Every record the child saved is in its file, once, in order; if not, says why, from what the child printed. */
    private static void assertAllInTheChildsFile(ChildRun child, int count, String when) {
        assertStillAPipe(child.fileReplaced());
        List<String> expected = IntStream.rangeClosed(1, count)
                .mapToObj(AutoSaverProgram::record)
                .toList();
        String verdict = child.heldBackVerdict();
        String why = verdict.startsWith(HeldBackWrites.HELD_BACK)
                ? verdict.substring(HeldBackWrites.HELD_BACK.length()).strip()
                : "no shutdown hook waited for the writer";
        String advice = child.released()
                ? "a shutdown hook waited for the writer, but not until every record was written"
                : "the grading held the file's writes back until the program ended, as a slow disk might, and "
                        + why + ", so the JVM "
                        + "exited with the writer stuck. A daemon thread stops mid-work at exit and its finally blocks never "
                        + "run: register a shutdown hook in start() that calls close(), and let close() wait (bounded) "
                        + "until the writer has written and flushed every record";
        assertEachSavedOnce(child.lines(), expected, when, whyLost(child.run(), advice));
        assertInOrder(child.lines(), expected);
    }
}
