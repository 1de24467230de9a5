package dev.threadlab.daemon.exercise;

import static dev.threadlab.daemon.exercise.AutoSaverHarness.CALL_BOUND;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.SIGTERM_EXIT;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.assertEachSavedOnce;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.assertInOrder;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.assertStillAPipe;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.close;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.records;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.refusal;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.saveAll;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.start;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.thenClose;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.whyLost;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.within;

import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.daemon.LogFiles;
import dev.threadlab.daemon.exercise.AutoSaverHarness.ChildRun;
import dev.threadlab.daemon.exercise.AutoSaverHarness.Closer;
import dev.threadlab.daemon.exercise.AutoSaverHarness.Hung;
import dev.threadlab.daemon.exercise.AutoSaverProgram.Ending;
import dev.threadlab.daemon.solution.ReferenceAutoSaver;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grading specification of exercise 04.3 ({@link AutoSaver}). Each test is one rule, stated in
 * {@link AutoSaver}'s javadoc; its failure message says which rule broke, what the saver did, and
 * the fix. {@link AutoSaverHarness} holds the machinery.
 *
 * <p>No verdict depends on timing. Where a rule is about a writer that has not finished, the
 * writer is held back by construction: its file is a named pipe nobody reads until the rule says
 * so ({@link StuckFile} here, {@link HeldBackWrites} in the child JVMs that check how a program
 * ends). Record counts are primes, so that no batch size divides them. Every call into the saver
 * is bounded; after one hangs the remaining rules are skipped.
 */
@GradedExercise(
        value = "04.3 auto-saver: never keeps the program alive, never loses a record",
        learner = YourAutoSaver.class,
        reference = ReferenceAutoSaver.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS) // a backstop: every wait inside is bounded far below it
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the order of AutoSaver's javadoc: the core rules first
class AutoSaverSpec {

    @TempDir
    Path dir;

    // ---- the rules, in the order of AutoSaver's javadoc: the two promises first (records kept,
    // also when the program ends, in child JVMs whose file is held back until it ends), then
    // close(), then refusals ----

    @Test
    @Order(1)
    @DisplayName("1. Every record accepted from two threads is in the file after close()")
    void everyRecordAcceptedFromTwoThreadsIsInTheFileAfterClose(@Solution AutoSaver saver) throws Exception {
        Path file = dir.resolve("records.txt");
        List<String> fromA = records("a", 997);
        List<String> fromB = records("b", 1006); // 2003 in all: a prime, so no batch size divides it
        start(saver, file);
        thenClose(saver, () -> {
            AtomicReference<Throwable> failedInB = new AtomicReference<>();
            Thread b = Thread.ofPlatform()
                    .name("grading: save() from b")
                    .daemon()
                    .start(() -> {
                        try {
                            fromB.forEach(saver::save);
                        } catch (Throwable t) {
                            failedInB.set(t);
                        }
                    });
            saveAll(saver, fromA); // while b saves too
            if (!b.join(CALL_BOUND)) {
                throw new Hung("save() from a second thread did not return within " + CALL_BOUND.toSeconds()
                        + " s; it was " + AutoSaverHarness.where(b));
            }
            if (failedInB.get() != null) {
                throw new AssertionError(
                        "save() threw " + failedInB.get() + " while two threads saved at once: "
                                + "save() must be safe to call from many threads",
                        failedInB.get());
            }
        });

        List<String> lines = LogFiles.completeLines(file);
        List<String> all = new ArrayList<>(fromA);
        all.addAll(fromB);
        assertEachSavedOnce(
                lines,
                all,
                "after close() returned, with two threads saving at once",
                "close() must write every accepted record, including a last partial batch, and flush the file");
        assertInOrder(lines.stream().filter(l -> l.startsWith("a-")).toList(), fromA);
        assertInOrder(lines.stream().filter(l -> l.startsWith("b-")).toList(), fromB);
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
    @DisplayName("4. close() waits for a stuck writer only a bounded time")
    void closeWaitsForAStuckWriterOnlyABoundedTime(@Solution AutoSaver saver) throws Exception {
        try (StuckFile stuck = StuckFile.create(dir.resolve("stuck-pipe"))) {
            start(saver, stuck.path());
            stuck.assertStillAPipe();
            List<String> records = records("s", 4099); // 260 KB: the writer fills the pipe and is stuck
            AutoSaverHarness.saveAllWhileStuck(saver, records);
            Closer closer = new Closer(saver, "grading: close()");
            try {
                if (!closer.waitsWithABound()) {
                    throw new AssertionError("close() waits for the writer without a bound: with the writer stuck in "
                            + "write() (its file is a pipe nobody reads), the thread in close() stayed "
                            + AutoSaverHarness.where(closer.thread()) + ". Wait with a bound (join(Duration), "
                            + "awaitTermination, Future.get with a timeout), and if it passes throw "
                            + "IllegalStateException saying how many records were lost");
                }
                stillClosing(closer, "close()");
            } finally {
                stuck.drain();
                closer.awaitReturn("close()");
            }
            List<String> written = stuck.linesWrittenSoFar(CALL_BOUND);
            if (closer.failure() == null) { // it waited and returned normally: then every record is written
                assertEachSavedOnce(written, records, "by the time close() returned normally", "");
                assertInOrder(written, records);
            } else if (!(closer.failure() instanceof IllegalStateException)) {
                throw new AssertionError(
                        "close() threw " + closer.failure() + "; when the records cannot all be "
                                + "written within its bound, it must throw IllegalStateException",
                        closer.failure());
            }
        }
    }

    @Test
    @Order(5)
    @DisplayName("5. A second close() waits until the first has written every record")
    void aSecondCloseWaitsUntilTheFirstHasWrittenEveryRecord(@Solution AutoSaver saver) throws Exception {
        try (StuckFile stuck = StuckFile.create(dir.resolve("stuck-pipe"))) {
            start(saver, stuck.path());
            stuck.assertStillAPipe();
            List<String> records = records("t", 4093);
            AutoSaverHarness.saveAllWhileStuck(saver, records);
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
                stuck.drain();
                first.awaitReturn("the first close()");
                if (second != null) {
                    second.awaitReturn("the second close()");
                }
            }
            List<String> written = stuck.linesWrittenSoFar(CALL_BOUND);
            for (Closer closer : List.of(first, second)) {
                if (closer.failure() != null) {
                    throw new AssertionError(
                            "close() threw " + closer.failure() + " though the file could be written "
                                    + "again well within its bound",
                            closer.failure());
                }
            }
            assertEachSavedOnce(written, records, "by the time both close() calls returned", "");
        }
    }

    @Test
    @Order(6)
    @DisplayName("6. close() ends every thread the saver started")
    void closeEndsEveryThreadTheSaverStarted(@Solution AutoSaver saver) throws Exception {
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
    }

    @Test
    @Order(7)
    @DisplayName("7. close() removes the shutdown hook it registered")
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
    @Order(8)
    @DisplayName("8. save after close() is refused, not silently dropped")
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
    @Order(9)
    @DisplayName("9. save before start is refused")
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
    @Order(10)
    @DisplayName("10. Starting twice is refused")
    void startingTwiceIsRefused(@Solution AutoSaver saver) throws Exception {
        start(saver, dir.resolve("first.txt"));
        thenClose(saver, () -> {
            Throwable refusal = refusal("a second start()", () -> saver.start(dir.resolve("second.txt")));
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
    @Order(11)
    @DisplayName("11. A record with a line break is refused")
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
