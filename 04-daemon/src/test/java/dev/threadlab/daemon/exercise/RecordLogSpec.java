package dev.threadlab.daemon.exercise;

import static dev.threadlab.daemon.exercise.AutoSaverHarness.CALL_BOUND;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.assertEachSavedOnce;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.assertInOrder;
import static dev.threadlab.daemon.exercise.AutoSaverHarness.call;

import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.common.testsupport.SteppedClasses;
import dev.threadlab.daemon.exercise.AutoSaverHarness.Hung;
import dev.threadlab.daemon.exercise.ShutdownPlay.HookRun;
import dev.threadlab.daemon.harness.LogFiles;
import dev.threadlab.daemon.solution.ReferenceRecordLog;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * The grading specification of exercise 04.2 ({@link RecordLog}). Each test is one rule, stated in
 * {@link RecordLog}'s javadoc. All in this JVM and by construction: to end the program, the
 * grading runs the hooks the log registered exactly as the JVM does at exit ({@link ShutdownPlay}:
 * shutdown marked as begun, so that removeShutdownHook throws as it would), then reads the file.
 * Nothing else writes the buffer, so what the hook did not write stays lost, in every run.
 */
@GradedExercise(
        value = "04.2 keep the last records: a shutdown hook that flushes",
        learner = YourRecordLog.class,
        reference = ReferenceRecordLog.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS) // a backstop: every wait inside is bounded far below it
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the order of RecordLog's javadoc
class RecordLogSpec {

    /** 997 records of 40 characters: about 40 KB, so the last ones are still in an 8 KB buffer. */
    private static final List<String> RECORDS = IntStream.rangeClosed(1, 997)
            .mapToObj(n -> String.format("record-%06d-%s", n, "x".repeat(26)))
            .toList();

    @TempDir
    Path dir;

    @Test
    @Order(1)
    @DisplayName("1. Every appended record is in the file after close()")
    void everyAppendedRecordIsInTheFileAfterClose(@Solution RecordLog log) throws Exception {
        Set<Thread> before = ShutdownPlay.registered();
        Path file = dir.resolve("records.txt");
        try {
            call("open()", () -> log.open(file));
            call("append()", () -> RECORDS.forEach(log::append));
            call("close()", log::close);
            List<String> lines = LogFiles.completeLines(file);
            assertEachSavedOnce(
                    lines,
                    RECORDS,
                    "after close() returned",
                    "close() must flush the buffer (closing a BufferedWriter flushes it)");
            assertInOrder(lines, RECORDS);
        } finally {
            ShutdownPlay.removeSince(before);
        }
    }

    @Test
    @Order(2)
    @DisplayName("2. When the program ends without close(), the hook writes every record")
    void whenTheProgramEndsWithoutCloseTheHookWritesEveryRecord(@Solution RecordLog log) throws Exception {
        Set<Thread> before = ShutdownPlay.registered();
        Path file = dir.resolve("records.txt");
        try {
            call("open()", () -> log.open(file));
            call("append()", () -> RECORDS.forEach(log::append));
            List<HookRun> runs = endTheProgram(before, file);
            List<String> lines = LogFiles.completeLines(file);
            String died = runs.stream()
                    .filter(r -> r.died() != null)
                    .findFirst()
                    .map(r -> "; the hook died of " + r.died() + where(r.died()))
                    .orElse("");
            assertEachSavedOnce(
                    lines,
                    RECORDS,
                    "when the program ended without close()",
                    "the shutdown hook ran"
                            + (died.isEmpty() ? " and ended" : "")
                            + ", but the records it did not write were still in the "
                            + "buffer" + died + ". The hook must flush (or close) the writer that holds the records");
            assertInOrder(lines, RECORDS);
        } finally {
            ShutdownPlay.removeSince(before);
        }
    }

