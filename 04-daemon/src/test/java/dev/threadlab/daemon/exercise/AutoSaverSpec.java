package dev.threadlab.daemon.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.ChildJvm;
import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.common.testsupport.ThreadDumps;
import dev.threadlab.daemon.ChildRuns;
import dev.threadlab.daemon.ChildRuns.Ended;
import dev.threadlab.daemon.LogFiles;
import dev.threadlab.daemon.exercise.AutoSaverProgram.Ending;
import dev.threadlab.daemon.solution.ReferenceAutoSaver;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grading specification of exercise 04 ({@link AutoSaver}). Each test is one rule; its
 * failure message says which rule broke and why.
 *
 * <p>The rules about how a program ends are checked on real programs: {@link AutoSaverProgram}
 * runs the class under test in a child JVM (same {@code java}, same class path), and is ended by
 * {@code main} returning or by SIGTERM; then the records in its file are counted. Before that,
 * each such test starts and closes the saver here, in this JVM, so that a saver that cannot even
 * start fails fast and says why.
 */
@GradedExercise(value = "04 auto-saver: never keeps the program alive, never loses a record",
        learner = YourAutoSaver.class, reference = ReferenceAutoSaver.class)
class AutoSaverSpec {

    /** Bound for every wait in this spec; generous, because the machine may be busy. */
    private static final Duration PATIENCE = ChildRuns.PATIENCE;

    /** Records each child program saves: not a multiple of a typical batch size. */
    private static final int RECORDS = 1000;

    /** Records saved to a {@link StuckFile}: 256 KiB, more than a pipe holds (64 KiB on Linux). */
    private static final int STUCK_RECORDS = 4096;

    /**
     * How long a thread in close() may take to be seen waiting with a bound, or a closed saver to
     * be collected: both happen in milliseconds; this is only what a wrong solution costs.
     */
    private static final Duration BOUNDED_WAIT_SEEN = Duration.ofSeconds(2);

    /** A JVM ended by SIGTERM exits with 128 + 15 once its shutdown hooks have run. */
    private static final int SIGTERM_EXIT = 143;

    @TempDir
    Path dir;

    // ---- in this JVM ----

    @Test
    void everyRecordAcceptedFromTwoThreadsIsInTheFileAfterClose(@Solution AutoSaver saver) throws Exception {
        Path file = dir.resolve("records.txt");
        started(saver, file);
        List<String> fromA = IntStream.rangeClosed(1, 500).mapToObj(n -> "a-" + n).toList();
        List<String> fromB = IntStream.rangeClosed(1, 500).mapToObj(n -> "b-" + n).toList();
        try {
            CyclicBarrier together = new CyclicBarrier(2);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread a = Thread.ofPlatform().name("client-a").start(() -> saveAll(saver, fromA, together, failure));
            Thread b = Thread.ofPlatform().name("client-b").start(() -> saveAll(saver, fromB, together, failure));
            a.join(PATIENCE.toMillis());
            b.join(PATIENCE.toMillis());
            if (failure.get() != null) {
                throw new AssertionError("save() failed while two threads saved at once: " + failure.get(), failure.get());
            }
        } finally {
            saver.close();
        }

        List<String> lines = LogFiles.completeLines(file);
        List<String> all = new ArrayList<>(fromA);
        all.addAll(fromB);
        assertEachSavedOnce(lines, all, "after close(), with two threads saving at once", "");
        assertInOrder(lines.stream().filter(l -> l.startsWith("a-")).toList(), fromA);
        assertInOrder(lines.stream().filter(l -> l.startsWith("b-")).toList(), fromB);
    }

