package dev.threadlab.daemon.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.ChildJvm;
import dev.threadlab.common.testsupport.ThreadDumps;
import dev.threadlab.daemon.ChildRuns;
import dev.threadlab.daemon.ChildRuns.Ended;
import dev.threadlab.daemon.LogFiles;
import dev.threadlab.daemon.exercise.AutoSaverProgram.Ending;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * How {@link AutoSaverSpec} drives a saver, kept apart so that the spec reads as its rules.
 *
 * <ul>
 *   <li>Every call into the saver ({@link #call}) runs on its own thread and is waited for a
 *       bounded time: a saver that hangs fails that rule in seconds, saying where it hung, and
 *       the rest of the spec is skipped (common's {@code SolutionResolver}: a {@link Hung} is a {@code SolutionHung}).</li>
 *   <li>A writer is held back by construction, never by luck: in this JVM with a {@link StuckFile},
 *       in a child JVM with {@link HeldBackWrites}.</li>
 *   <li>The checks of what is in a file name the first record lost, doubled, out of place.</li>
 * </ul>
 */
final class AutoSaverHarness {

    /** How long a call into the saver may take when its file can be written: milliseconds are normal. */
    static final Duration CALL_BOUND = Duration.ofSeconds(5);

    /** How long a child program may take, from start to exit (JVM start on a busy machine included). */
    static final Duration CHILD_BOUND = Duration.ofSeconds(20);

    /** How long close() must stay parked without a bound, with the writer stuck, to be judged waiting without one. */
    static final Duration UNBOUNDED_SEEN = Duration.ofSeconds(1);

    /** A JVM ended by SIGTERM exits with 128 + 15 once its shutdown hooks have run. */
    static final int SIGTERM_EXIT = 143;

    /** Options of the child JVM: fast start, and reading the registered shutdown hooks. */
    private static final List<String> CHILD_OPTIONS = Stream.concat(
                    ChildRuns.FAST_START.stream(), Stream.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"))
            .toList();

    private AutoSaverHarness() {}

    /** A call into the saver that did not return within its bound. */
    static final class Hung extends dev.threadlab.common.testsupport.SolutionHung {
        Hung(String message) {
            super(message);
        }
    }

    /** A call into the saver. */
    interface Call {
        void run() throws Exception;
    }

    /**
     * Runs {@code call} on a new thread named after {@code what} and waits for it at most
     * {@code bound}; rethrows what it threw.
     *
     * @throws Hung if it has not returned by then, saying where it was
     */
    static void call(String what, Duration bound, Call call) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().name("grading: " + what).daemon().start(() -> {
            try {
                call.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        if (!caller.join(bound)) {
            throw new Hung(what + " did not return within " + bound.toSeconds() + " s; it was " + where(caller));
        }
        Throwable t = thrown.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    /** {@link #call} with {@link #CALL_BOUND}. */
    static void call(String what, Call call) throws Exception {
        call(what, CALL_BOUND, call);
    }

    /** Starts the saver, turning the classic daemon mistake into a clear failure. */
    static void start(AutoSaver saver, Path file) throws Exception {
        try {
            call("start()", () -> saver.start(file));
        } catch (IllegalThreadStateException e) {
            Throwable cleanup = closeQuietly(saver);
            AssertionError failure = new AssertionError(
                    "start() threw IllegalThreadStateException: setDaemon(true) was "
                            + "called after start(); a thread's daemon status can only be set before it starts",
                    e);
            if (cleanup != null) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    /** Saves {@code records} in order, from one thread. */
    static void saveAll(AutoSaver saver, List<String> records) throws Exception {
        call("save()", () -> records.forEach(saver::save));
    }

    /** Saves {@code records} while the file cannot be written: save() must not wait for it. */
    static void saveAllWhileStuck(AutoSaver saver, List<String> records) throws Exception {
        try {
            saveAll(saver, records);
        } catch (Hung hung) {
            throw new Hung("save() did not return within " + CALL_BOUND.toSeconds() + " s while the file could not "
                    + "be written (it is a pipe nobody reads yet, like a stalled disk): save() must only queue the "
                    + "record for the saver's background thread and return, with no bound on the queue. "
                    + hung.getMessage());
        }
    }

    /**
     * Closes the saver, whose file can be written: close() must return within {@link #CALL_BOUND},
     * normally. What it threw instead is told on one line: the exception, and where in the saver.
     */
    static void close(AutoSaver saver) throws Exception {
        try {
            call("close()", saver::close);
        } catch (Hung hung) {
            throw new Hung("close() did not return within " + CALL_BOUND.toSeconds() + " s, though the file could be "
                    + "written: close() must make the writer finish (queue an end marker, or shutdown() the executor) "
                    + "and wait for it a bounded time (join(Duration), awaitTermination, Future.get with a timeout). "
                    + hung.getMessage());
        } catch (NotImplementedYet stub) {
            throw stub;
        } catch (Exception e) {
            throw new AssertionError(
                    "close() threw " + e + " at " + where(e.getStackTrace()) + ", though the file could be written:"
                            + " when every record can be written, close() must write them all, flush, and return"
                            + " normally",
                    e);
        }
    }

    /**
     * Runs {@code body} on a started saver, then closes it; if {@code body} fails, that failure is
     * the one reported, and a failing close() is attached to it, not put in its place.
     */
    static void thenClose(AutoSaver saver, Call body) throws Exception {
        try {
            body.run();
        } catch (Throwable failure) {
            Throwable cleanup = failure instanceof Hung ? null : closeQuietly(saver); // a hung saver hangs again
            if (cleanup != null) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        close(saver);
    }

    private static Throwable closeQuietly(AutoSaver saver) {
        try {
            close(saver);
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** What {@code call} threw, or null; the stub's "not implemented yet" is rethrown as it is. */
    static Throwable refusal(String what, Call call) throws Exception {
        try {
            call(what, call);
            return null;
        } catch (NotImplementedYet | Hung stubOrHang) {
            throw stubOrHang;
        } catch (Exception e) {
            return e;
        }
    }

    /** {@code count} records of 64 characters, named {@code prefix-n}. */
    static List<String> records(String prefix, int count) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(n -> String.format("%s-%06d-%s", prefix, n, "x".repeat(Math.max(1, 56 - prefix.length()))))
                .toList();
    }

    /**
     * Its state and where it is, on one line, for a failure message: {@code WAITING in Object.wait <
     * Thread.join < YourAutoSaver.close(YourAutoSaver.java:42)}, the frames from the top down to the
     * first one outside the JDK (the code that made the call), at most {@link #FRAMES}.
     */
    static String where(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        return thread.getState() + (stack.length == 0 ? "" : " in " + where(stack));
    }

    /** How many frames {@link #where} shows at most. */
    private static final int FRAMES = 8;

    /** The frames of {@code stack} from the top down to the first outside the JDK, on one line. */
    static String where(StackTraceElement[] stack) {
        List<String> shown = new ArrayList<>();
        for (StackTraceElement frame : stack) {
            String type = frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1);
            boolean jdk = frame.getClassName().matches("^(java|javax|jdk|sun|com\\.sun)\\..*");
            shown.add(type + "." + frame.getMethodName()
                    + (jdk || frame.getLineNumber() < 0
                            ? ""
                            : "(" + frame.getFileName() + ":" + frame.getLineNumber() + ")"));
            if (!jdk || shown.size() == FRAMES) {
                break;
            }
        }
        return String.join(" < ", shown);
    }

    /** Waits at most {@code bound} for {@code condition}, re-checking every few milliseconds; @return whether it held. */
    static boolean within(Duration bound, Thread watched, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            watched.join(Duration.ofMillis(5)); // a bounded wait that ends early if the watched thread ends
        }
        return true;
    }

    /** A thread that calls close() once, and remembers how it ended. */
    static final class Closer {
        private final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        /** The saver's class and its superclasses: where its close() may be declared. */
        private final Set<String> saverClasses = new HashSet<>();

        Closer(AutoSaver saver, String name) {
            for (Class<?> c = saver.getClass(); c != null; c = c.getSuperclass()) {
                saverClasses.add(c.getName());
            }
            thread = Thread.ofPlatform().name(name).daemon().start(() -> {
                try {
                    saver.close();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        }

        Thread thread() {
            return thread;
        }

        boolean returned() {
            return !thread.isAlive();
        }

        /**
         * Parked (waiting, with or without a bound, or blocked on a monitor) inside the saver's
         * {@code close()}. The state is read first, then the stack: a close() seen parked and
         * still on the stack afterwards had not returned when it was seen parked. (Without the
         * stack, a thread whose close() has returned can be seen BLOCKED as it ends: the JVM takes
         * the Thread object's monitor to wake its joiners, while the grading's bounded join on it
         * holds that monitor. A close() that returns at once would then pass for one that waits.)
         */
        boolean waiting() {
            Thread.State state = thread.getState();
            boolean parked = state == Thread.State.WAITING
                    || state == Thread.State.TIMED_WAITING
                    || state == Thread.State.BLOCKED;
            return parked && insideClose(thread.getStackTrace());
        }

        private boolean insideClose(StackTraceElement[] stack) {
            return Arrays.stream(stack)
                    .anyMatch(f -> saverClasses.contains(f.getClassName())
                            && f.getMethodName().equals("close"));
        }

        Throwable failure() {
            return failure.get();
        }

        /**
         * Watches close() while the writer is stuck: true once it is seen waiting with a bound
         * ({@code TIMED_WAITING}) or has returned; false once it has been parked without a bound
         * ({@code WAITING}, {@code BLOCKED}) at every look for {@link #UNBOUNDED_SEEN}, or has
         * not waited with a bound within {@link #CALL_BOUND}. (A wait without a bound only ever
         * ends when the writer does, and the writer is stuck.)
         */
        boolean waitsWithABound() throws InterruptedException {
            long deadline = System.nanoTime() + CALL_BOUND.toNanos();
            long parkedSince = 0;
            while (System.nanoTime() < deadline) {
                Thread.State state = thread.getState();
                if (state == Thread.State.TERMINATED
                        || state == Thread.State.TIMED_WAITING && insideClose(thread.getStackTrace())) {
                    return true;
                }
                if (state == Thread.State.WAITING || state == Thread.State.BLOCKED) {
                    parkedSince = parkedSince == 0 ? System.nanoTime() : parkedSince;
                    if (System.nanoTime() - parkedSince >= UNBOUNDED_SEEN.toNanos()) {
                        return false;
                    }
                } else {
                    parkedSince = 0;
                }
                thread.join(Duration.ofMillis(5)); // a bounded wait, over at once if close() returns
            }
            return false;
        }

        /** Waits for close() to return once the writer can write again. */
        void awaitReturn(String which) throws InterruptedException {
            if (!thread.join(CALL_BOUND)) {
                throw new Hung(which + " did not return within " + CALL_BOUND.toSeconds()
                        + " s after the file could be written again: " + where(thread));
            }
        }
    }

    // ---- threads and hooks ----

    /** The live threads, to compare with {@link #threadsStartedSince}. */
    static Set<Thread> liveThreads() {
        return Set.copyOf(Thread.getAllStackTraces().keySet());
    }

    /**
     * The threads started since {@code before} (not the grading's own, nor the JVM's) that are
     * still alive after a bounded wait for each to end.
     */
    static List<String> threadsStillRunningSince(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + CALL_BOUND.toNanos();
        List<String> alive = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (before.contains(t)
                    || ThreadDumps.isInfrastructure(t)
                    || t.getName().startsWith("grading: ")) {
                continue;
            }
            t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (t.isAlive()) {
                alive.add("\"" + t.getName() + "\"" + (t.isDaemon() ? " (daemon)" : "") + " " + t.getState());
            }
        }
        return alive.stream().sorted().toList();
    }

    /** The shutdown hooks registered now, or null if this JVM cannot read them (no --add-opens). */
    static Set<Thread> registeredHooksOrNull() {
        try {
            return Set.copyOf(HeldBackWrites.registeredHooks());
        } catch (IllegalStateException cannotRead) {
            return null;
        }
    }

    /**
     * Whether a closed saver, of which only a weak reference is left, is collected: used where the
     * registered hooks cannot be read (a JVM without {@code --add-opens java.base/java.lang=ALL-UNNAMED}).
     */
    static boolean collected(WeakReference<AutoSaver> saver) {
        for (int i = 0; i < 10 && saver.get() != null; i++) {
            System.gc(); // a full collection: clears the reference once nothing global holds the saver
        }
        return saver.get() == null;
    }

    // ---- child programs ----

    /** A child program that has ended, and the records that got through its held-back file. */
    record ChildRun(Ended run, List<String> lines, boolean fileReplaced) {
        String heldBackVerdict() {
            return run.output().stream()
                    .filter(l -> l.startsWith(HeldBackWrites.RELEASED) || l.startsWith(HeldBackWrites.HELD_BACK))
                    .findFirst()
                    .orElse("");
        }

        boolean released() {
            return heldBackVerdict().startsWith(HeldBackWrites.RELEASED);
        }
    }

    /**
     * Runs {@link AutoSaverProgram} with {@code saverClass} in a child JVM, its file a named pipe
     * whose writes are held back until the program ends ({@link HeldBackWrites}); for
     * {@link Ending#WAIT}, ends it with SIGTERM.
     *
     * @throws AssertionError if the child is still running after {@link #CHILD_BOUND} (it is then
     *                        killed), saying whether main got past its saves, with its thread dump
     */
    static ChildRun runHeldBack(Class<?> saverClass, Path dir, Ending ending, int records) throws Exception {
        Path fifo = dir.resolve("child-" + ending + ".pipe");
        Path copy = dir.resolve("child-" + ending + ".txt");
        StuckFile.mkfifo(fifo);
        long deadline = System.nanoTime() + CHILD_BOUND.toNanos();
        try (ChildJvm child = ChildJvm.start(
                AutoSaverProgram.class,
                CHILD_OPTIONS,
                saverClass.getName(),
                fifo.toString(),
                "--records",
                Integer.toString(records),
                "--ending",
                ending.name(),
                "--held-back-copy",
                copy.toString())) {
            try {
                if (ending == Ending.WAIT) {
                    child.awaitLine(AutoSaverProgram.WAITING, left(deadline));
                    // SIGTERM, as Process.destroy() sends it, through the handle so that the
                    // child's output stays readable to its end.
                    child.process().toHandle().destroy();
                }
                int exit = child.awaitExit(left(deadline));
                return new ChildRun(
                        new Ended(exit, child.output()), LogFiles.completeLines(copy), Files.isRegularFile(fifo));
            } catch (AssertionError stillRunning) {
                throw stuckChild(child, ending, stillRunning);
            }
        }
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    private static AssertionError stuckChild(ChildJvm child, Ending ending, AssertionError detail) {
        List<String> out = child.output();
        boolean accepted = out.stream().anyMatch(l -> l.startsWith(AutoSaverProgram.ACCEPTED));
        String what;
        if (!accepted) {
            what = "the program never got past its calls to save(): save() waited for the file, which the grading "
                    + "holds back (as a slow disk would); save() must only queue the record for the saver's "
                    + "background thread and return, with no bound on the queue";
        } else if (ending == Ending.WAIT) {
            what = "the program did not end after SIGTERM: a shutdown hook never returned (close() must wait for "
                    + "the writer a bounded time only)";
        } else {
            what = "the program did not end after main returned: a shutdown hook never returned, or a thread kept "
                    + "the JVM alive (close() must wait for the writer a bounded time only)";
        }
        Hung hung = new Hung(what + "; it was killed after " + CHILD_BOUND.toSeconds() + " s. " + detail.getMessage());
        hung.setStackTrace(new StackTraceElement[0]);
        return hung;
    }

    // ---- what is in a file ----

    /** Every expected record exactly once, and nothing else; at most the first offender is named. */
    static void assertEachSavedOnce(List<String> lines, List<String> expected, String when, String why) {
        Set<String> present = new HashSet<>(lines);
        List<String> lost = expected.stream().filter(r -> !present.contains(r)).toList();
        if (!lost.isEmpty()) {
            throw new AssertionError(String.format(
                    "%d of %d accepted records were lost %s (first lost: %s)%s",
                    lost.size(), expected.size(), when, shortName(lost.get(0)), why.isEmpty() ? "" : ": " + why));
        }
        Map<String, Integer> counts = new HashMap<>();
        lines.forEach(line -> counts.merge(line, 1, Integer::sum));
        List<String> twice = counts.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        if (!twice.isEmpty()) {
            throw new AssertionError(String.format(
                    "%d record(s) were written more than once %s (first: %s): each "
                            + "accepted record goes to the file exactly once",
                    twice.size(), when, shortName(twice.get(0))));
        }
        Set<String> wanted = new HashSet<>(expected);
        List<String> strangers = lines.stream().filter(l -> !wanted.contains(l)).toList();
        if (!strangers.isEmpty()) {
            throw new AssertionError(String.format(
                    "%d line(s) in the file were never saved %s (first: \"%s\"): the "
                            + "file holds the saved records, one a line, and nothing else",
                    strangers.size(), when, strangers.get(0)));
        }
    }

    /** The same records in the same order; names the first line out of place. */
    static void assertInOrder(List<String> lines, List<String> expected) {
        for (int i = 0; i < Math.min(lines.size(), expected.size()); i++) {
            if (!lines.get(i).equals(expected.get(i))) {
                throw new AssertionError(String.format(
                        "records saved by one thread must be in the file in the order "
                                + "it saved them: its record %d in the file is %s, but it saved %s there",
                        i + 1, shortName(lines.get(i)), shortName(expected.get(i))));
            }
        }
    }

    /** A record without its padding, for messages. */
    static String shortName(String record) {
        int pad = record.indexOf("-xx");
        return pad < 0 ? record : record.substring(0, pad);
    }

    /** Why records were lost in a child: its first exception, named for what it means, or {@code advice}. */
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

    /** Fails if the saver replaced the named pipe it was given by a regular file (then nothing can be held back). */
    static void assertStillAPipe(boolean replaced) {
        if (replaced) {
            throw new AssertionError("start() replaced the file it was given by a new one (deleted and created it?); "
                    + "start() must open the path it is given for writing, which creates or empties it "
                    + "(Files.newBufferedWriter(file)): the grading gives it a named pipe");
        }
    }
}