    @Test
    @Order(3)
    @DisplayName("3. The hook does not remove itself while the program ends")
    void theHookDoesNotRemoveItselfWhileTheProgramEnds(@Solution RecordLog log) throws Exception {
        Set<Thread> before = ShutdownPlay.registered();
        Path file = dir.resolve("records.txt");
        try {
            call("open()", () -> log.open(file));
            call("append()", () -> RECORDS.subList(0, 3).forEach(log::append));
            for (HookRun run : endTheProgram(before, file)) {
                if (run.died() != null) {
                    boolean removing = run.died() instanceof IllegalStateException
                            && where(run.died()).contains("removeShutdownHook");
                    throw new AssertionError(
                            "the shutdown hook \"" + run.hook().getName() + "\" died of " + run.died()
                                    + where(run.died())
                                    + (removing
                                            ? ": during shutdown a hook cannot remove itself "
                                                    + "(Runtime.removeShutdownHook throws). In close(), skip removeShutdownHook when "
                                                    + "Thread.currentThread() is the hook"
                                            : ": a hook must end normally"),
                            run.died());
                }
            }
        } finally {
            ShutdownPlay.removeSince(before);
        }
    }

    @Test
    @Order(4)
    @DisplayName("4. close() removes the hook it registered")
    void closeRemovesTheHookItRegistered(@Solution RecordLog log) throws Exception {
        Set<Thread> before = ShutdownPlay.registered();
        try {
            call("open()", () -> log.open(dir.resolve("records.txt")));
            if (ShutdownPlay.registeredSince(before).isEmpty()) {
                throw noHook();
            }
            call("append()", () -> log.append(RECORDS.get(0)));
            call("close()", log::close);
            List<String> left = ShutdownPlay.registeredSince(before).stream()
                    .map(Thread::getName)
                    .toList();
            if (!left.isEmpty()) {
                throw new AssertionError("after close() returned, the shutdown hook(s) " + left + " the log registered "
                        + "are still registered: close() must remove its hook (Runtime.removeShutdownHook), or every "
                        + "log ever closed stays in memory until the JVM exits, and its hook runs then for nothing");
            }
        } finally {
            ShutdownPlay.removeSince(before);
        }
    }

    @Test
    @Order(5)
    @DisplayName("5. The hook never ends while an append() is in the middle of a record")
    void theHookNeverEndsWhileAnAppendIsInTheMiddleOfARecord(@Solution RecordLog log) throws Exception {
        Set<Thread> first = ShutdownPlay.registered();
        try {
            call("open()", () -> log.open(dir.resolve("records.txt"))); // the untouched stub stops here
        } finally {
            ShutdownPlay.removeSince(first);
        }
        Class<?> stepped = SteppedClasses.reloaded(log.getClass(), Steps.class);
        for (int step = 1; step <= AutoSaverHarness.MAX_STEPS; step++) {
            var constructor = stepped.getDeclaredConstructor();
            constructor.setAccessible(true);
            RecordLog racing = (RecordLog) constructor.newInstance();
            Set<Thread> before = ShutdownPlay.registered();
            Path file = dir.resolve("race-" + step + ".txt");
            try {
                if (raceTheHookWithAnAppend(racing, stepped, step, before, file)) {
                    return; // append() returned before this step: every step has been raced
                }
            } finally {
                Steps.watch(null);
                Steps.letGo();
                ShutdownPlay.removeSince(before);
            }
        }
    }

    /** Records appended before the race. */
    private static final List<String> BEFORE_THE_RACE = RECORDS.subList(0, 3);

    /** The record appended while the hook runs. */
    private static final String RACED = "appended while the hook ran";