    @Test
    void closeEndsEveryThreadTheSaverStarted(@Solution AutoSaver saver) throws Exception {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        started(saver, dir.resolve("records.txt"));
        saver.save("one record");
        saver.close();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(threadsStartedSince(before))
                .as("close() has returned, but the saver's threads are still running; close() must stop "
                        + "them (shutdown() and awaitTermination(), or end the loop and join)")
                .isEmpty());
    }

    @Test
    void saveAfterCloseIsRefusedNotSilentlyDropped(@Solution AutoSaver saver) throws Exception {
        Path file = dir.resolve("records.txt");
        started(saver, file);
        saver.save("before close");
        saver.close();

        Throwable refusal = catchThrowable(() -> saver.save("after close"));
        assertThat(refusal)
                .as("save() after close() returned normally, so the record was silently dropped: "
                        + "a record that cannot be saved must be refused with IllegalStateException")
                .isInstanceOf(IllegalStateException.class);
        assertThat(LogFiles.completeLines(file)).as("the file after close()").containsExactly("before close");
    }

    @Test
    void aRecordWithALineBreakIsRefused(@Solution AutoSaver saver) throws Exception {
        Path file = dir.resolve("records.txt");
        started(saver, file);
        try {
            for (String broken : List.of("two\nlines", "carriage\rreturn")) {
                assertThat(refusal(() -> saver.save(broken)))
                        .as("save(\"%s\") must throw IllegalArgumentException: a record is one line, and this one "
                                + "would be read back as two", broken.replace("\n", "\\n").replace("\r", "\\r"))
                        .isInstanceOf(IllegalArgumentException.class);
            }
        } finally {
            saver.close();
        }
        assertThat(LogFiles.completeLines(file)).as("the file, after two refused records").isEmpty();
    }

    @Test
    void saveBeforeStartIsRefused(@Solution AutoSaver saver) {
        try {
            assertThat(refusal(() -> saver.save("too early")))
                    .as("save() before start() returned normally: a saver that is not started must refuse the "
                            + "record with IllegalStateException, not keep it somewhere or drop it")
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            saver.close();
        }
    }

    @Test
    void startingTwiceIsRefused(@Solution AutoSaver saver) throws Exception {
        started(saver, dir.resolve("first.txt"));
        try {
            assertThat(refusal(() -> saver.start(dir.resolve("second.txt"))))
                    .as("start() called a second time returned normally: it must throw IllegalStateException "
                            + "(a saver is started once: one file, one writer, one hook)")
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            saver.close();
        }
    }

    @Test
    void closeWaitsForAStuckWriterOnlyABoundedTime(@Solution AutoSaver saver) throws Exception {
        try (StuckFile stuck = StuckFile.create(dir.resolve("stuck-pipe"))) {
            started(saver, stuck.path());
            stuck.assertStillAPipe();
            List<String> records = saveMany(saver);
            Closer closer = new Closer(saver, "closer");
            try {
                await().atMost(BOUNDED_WAIT_SEEN).pollInterval(Duration.ofMillis(10))
                        .until(() -> closer.state() == Thread.State.TIMED_WAITING || closer.returned());
                if (closer.failure() == null) {
                    assertStillClosing(closer, "close()");
                }
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("close() waits for the writer without a bound: with the writer stuck in "
                        + "write() (its file is a pipe nobody reads), the thread in close() stayed " + closer.where()
                        + "; wait with a bound (join(Duration), awaitTermination, Future.get with a timeout), and if it "
                        + "passes throw IllegalStateException saying how many records were lost");
            } finally {
                stuck.drain();
                closer.awaitReturn();
            }
            if (closer.failure() == null) { // it waited and returned normally: then every record is written
                assertThat(stuck.awaitLines(records.size())).as("what close() wrote").isEqualTo(records);
            } else if (!(closer.failure() instanceof IllegalStateException)) {
                throw new AssertionError("close() threw " + closer.failure(), closer.failure());
            }
        }
    }

    @Test
    void aSecondCloseWaitsUntilTheFirstHasWrittenEveryRecord(@Solution AutoSaver saver) throws Exception {
        try (StuckFile stuck = StuckFile.create(dir.resolve("stuck-pipe"))) {
            started(saver, stuck.path());
            stuck.assertStillAPipe();
            List<String> records = saveMany(saver);
            Closer first = new Closer(saver, "first-closer");
            Closer second = null;
            try {
                await().atMost(PATIENCE).until(() -> first.waiting() || first.returned());
                assertStillClosing(first, "close()");
                second = new Closer(saver, "second-closer");
                Closer other = second;
                await().atMost(PATIENCE).until(() -> other.waiting() || other.returned());
                assertStillClosing(second, "a second close(), called while the first was writing,");
            } finally {
                stuck.drain();
                first.awaitReturn();
                if (second != null) {
                    second.awaitReturn();
                }
            }
            assertThat(first.failure()).as("the first close() threw").isNull();
            assertThat(second.failure()).as("the second close() threw").isNull();
            assertThat(stuck.awaitLines(records.size())).as("what close() wrote").isEqualTo(records);
        }
    }

    @Test
    void closeRemovesTheShutdownHookItRegistered(@Solution AutoSaver saver) throws Exception {
        WeakReference<AutoSaver> closed = startSaveAndClose(saver.getClass(), dir.resolve("records.txt"));
        try {
            await().atMost(BOUNDED_WAIT_SEEN).pollInterval(Duration.ofMillis(50)).until(() -> {
                System.gc(); // a full collection: clears the reference once nothing global holds the saver
                return closed.get() == null;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("after close() returned, the saver is still held by something global, most "
                    + "likely the shutdown hook it registered: close() must remove its hook "
                    + "(Runtime.removeShutdownHook, except when close() runs as the hook), or every saver ever closed "
                    + "stays in memory until the JVM exits, and is closed again then");
        }
    }

    // ---- in a child JVM: how the program ends ----

    @Test
    void whenMainReturnsWithoutCloseTheProgramEndsWithEveryAcceptedRecordSaved(@Solution AutoSaver saver)
            throws Exception {
        startsAndClosesHere(saver);
        Ended run = runInChild(saver, Ending.RETURN);

        assertNotKeptAlive(run);
        assertThat(run.exit()).as("the program should end normally (exit status 0) when main returns; output:%n%s",
                run.text()).isZero();
        assertEachSavedInOrder(childFile(Ending.RETURN), run, "when main returned without calling close()",
                "a daemon thread stops mid-work at exit and its finally blocks never run: a shutdown hook must call close()");
    }

    @Test
    void noAcceptedRecordIsLostOnSigterm(@Solution AutoSaver saver) throws Exception {
        startsAndClosesHere(saver);
        Ended run = runInChild(saver, Ending.WAIT);

        assertThat(run.exit()).as("a JVM ended by SIGTERM exits with status 143 after its shutdown hooks; "
                + "this one exited with %d; output:%n%s", run.exit(), run.text()).isEqualTo(SIGTERM_EXIT);
        assertEachSavedInOrder(childFile(Ending.WAIT), run, "on SIGTERM",
                "main never got past its wait, so only a shutdown hook can close the saver");
    }

    // ---- helpers ----

    /** What {@code call} threw, or null; the stub's "not implemented yet" is rethrown as it is. */
    private static Throwable refusal(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        if (thrown instanceof NotImplementedYet stub) {
            throw stub;
        }
        return thrown;
    }

    /** Saves {@value #STUCK_RECORDS} records of 64 bytes: several times what a pipe holds. */
    private static List<String> saveMany(AutoSaver saver) {
        List<String> records = IntStream.rangeClosed(1, STUCK_RECORDS)
                .mapToObj(n -> String.format("record-%06d-%s", n, "x".repeat(49))).toList();
        records.forEach(saver::save);
        return records;
    }

    private static void assertStillClosing(Closer closer, String which) {
        if (closer.returned()) {
            throw new AssertionError(which + " returned while the writer was stuck and the records were not all "
                    + "written yet" + (closer.failure() == null ? "" : " (it threw " + closer.failure() + ")")
                    + ": every close() must return only once the first has written every record, because the "
                    + "caller expects the file complete, and a shutdown hook's close() that returns early lets "
                    + "the JVM halt");
        }
    }

    /** A new saver of {@code type}: started, one record saved, closed; only a weak reference is left. */
    private static WeakReference<AutoSaver> startSaveAndClose(Class<? extends AutoSaver> type, Path file)
            throws Exception {
        AutoSaver saver = type.getDeclaredConstructor().newInstance();
        started(saver, file);
        saver.save("one record");
        saver.close();
        return new WeakReference<>(saver);
    }

    /** A thread that calls close() once, and remembers how it ended. */
    private static final class Closer {
        private final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Closer(AutoSaver saver, String name) {
            thread = Thread.ofPlatform().name(name).start(() -> {
                try {
                    saver.close();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        }

        Thread.State state() {
            return thread.getState();
        }

        boolean returned() {
            return !thread.isAlive();
        }

        /** Parked: waiting, with or without a bound, or blocked on a monitor. */
        boolean waiting() {
            Thread.State state = thread.getState();
            return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED;
        }

        Throwable failure() {
            return failure.get();
        }

        /** Its state and where, for a failure message. */
        String where() {
            StackTraceElement[] stack = thread.getStackTrace();
            return thread.getState() + Arrays.stream(stack).limit(6).map(f -> "\n\tat " + f)
                    .collect(Collectors.joining());
        }

        void awaitReturn() throws InterruptedException {
            if (!thread.join(PATIENCE)) {
                throw new AssertionError("close() did not return within " + PATIENCE.toSeconds()
                        + " s after the writer could write again: " + where());
            }
        }
    }

    /** Starts the saver, turning the classic daemon mistake into a clear failure. */
    private static void started(AutoSaver saver, Path file) throws IOException {
        try {
            saver.start(file);
        } catch (IllegalThreadStateException e) {
            try {
                saver.close(); // stop whatever did start
            } catch (RuntimeException ignored) {
                // the failure below is the one to report
            }
            throw new AssertionError("start() threw IllegalThreadStateException: setDaemon(true) was called "
                    + "after start(); a thread's daemon status can only be set before it starts", e);
        }
    }

    /** The saver starts, saves and closes in this JVM: fails fast, here, if it cannot. */
    private void startsAndClosesHere(AutoSaver saver) throws IOException {
        started(saver, dir.resolve("here.txt"));
        saver.save(AutoSaverProgram.record(1));
        saver.close();
    }

    /** Runs {@link AutoSaverProgram} with the class of {@code saver}; for WAIT, ends it with SIGTERM. */
    private Ended runInChild(AutoSaver saver, Ending ending) throws InterruptedException {
        Path file = childFile(ending);
        try (ChildJvm child = ChildJvm.start(AutoSaverProgram.class, ChildRuns.FAST_START, saver.getClass().getName(),
                file.toString(), "--records", Integer.toString(RECORDS), "--ending", ending.name())) {
            if (ending == Ending.WAIT) {
                child.awaitLine(AutoSaverProgram.WAITING, PATIENCE);
                // SIGTERM, as Process.destroy() sends it, through the handle so that the child's
                // output stays readable to its end.
                child.process().toHandle().destroy();
            }
            int exit = child.awaitExit(PATIENCE);
            return new Ended(exit, child.output());
        }
    }

    /** The file the child program of {@code ending} saves to. */
    private Path childFile(Ending ending) {
        return dir.resolve("child-" + ending + ".txt");
    }

    private static void assertNotKeptAlive(Ended run) {
        run.output().stream().filter(line -> line.startsWith(AutoSaverProgram.KEPT_ALIVE)).findFirst()
                .ifPresent(line -> {
                    throw new AssertionError("the program did not end after main returned: kept alive by "
                            + "non-daemon thread(s): " + line.substring(AutoSaverProgram.KEPT_ALIVE.length()).trim()
                            + ". Every thread the saver leaves running must be a daemon (setDaemon(true) before "
                            + "start(), or a daemon ThreadFactory for an executor)");
                });
    }

    /**
     * Every record the child saved is in {@code file}, once, in order. When some are lost, the
     * message gives the count, the first one lost, and why, read from the child's output if it
     * shows an exception (a hook that died says so only there); otherwise {@code advice}.
     */
    private static void assertEachSavedInOrder(Path file, Ended run, String when, String advice) throws IOException {
        List<String> lines = LogFiles.completeLines(file);
        List<String> expected = IntStream.rangeClosed(1, RECORDS).mapToObj(AutoSaverProgram::record).toList();
        assertEachSavedOnce(lines, expected, when, whyLost(run, advice));
        assertInOrder(lines, expected);
    }

    /** Why records were lost: the child's first exception, named for what it means, or {@code advice}. */
    static String whyLost(Ended run, String advice) {
        List<String> out = run.output();
        for (int i = 0; i < out.size(); i++) {
            String line = out.get(i).strip();
            if (!line.startsWith("Exception in thread") && !line.matches("^[\\w.$]+(Exception|Error)(: .*)?$")) {
                continue;
            }
            String trace = line; // and the first frame outside the JDK, which is where the saver went wrong
            for (int j = i + 1; j < out.size() && out.get(j).strip().startsWith("at "); j++) {
                if (!out.get(j).strip().startsWith("at java.")) {
                    trace += " " + out.get(j).strip();
                    break;
                }
            }
            String explanation = line.contains("Shutdown in progress")
                    ? "close() called Runtime.removeShutdownHook while the JVM was shutting down, which throws "
                    + "IllegalStateException: Shutdown in progress, so the hook died before writing the records. "
                    + "Remove the hook only when close() is not running as the hook "
                    + "(Thread.currentThread() != hook), or catch that IllegalStateException"
                    : "the saver threw, see the child's output";
            return explanation + "; the child program printed: " + trace;
        }
        return advice;
    }

    /** Every expected record exactly once, and nothing else; at most the first offender is named. */
    private static void assertEachSavedOnce(List<String> lines, List<String> expected, String when, String why) {
        Set<String> present = new HashSet<>(lines);
        List<String> lost = expected.stream().filter(r -> !present.contains(r)).toList();
        if (!lost.isEmpty()) {
            throw new AssertionError(String.format("%d of %d accepted records were lost %s (first lost: %s)%s",
                    lost.size(), expected.size(), when, lost.get(0), why.isEmpty() ? "" : ": " + why));
        }
        Map<String, Integer> counts = new HashMap<>();
        lines.forEach(line -> counts.merge(line, 1, Integer::sum));
        List<String> twice = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
        if (!twice.isEmpty()) {
            throw new AssertionError(String.format("%d record(s) were written more than once %s (first: %s)",
                    twice.size(), when, twice.get(0)));
        }
        Set<String> wanted = new HashSet<>(expected);
        List<String> strangers = lines.stream().filter(l -> !wanted.contains(l)).toList();
        if (!strangers.isEmpty()) {
            throw new AssertionError(String.format("%d line(s) in the file were never saved %s (first: \"%s\")",
                    strangers.size(), when, strangers.get(0)));
        }
    }

    /** The same records in the same order; names the first line out of place. */
    private static void assertInOrder(List<String> lines, List<String> expected) {
        for (int i = 0; i < Math.min(lines.size(), expected.size()); i++) {
            if (!lines.get(i).equals(expected.get(i))) {
                throw new AssertionError(String.format("records saved by one thread must be in the file in the order "
                        + "it saved them: record %d of that thread is %s, expected %s", i + 1, lines.get(i), expected.get(i)));
            }
        }
        assertThat(lines.size()).as("records from one thread in the file").isEqualTo(expected.size());
    }

    private static void saveAll(AutoSaver saver, List<String> records, CyclicBarrier together,
            AtomicReference<Throwable> failure) {
        try {
            together.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            records.forEach(saver::save);
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    private static List<String> threadsStartedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t) && !ThreadDumps.isInfrastructure(t.getName()))
                .map(t -> "\"" + t.getName() + "\"" + (t.isDaemon() ? " (daemon)" : "") + " " + t.getState())
                .sorted().toList();
    }
}
