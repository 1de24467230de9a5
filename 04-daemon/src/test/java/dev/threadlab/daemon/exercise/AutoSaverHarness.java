package dev.threadlab.daemon.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.ChildJvm;
import dev.threadlab.common.testsupport.SteppedClasses;
import dev.threadlab.common.testsupport.ThreadDumps;
import dev.threadlab.daemon.ChildRuns;
import dev.threadlab.daemon.ChildRuns.Ended;
import dev.threadlab.daemon.exercise.AutoSaverProgram.Ending;
import dev.threadlab.daemon.harness.LogFiles;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * How {@link AutoSaverSpec} drives a saver, kept apart so that the spec reads as its rules.
 *
 * <ul>
 *   <li>Every call into the saver ({@link #call}) runs on its own thread and is waited for a
 *       bounded time: a saver that hangs fails that rule in seconds, saying where it hung, and
 *       the rest of the spec is skipped (common's {@code SolutionResolver}: a {@link Hung} is a {@code SolutionHung}).</li>
 *   <li>A writer is held back by construction, never by luck: in this JVM with a {@link HeldFile},
 *       in a child JVM with {@link HeldBackWrites}. A save racing close() is paused before each of
 *       its steps in turn ({@link Steps}).</li>
 *   <li>The checks of what is in a file name the first record lost, doubled, out of place.</li>
 * </ul>
 */
final class AutoSaverHarness {

    /** How long a call into the saver may take when its file can be written: milliseconds are normal. */
    static final Duration CALL_BOUND = Duration.ofSeconds(5);

    /** How long a child program may take, from start to exit (JVM start on a busy machine included). */
    static final Duration CHILD_BOUND = Duration.ofSeconds(20);

    /**
     * The {@code closeBound} given to {@code start} where the file can be written: far longer than
     * writing takes, so that a close() that waits for the writer never gives up.
     */
    static final Duration LONG_BOUND = Duration.ofSeconds(10);

    /**
     * The {@code closeBound} given to {@code start} where the grading holds the file's writes back
     * until the rule ends: close() must give up, and a short bound makes that quick. (Nothing
     * races it: no write gets through, however long close() waits.)
     */
    static final Duration STUCK_BOUND = Duration.ofMillis(300);

    /** How long close() must stay parked without a bound, with the writer stuck, to be judged waiting without one. */
    static final Duration UNBOUNDED_SEEN = Duration.ofSeconds(1);

    /**
     * Processor time a saver's thread may use, with nothing to write, without ever waiting, before
     * it is judged spinning. Processor time, not wall time: a thread waiting for work uses none,
     * however loaded the machine, and one that spins uses it as fast as it is given a core.
     */
    static final Duration SPIN_CPU = Duration.ofMillis(200);

    /** The most steps of one save() the race rule pauses before, in turn (a save takes a few dozen). */
    static final int MAX_STEPS = 400;

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

    /** Starts the saver with {@link #LONG_BOUND} (the file can be written). */
    static void start(AutoSaver saver, Path file) throws Exception {
        start(saver, file, LONG_BOUND);
    }

    /** Starts the saver, turning the classic daemon mistake into a clear failure. */
    static void start(AutoSaver saver, Path file, Duration closeBound) throws Exception {
        try {
            call("start()", () -> saver.start(file, closeBound));
        } catch (UnsupportedOperationException e) {
            if (String.valueOf(e.getMessage()).startsWith(HeldFile.UNSUPPORTED)) {
                throw new AssertionError("start() could not open the grading's file: " + e.getMessage(), e);
            }
            throw e;
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

    /**
     * Saves {@code records} while {@code file} holds every write back: save() must not wait for
     * it. A save() that writes the file itself is caught in the act, on its own thread, at once.
     */
    static void saveAllWhileStuck(AutoSaver saver, HeldFile file, List<String> records) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().name("grading: save()").daemon().start(() -> {
            try {
                records.forEach(saver::save);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        long deadline = System.nanoTime() + CALL_BOUND.toNanos();
        while (caller.isAlive()) {
            if (file.wroteFrom(caller)) {
                throw new AssertionError("save() writes the file itself: with the file stuck (the grading holds its "
                        + "writes back, as a stalled disk would), the thread that called save() was caught writing it (in "
                        + where(caller.getStackTrace())
                        + "), so every caller waits for the disk. save() must only queue the record "
                        + "for the saver's background thread and return, with no bound on the queue");
            }
            if (System.nanoTime() >= deadline) {
                throw new Hung("save() did not return within " + CALL_BOUND.toSeconds() + " s while the file could not "
                        + "be written (the grading holds its writes back, as a stalled disk would): save() must only "
                        + "queue the record for the saver's background thread and return, with no bound on the "
                        + "queue. It was " + where(caller));
            }
            caller.join(Duration.ofMillis(1));
        }
        Throwable t = thrown.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
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

    /**
     * The frames of {@code stack} from the top down to the first outside the JDK, on one line; a
     * write held by a {@link HeldFile} is told as {@code a write held back by the grading < Saver.run(Saver.java:42)}.
     */
    static String where(StackTraceElement[] stack) {
        for (int i = 0; i < stack.length; i++) {
            if (stack[i].getClassName().startsWith(HeldFile.class.getName())) {
                StackTraceElement[] below = Arrays.copyOfRange(stack, i + 1, stack.length);
                String caller = Arrays.stream(below)
                        .filter(f -> !isJdk(f))
                        .findFirst()
                        .map(f -> " < "
                                + f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "."
                                + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")")
                        .orElse("");
                return "a write held back by the grading" + caller;
            }
        }
        List<String> shown = new ArrayList<>();
        for (StackTraceElement frame : stack) {
            String type = frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1);
            boolean jdk = isJdk(frame);
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

    private static boolean isJdk(StackTraceElement frame) {
        return frame.getClassName().matches("^(java|javax|jdk|sun|com\\.sun)\\..*");
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

    /**
     * A thread that calls close() once, and remembers how it ended: what it threw, how long it
     * took, and (with a {@link HeldFile}) which threads were still in a write to the file at the
     * moment close() returned, looked at by this thread before it does anything else.
     */
    static final class Closer {
        private final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        /** The saver's class and its superclasses: where its close() may be declared. */
        private final Set<String> saverClasses = new HashSet<>();

        private volatile long tookNanos;
        private volatile List<Thread> inWriteAtReturn = List.of();
        private volatile boolean returnSeen;
        /** The complete lines in the file when close() returned or threw (with a file; else empty). */
        private volatile List<String> linesAtReturn = List.of();
        /** What close() was parked on when an interrupted writer was let go of its write (see {@link #waitTarget}). */
        private final AtomicReference<Object> waitedOnAtLetGo = new AtomicReference<>();
        /** Whether that was done (a thread ended, a latch counted down) when close() returned; null: cannot tell. */
        private volatile Boolean waitDoneAtReturn;

        Closer(AutoSaver saver, String name) {
            this(saver, name, null);
        }

        /**
         * Starts calling close(). With {@code file}, a writer that close() interrupts is held in
         * its write until close() waits (for it, presumably) or has returned: see {@link HeldFile}.
         */
        Closer(AutoSaver saver, String name, HeldFile file) {
            for (Class<?> c = saver.getClass(); c != null; c = c.getSuperclass()) {
                saverClasses.add(c.getName());
            }
            thread = Thread.ofPlatform().name(name).daemon().unstarted(() -> {
                long start = System.nanoTime();
                try {
                    saver.close();
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    tookNanos = System.nanoTime() - start;
                    if (file != null) {
                        linesAtReturn = file.lines();
                        inWriteAtReturn = file.threadsInWrite();
                        Object waitedOn = waitedOnAtLetGo.get();
                        waitDoneAtReturn = waitedOn == null ? null : done(waitedOn);
                    }
                    returnSeen = true;
                }
            });
            if (file != null) {
                file.letInterruptedWritersGoWhen(() -> returnSeen || waitingAndSeenOn());
            }
            thread.start();
        }

        Thread thread() {
            return thread;
        }

        /**
         * From now on, a write {@code file} holds goes through when it comes from close()'s own
         * thread, or while close() waits ({@link #waiting()}): the saver's threads write what they
         * hold only while close() waits for them.
         */
        Closer lettingHeldWritesGoWhileItWaits(HeldFile file) {
            file.letHeldWritesGoWhen(() -> Thread.currentThread() == thread || waiting());
            return this;
        }

        boolean returned() {
            return !thread.isAlive();
        }

        /** How long close() took (once it has returned). */
        Duration took() {
            return Duration.ofNanos(tookNanos);
        }

        /** The complete lines in the file when close() returned or threw. */
        List<String> linesAtReturn() {
            return linesAtReturn;
        }

        /** The threads that were in a write to the held file when close() returned or threw. */
        List<Thread> inWriteAtReturn() {
            return inWriteAtReturn;
        }

        /**
         * Parked (waiting, with or without a bound, or blocked on a monitor) inside the saver's
         * {@code close()}, and not in a write of its own. The state is read first, then the stack:
         * a close() seen parked and still on the stack afterwards had not returned when it was
         * seen parked. (Without the stack, a thread whose close() has returned can be seen BLOCKED
         * as it ends: the JVM takes the Thread object's monitor to wake its joiners, while the
         * grading's bounded join on it holds that monitor. A close() that returns at once would
         * then pass for one that waits.)
         */
        boolean waiting() {
            Thread.State state = thread.getState();
            boolean parked = state == Thread.State.WAITING
                    || state == Thread.State.TIMED_WAITING
                    || state == Thread.State.BLOCKED;
            if (!parked) {
                return false;
            }
            StackTraceElement[] stack = thread.getStackTrace();
            return insideClose(stack) && !writing(stack);
        }

        /**
         * {@link #waiting()}, and if so, remembers what close() waits on (the first time: the wait
         * during which the interrupted writer is let go), read before and after, so the same wait.
         * Seen waiting while what it waits on changed (a park entered, its blocker set a moment
         * later), it counts as not yet waiting: the writer is let go only with the wait known.
         */
        private boolean waitingAndSeenOn() {
            Object before = waitTarget();
            if (!waiting()) {
                return false;
            }
            Object after = waitTarget();
            if (before != after) {
                return false; // seen between two waits, or entering one: look again in a millisecond
            }
            if (before != null) {
                waitedOnAtLetGo.compareAndSet(null, before);
            }
            return true;
        }

        /**
         * What close()'s thread is parked on, where the test can tell whether it is done later: the
         * thread it joins (a platform thread's join waits on the Thread's monitor), or the object it
         * parks on ({@code LockSupport.getBlocker}: a latch's sync, a Future, a virtual thread's
         * termination latch). Null otherwise (a monitor of another kind, not parked).
         */
        private Object waitTarget() {
            Object blocker = java.util.concurrent.locks.LockSupport.getBlocker(thread);
            if (blocker != null) {
                return blocker;
            }
            ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(thread.threadId());
            java.lang.management.LockInfo lock = info == null ? null : info.getLockInfo();
            if (lock == null) {
                return null;
            }
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (System.identityHashCode(t) == lock.getIdentityHashCode()
                        && t.getClass().getName().equals(lock.getClassName())) {
                    return t;
                }
            }
            return null;
        }

        /**
         * Whether what close() waited on was done: a thread ended, a latch counted down, a Future
         * done. Null when the test cannot tell (a condition, a lock: close() gets the benefit of the
         * doubt). A latch's count never goes up, so a count above 0 when close() returned means its
         * wait ended by its timeout, not because anything it waited for happened.
         */
        private static Boolean done(Object waitedOn) {
            if (waitedOn instanceof Thread t) {
                return !t.isAlive();
            }
            if (waitedOn instanceof java.util.concurrent.Future<?> f) {
                return f.isDone();
            }
            if (waitedOn instanceof java.util.concurrent.locks.AbstractQueuedSynchronizer sync
                    && sync.getClass().getName().equals("java.util.concurrent.CountDownLatch$Sync")) {
                return sync.toString().contains("[State = 0,"); // AQS's toString gives its state: the count
            }
            return null;
        }

        /** What close() waited on when the interrupted writer was let go, as the learner would name it. */
        String waitedOnAtLetGo() {
            Object waitedOn = waitedOnAtLetGo.get();
            if (waitedOn instanceof Thread t) {
                return "thread \"" + t.getName() + "\" (a join), which was still running";
            }
            if (waitedOn instanceof java.util.concurrent.Future<?>) {
                return "a Future that was still not done";
            }
            return "a CountDownLatch that was still not counted down";
        }

        /**
         * @return true if close(), while an interrupted writer was let go of its write, waited on
         *         something (a thread, a latch, a Future) that was still not done when it returned:
         *         its wait ended by its own timeout, not when the writer ended
         */
        boolean waitedOnSomethingElseThanTheWriter() {
            return Boolean.FALSE.equals(waitDoneAtReturn);
        }

        private boolean insideClose(StackTraceElement[] stack) {
            return Arrays.stream(stack)
                    .anyMatch(f -> saverClasses.contains(f.getClassName())
                            && f.getMethodName().equals("close"));
        }

        private static boolean writing(StackTraceElement[] stack) {
            return Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith(HeldFile.class.getName()));
        }

        Throwable failure() {
            return failure.get();
        }

        /** Waits for close() to return once the writer can write again. */
        void awaitReturn(String which) throws InterruptedException {
            if (!thread.join(CALL_BOUND)) {
                throw new Hung(which + " did not return within " + CALL_BOUND.toSeconds()
                        + " s after the file could be written again: " + where(thread));
            }
        }
    }

    /**
     * Closes {@code saver} once {@code file} holds every write back, letting the saver's threads
     * write only while close() waits (or from close()'s own thread), and returns the complete lines
     * in the file when close() returned. So a record still unwritten when close() is called reaches
     * the file before close() returns only if close() waited for it, in every run; a close() that
     * returns without waiting is caught with that record missing. Then lets every write through.
     *
     * @throws Hung if close() does not return within {@link #CALL_BOUND}
     */
    static List<String> closeHeldAndRead(AutoSaver saver, HeldFile file) throws Exception {
        Closer closer = new Closer(saver, "grading: close()", file).lettingHeldWritesGoWhileItWaits(file);
        try {
            if (!closer.thread().join(CALL_BOUND)) {
                throw new Hung("close() did not return within " + CALL_BOUND.toSeconds() + " s, though the file could"
                        + " be written: close() must make the writer finish (queue an end marker, or shutdown() the"
                        + " executor) and wait for it a bounded time (join(Duration), awaitTermination, Future.get"
                        + " with a timeout). It was " + where(closer.thread()));
            }
        } finally {
            file.release();
        }
        Throwable failure = closer.failure();
        if (failure instanceof NotImplementedYet stub) {
            throw stub;
        }
        if (failure != null) {
            throw new AssertionError(
                    "close() threw " + failure + " at " + where(failure.getStackTrace()) + ", though the file could"
                            + " be written: when every record can be written, close() must write them all, flush, and"
                            + " return normally",
                    failure);
        }
        return closer.linesAtReturn();
    }

    /**
     * Once the writer is stuck in a write (the saves before filled any buffer a writer keeps;
     * a writer that keeps every record until close() is given {@link #CALL_BOUND} to show it),
     * calls close() while {@code file} holds every write back, and waits for it to give up: at
     * most twice {@code bound} (its wait, and its wait for the interrupted writer), and
     * {@link #CALL_BOUND} more. A close() that writes the file itself, or waits without a bound
     * (parked without one for {@link #UNBOUNDED_SEEN}; such a wait only ends when the writer does,
     * and the writer is stuck), is told so at once.
     *
     * @return the closer, returned
     */
    static Closer closeWhileStuck(AutoSaver saver, HeldFile file, Duration bound) throws InterruptedException {
        // The writer is in its held write before close() can interrupt it, in every run: what
        // close() does to a stuck writer is then what the rule sees, never a writer caught on its
        // way to the write.
        file.awaitAThreadInWrite(CALL_BOUND);
        Closer closer = new Closer(saver, "grading: close()", file);
        Duration allowed = bound.multipliedBy(2).plus(CALL_BOUND);
        long deadline = System.nanoTime() + allowed.toNanos();
        long parkedSince = 0;
        while (!closer.returned()) {
            if (file.wroteFrom(closer.thread())) {
                throw new AssertionError("close() writes the file itself: with the file stuck (the grading holds its "
                        + "writes back), the thread that called close() was caught writing it (in "
                        + where(closer.thread().getStackTrace())
                        + "), so it cannot give up when its bound passes. Let the writer thread do all the writing "
                        + "(flushing and closing the file too), and have close() only wait for it, at most its bound");
            }
            Thread.State state = closer.thread().getState();
            if (state == Thread.State.WAITING || state == Thread.State.BLOCKED) {
                parkedSince = parkedSince == 0 ? System.nanoTime() : parkedSince;
                if (System.nanoTime() - parkedSince >= UNBOUNDED_SEEN.toNanos() && closer.waiting()) {
                    throw new AssertionError("close() waits for the writer without a bound: with the writer stuck in "
                            + "write() (the grading holds the file's writes back), the thread in close() stayed "
                            + where(closer.thread()) + ". Wait at most the bound given to start() (join(Duration), "
                            + "awaitTermination, Future.get with a timeout), and if it passes throw "
                            + "IllegalStateException saying how many records were lost");
                }
            } else {
                parkedSince = 0;
            }
            if (System.nanoTime() >= deadline) {
                throw new Hung("close() did not give up within " + allowed.toMillis() / 1000.0
                        + " s, though the bound given to start() was " + bound.toMillis() + " ms and the grading held "
                        + "every write back: close() must wait at most that bound (then interrupt the writer, wait for "
                        + "it at most the bound again, and throw). It was " + where(closer.thread()));
            }
            closer.thread().join(Duration.ofMillis(2)); // a bounded wait, over at once if close() returns
        }
        return closer;
    }

    /** @return whether {@code message} names {@code count} as a number of its own ("1009", or "1,009") */
    static boolean mentions(String message, int count) {
        String digits = Integer.toString(count);
        StringBuilder number = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                number.append("[,.\\u00a0\\u202f' ]?"); // a thousands separator, in any locale
            }
            number.append(digits.charAt(i));
        }
        return message != null
                && Pattern.compile("(?<![\\d.,])" + number + "(?!\\d|[.,]\\d)")
                        .matcher(message)
                        .find();
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

    /** The threads started since {@code before}, not the grading's own nor the JVM's, that are alive now. */
    static List<Thread> threadsSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t)
                        && !ThreadDumps.isInfrastructure(t)
                        && !t.getName().startsWith("grading: "))
                .toList();
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

    // ---- a save racing close(), forced ({@link Steps}) ----

    /** The record the racing save() saves. */
    static final String RACED = "saved while close() ran";

    /**
     * Pauses a save() before each of its steps in turn (in a fresh saver of {@code saverClass},
     * loaded again by {@link Steps}), runs close() to its end meanwhile (or until it cannot go on
     * without the paused save: it waits for a lock the save holds), then lets the save go on. Where
     * close() ran to its end while the save was paused, the rest is one thread's, and its outcome
     * the same in every run: a record that save() accepted must then be in the file, and one it
     * refused must not. (Where close() could not run to its end, the save holds a lock close()
     * needs, so no record slips between them at that step; the two then finish in whatever order
     * the machine picks, and that step is not judged, so that the verdict, and the step it names,
     * never depend on the machine.)
     *
     * @throws AssertionError naming the step where a record was lost (or written though refused)
     */
    static void assertNoRecordLostToARacingSave(Class<?> saverClass, Path dir) throws Exception {
        Class<?> stepped = SteppedClasses.reloaded(saverClass, Steps.class);
        for (int step = 1; step <= MAX_STEPS; step++) {
            AutoSaver saver = (AutoSaver) stepped.getDeclaredConstructor().newInstance();
            Path file = dir.resolve("race-" + step + ".txt");
            Set<Thread> before = liveThreads();
            start(saver, file);
            saveAll(saver, List.of("saved before the race"));
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> accepted = new AtomicReference<>(false);
            Thread saving = Thread.ofPlatform()
                    .name("grading: save() racing close()")
                    .daemon()
                    .unstarted(() -> {
                        try {
                            saver.save(RACED);
                            accepted.set(true);
                        } catch (Throwable t) {
                            thrown.set(t);
                        }
                    });
            Steps.pause(saving, step);
            String pausedAt;
            boolean forced;
            try {
                saving.start();
                if (!within(CALL_BOUND, saving, () -> Steps.paused() || !saving.isAlive())) {
                    throw new Hung("save() did not return within " + CALL_BOUND.toSeconds() + " s: " + where(saving));
                }
                if (!Steps.paused()) { // save() ended before this step: every step has been raced
                    Steps.letGo();
                    close(saver);
                    return;
                }
                pausedAt = pausedAt(saving, stepped);
                Closer closer = new Closer(saver, "grading: close() while save() is paused");
                // close() runs to its end, or until it cannot go on without the paused save()
                within(CALL_BOUND, closer.thread(), () -> closer.returned() || blockedBy(saving, closer, before));
                forced = closer.returned();
                Steps.letGo();
                if (!saving.join(CALL_BOUND)) {
                    throw new Hung("save(), let go after close() ran, did not return within " + CALL_BOUND.toSeconds()
                            + " s: " + where(saving));
                }
                closer.awaitReturn("close(), called while a save() was paused,");
                if (forced && closer.failure() != null) {
                    throw new AssertionError(
                            "close() threw " + closer.failure() + " while a save() raced it (paused " + pausedAt
                                    + "), though the file could be written: close() must write every accepted record"
                                    + " and return normally",
                            closer.failure());
                }
            } finally {
                Steps.letGo();
            }
            if (!forced) {
                continue;
            }
            boolean written = LogFiles.completeLines(file).contains(RACED);
            Throwable refusal = thrown.get();
            if (accepted.get() && !written) {
                throw new AssertionError("a record was lost: a save() was paused " + pausedAt + " (its step " + step
                        + "), close() ran to its end meanwhile, then the save() went on and returned normally, so the"
                        + " record was accepted, but it never reached the file: close() had already queued its last"
                        + " task. save() must check that the saver is open and queue the record in one step as far as"
                        + " close() can tell: do both while holding the lock that close() takes to stop accepting"
                        + " records (one synchronized block, from the check to the queueing)");
            }
            if (refusal != null && !(refusal instanceof IllegalStateException)) {
                throw new AssertionError(
                        "save() threw " + refusal + " when close() ran while it was paused " + pausedAt + ": a record"
                                + " that can no longer be saved is refused with IllegalStateException",
                        refusal);
            }
            if (refusal != null && written) {
                throw new AssertionError(
                        "save() refused a record (" + refusal + ") when close() ran while it was paused " + pausedAt
                                + ", but the record reached the file anyway: a refused record is never written");
            }
        }
    }

    /** Where the paused thread is in the re-loaded saver: {@code at Saver.save(Saver.java:42)}. */
    static String pausedAt(Thread paused, Class<?> stepped) {
        ClassLoader loader = stepped.getClassLoader();
        for (StackTraceElement frame : paused.getStackTrace()) {
            if (Objects.equals(frame.getClassLoaderName(), loader.getName())) {
                String type =
                        frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1);
                return "at " + type + "." + frame.getMethodName() + "(" + frame.getFileName() + ":"
                        + frame.getLineNumber() + ")";
            }
        }
        return "inside save()";
    }

    /**
     * Whether close() cannot go on without the paused save(): it waits for a lock the save holds,
     * or it is parked while a thread of the saver does.
     */
    private static boolean blockedBy(Thread paused, Closer closer, Set<Thread> before) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ThreadInfo closing = threads.getThreadInfo(closer.thread().threadId());
        if (closing == null) {
            return false; // it has ended
        }
        if (closing.getLockOwnerId() == paused.threadId()) {
            return true;
        }
        if (closing.getThreadState() == Thread.State.RUNNABLE) {
            return false;
        }
        for (Thread t : threadsSince(before)) {
            ThreadInfo info = threads.getThreadInfo(t.threadId());
            if (info != null && info.getLockOwnerId() == paused.threadId()) {
                return true;
            }
        }
        return false;
    }

    // ---- a saver with nothing to write ----

    /**
     * Watches the saver's threads (platform threads started since {@code before}, and every
     * thread that wrote {@code file}) while it has nothing to write, until each has been seen
     * waiting (or ended) once: then it returns. A thread that uses {@link #SPIN_CPU} of processor
     * time before it is ever seen waiting, or that is not seen waiting within {@link #CALL_BOUND}
     * (a virtual thread, whose processor time the JVM does not tell), spins.
     *
     * @throws AssertionError naming the spinning thread and where it spins
     */
    static void assertEveryThreadWaits(Set<Thread> before, HeldFile file) throws InterruptedException {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        boolean measured = cpu.isThreadCpuTimeSupported() && cpu.isThreadCpuTimeEnabled();
        Map<Thread, Long> cpuAtFirstSight = new IdentityHashMap<>();
        Set<Thread> seenWaiting = Collections.newSetFromMap(new IdentityHashMap<>());
        long start = System.nanoTime();
        long deadline = start + CALL_BOUND.toNanos();
        while (true) {
            List<Thread> saverThreads = Stream.concat(threadsSince(before).stream(), file.writers().stream())
                    .distinct()
                    .toList();
            Thread unseen = null;
            for (Thread t : saverThreads) {
                if (seenWaiting.contains(t)) {
                    continue;
                }
                Thread.State state = t.getState();
                if (state == Thread.State.WAITING
                        || state == Thread.State.TIMED_WAITING
                        || state == Thread.State.TERMINATED) {
                    seenWaiting.add(t);
                    continue;
                }
                unseen = unseen == null ? t : unseen;
                long used = measured && !t.isVirtual() ? cpu.getThreadCpuTime(t.threadId()) : -1;
                if (used >= 0) {
                    long first = cpuAtFirstSight.computeIfAbsent(t, k -> used);
                    if (used - first >= SPIN_CPU.toNanos()) {
                        throw spins(
                                t,
                                String.format(
                                        "used %d ms of processor time in %d ms without once waiting",
                                        (used - first) / 1_000_000, (System.nanoTime() - start) / 1_000_000));
                    }
                }
            }
            if (unseen == null) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw spins(unseen, "was not once seen waiting in " + CALL_BOUND.toSeconds() + " s");
            }
            unseen.join(Duration.ofMillis(1)); // a bounded wait, over at once if that thread ends
        }
    }

    private static AssertionError spins(Thread t, String what) {
        return new AssertionError("the saver's thread \"" + t.getName() + "\" spins: with nothing to write, it " + what
                + " (it was " + where(t) + "). A thread waiting for records must block until one comes: "
                + "BlockingQueue.take(), poll with a timeout, or a condition's await; never a loop on poll() or "
                + "isEmpty(), which burns a processor core for as long as the program runs");
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
        mkfifo(fifo);
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

    /** Makes a named pipe at {@code path}. */
    static void mkfifo(Path path) throws IOException, InterruptedException {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString())
                .redirectErrorStream(true)
                .start();
        String said = new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (mkfifo.waitFor() != 0) {
            throw new IOException("mkfifo " + path + " failed (the grading needs a POSIX system): " + said);
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