    /**
     * Pauses an append() before its step {@code step} (in a log of the class loaded again with
     * {@link Steps}), ends the program meanwhile (runs the hooks as the JVM does at exit), and
     * sees whether the hooks ran to their end (or had to wait for the paused append: it holds a
     * lock they need). Where they ran to their end, the file they left is the file the program
     * leaves, whatever the paused append would do next: it must hold whole records only, every
     * record appended before included. Decided in every run alike: nothing moves while paused.
     *
     * @return true if append() returned before step {@code step} (nothing left to race)
     */
    private static boolean raceTheHookWithAnAppend(
            RecordLog log, Class<?> stepped, int step, Set<Thread> before, Path file) throws Exception {
        call("open()", () -> log.open(file));
        call("append()", () -> BEFORE_THE_RACE.forEach(log::append));
        Thread appending = Thread.ofPlatform()
                .name("grading: append() racing the hook")
                .daemon()
                .unstarted(() -> {
                    try {
                        log.append(RACED);
                    } catch (RuntimeException | Error afterTheHook) {
                        // what an append does once the hook has run is not this rule's business
                    }
                });
        // Which locks append() holds at its pause, and which the hooks hold as they run: the verdict names them.
        AtomicReference<Set<String>> appendHolds = new AtomicReference<>(Set.of());
        Set<Thread> hookThreads = ConcurrentHashMap.newKeySet();
        Set<String> hookHolds = Collections.synchronizedSet(new LinkedHashSet<>());
        Steps.watch(me -> {
            if (me == appending) {
                appendHolds.set(LocksHeld.ofTheCallingThread(log));
            } else if (hookThreads.contains(me)) {
                hookHolds.addAll(LocksHeld.ofTheCallingThread(log));
            }
        });
        Steps.pause(appending, step);
        appending.start();
        if (!AutoSaverHarness.within(CALL_BOUND, appending, () -> Steps.paused() || !appending.isAlive())) {
            throw new Hung("append() did not return within " + CALL_BOUND.toSeconds() + " s (nothing else was"
                    + " running): " + AutoSaverHarness.where(appending));
        }
        if (!Steps.paused()) {
            Steps.letGo();
            return true;
        }
        String pausedAt = AutoSaverHarness.pausedAt(appending, stepped).replace("inside save()", "inside append()");
        List<Thread> hooks = ShutdownPlay.registeredSince(before).stream()
                .filter(h -> h.getState() == Thread.State.NEW)
                .toList();
        if (hooks.isEmpty()) {
            Steps.letGo();
            return true; // no hook to run: rule 2 says so
        }
        hookThreads.addAll(hooks);
        AtomicReference<List<HookRun>> runs = new AtomicReference<>();
        Thread exit = Thread.ofPlatform()
                .name("grading: the program ends")
                .daemon()
                .start(() -> {
                    try {
                        runs.set(ShutdownPlay.runAsAtExit(hooks, CALL_BOUND));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        // The hooks run to their end, or until they cannot go on without the paused append().
        AutoSaverHarness.within(
                CALL_BOUND, exit, () -> !exit.isAlive() || hooks.stream().anyMatch(h -> waitsFor(h, appending)));
        boolean ranToTheEnd = !exit.isAlive();
        String left = ranToTheEnd ? Files.readString(file, StandardCharsets.UTF_8) : null;
        Set<String> appendHeld = appendHolds.get(); // at its pause: read before it goes on
        Steps.letGo();
        appending.join(CALL_BOUND);
        exit.join(CALL_BOUND.multipliedBy(2));
        if (!ranToTheEnd || runs.get() == null || runs.get().stream().anyMatch(r -> !r.ended() || r.died() != null)) {
            return false; // waited for the append (not judged at this step), or a hook failed: rules 2 and 3 say so
        }
        String problem = wholeRecordsOnly(left);
        Set<String> hookHeld;
        synchronized (hookHolds) {
            hookHeld = new LinkedHashSet<>(hookHolds);
        }
        if (problem != null) {
            throw new AssertionError("the shutdown hook ran to its end while an append(\"" + RACED + "\") was paused "
                    + pausedAt + " (its step " + step + "), and the file it left " + problem + ". append() and the"
                    + " hook run on different threads: unless both hold one lock, the hook can flush (or close) the"
                    + " writer in the middle of an append(), and the program ends with that record torn or lost. "
                    + oneLock(appendHeld, hookHeld, log.getClass().getSimpleName()));
        }
        return false;
    }

    /**
     * @return what to do, from what the class does: which lock append() held at its pause, and which
     *         the hook held as it ran (none of append()'s: it did not wait), each named
     */
    static String oneLock(Set<String> append, Set<String> hook, String simpleName) {
        String then = ": then the hook waits for the record to be whole";
        if (append.isEmpty() && hook.isEmpty()) {
            return "Here neither holds a lock: append() holds none, and the hook holds none while it flushes (or"
                    + " closes) the writer. Make append() synchronized, and have the hook call a synchronized method"
                    + " of the log (close(), or a synchronized flush), or run inside synchronized (" + simpleName
                    + ".this) { … }" + then;
        }
        if (append.isEmpty()) {
            String lock = hook.iterator().next();
            return "Here the hook holds " + LocksHeld.describe(hook, simpleName) + ", but append() holds no lock."
                    + " Make append() hold " + (hook.size() == 1 ? "it" : LocksHeld.describe(lock, simpleName))
                    + " too ("
                    + (lock.equals(LocksHeld.THIS)
                            ? "make append() synchronized"
                            : LocksHeld.howToTake(lock, simpleName) + " around its writes")
                    + ")" + then;
        }
        String lock = append.iterator().next();
        String take = lock.equals(LocksHeld.THIS)
                ? "run the hook's flush (or close) inside synchronized (" + simpleName + ".this) { … }, or have"
                        + " the hook call a synchronized method of the log, such as close()"
                : "run the hook's flush (or close) inside " + LocksHeld.howToTake(lock, simpleName);
        if (hook.isEmpty()) {
            return "Here append() holds " + LocksHeld.describe(append, simpleName) + ", but the hook holds no lock"
                    + " while it flushes (or closes) the writer, so it never waits for append(): append() already"
                    + " holds a lock; the hook must take the same one. Have the hook hold "
                    + (append.size() == 1 ? "it" : LocksHeld.describe(lock, simpleName)) + ": " + take + then;
        }
        return "Here append() holds " + LocksHeld.describe(append, simpleName) + ", but the hook holds "
                + LocksHeld.describe(hook, simpleName) + ", another lock: a lock makes only the threads that take"
                + " that same lock wait. Have the hook hold the lock append() holds instead: " + take + then;
    }

    /** @return what is wrong with the file the hook left, or null if it holds whole records only */
    private static String wholeRecordsOnly(String content) {
        if (!content.isEmpty() && !content.endsWith("\n")) {
            String last = content.substring(content.lastIndexOf('\n') + 1);
            return "ends with a torn record: \"" + last + "\", without its line break";
        }
        List<String> lines = content.lines().toList();
        for (int i = 0; i < BEFORE_THE_RACE.size(); i++) {
            if (i >= lines.size() || !lines.get(i).equals(BEFORE_THE_RACE.get(i))) {
                return "lacks the record \"" + BEFORE_THE_RACE.get(i) + "\", appended (and returned) before the"
                        + " program ended";
            }
        }
        List<String> rest = lines.subList(BEFORE_THE_RACE.size(), lines.size());
        if (!rest.isEmpty() && !rest.equals(List.of(RACED))) {
            return "holds " + rest + " after the records appended before, instead of nothing or the whole record"
                    + " \"" + RACED + "\"";
        }
        return null;
    }

    /** Whether {@code hook} waits for a lock that {@code paused} holds. */
    private static boolean waitsFor(Thread hook, Thread paused) {
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(hook.threadId());
        return info != null && info.getLockOwnerId() == paused.threadId();
    }

    /** Ends the program as the JVM would: runs the hooks the log registered; fails if there are none, or one hangs. */
    private static List<HookRun> endTheProgram(Set<Thread> before, Path file) throws Exception {
        List<Thread> hooks = ShutdownPlay.registeredSince(before);
        if (hooks.isEmpty()) {
            int inFile = LogFiles.completeLines(file).size();
            throw new AssertionError(noHook().getMessage() + " (here " + (RECORDS.size() - inFile) + " of "
                    + RECORDS.size() + " records were still in the buffer when the program ended)");
        }
        List<HookRun> runs = ShutdownPlay.runAsAtExit(hooks, CALL_BOUND);
        for (HookRun run : runs) {
            if (!run.ended()) {
                throw new Hung("the shutdown hook \"" + run.hook().getName() + "\" did not end within "
                        + CALL_BOUND.toSeconds() + " s: the JVM waits for its hooks before it exits; it was "
                        + AutoSaverHarness.where(run.hook()));
            }
        }
        return runs;
    }

    private static AssertionError noHook() {
        return new AssertionError("open() registered no shutdown hook: when the program ends without close(), "
                + "nothing flushes the buffer and the records still in it are lost. Register one in open(): "
                + "Runtime.getRuntime().addShutdownHook(thread), with a thread that is not started (the JVM "
                + "starts it at exit) and flushes or closes the writer");
    }

    /** Where a hook's exception came from: the first frames, for the message. */
    private static String where(Throwable t) {
        StringBuilder at = new StringBuilder();
        StackTraceElement[] stack = t.getStackTrace();
        for (int i = 0; i < Math.min(4, stack.length); i++) {
            at.append(i == 0 ? " at " : " < ")
                    .append(stack[i].getClassName().replaceAll(".*\\.", ""))
                    .append('.')
                    .append(stack[i].getMethodName());
        }
        return at.toString();
    }
}
