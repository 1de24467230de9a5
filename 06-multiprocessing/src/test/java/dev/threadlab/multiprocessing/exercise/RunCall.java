package dev.threadlab.multiprocessing.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.SolutionHung;
import dev.threadlab.common.testsupport.ThreadDumps;
import dev.threadlab.multiprocessing.pool.Launcher;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Calls {@code run} of a {@link RunAWorker} on a thread of its own ("run-caller"), and watches it
 * until it returns: a hang its launcher sees in the making (a wait that can never end) is told at
 * once, and a run that does not return within its limit is a hang too, told with where it was,
 * instead of holding the test until its timeout. Either way the spec's later rules are skipped. On request it interrupts the run once it
 * waits, after it has started its child.
 */
final class RunCall {

    /** How long one call may take on a scripted child, whatever it does (a correct run needs well under a second). */
    static final Duration SCRIPTED_LIMIT = Duration.ofSeconds(10);

    /** The CPU a run may use after starting its child, running without waiting, before an interrupt asked for comes anyway. */
    static final Duration POLLING_CPU = Duration.ofMillis(200);

    private RunCall() {}

    /** @return the CPU time {@code thread} has used, in ns, or -1 if unknown */
    private static long cpuTime(Thread thread) {
        try {
            java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            return mx.isThreadCpuTimeSupported() ? mx.getThreadCpuTime(thread.threadId()) : -1;
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }

    /** A launcher the harness can watch and clean up after. */
    interface Watched extends Launcher {
        /** Called with the thread that will call run, before it starts. */
        void callerIs(Thread runThread);

        /** Called on the run's thread as run returns or throws, before anything else can happen. */
        void runEnded();

        /** @return true once the run has started a child */
        boolean started();

        /** @return a hang seen in the making while run runs (it waits on something that can never end), or null */
        String violation();

        /** Ends every child at once: whatever the run waits on in them returns. */
        void stop();

        /**
         * Told, between the harness's looks at the run, what the run's thread is doing (its state
         * and stack, from one look); null once it has ended.
         */
        default void sample(ThreadInfo caller) {}

        /**
         * Called once run has returned or thrown, before anything else lets the run's other threads
         * go on: which of them are still at work, then lets them go.
         *
         * @param started the threads started while run ran (besides its own), still alive
         * @return the threads the run left at work, as a phrase ({@code thread "child-reader", still
         *         reading the child's stdout}), or null if none
         */
        default String leftAtWork(List<Thread> started) throws InterruptedException {
            return null;
        }
    }

    /**
     * What one call did: its answer or what it threw, whether the harness interrupted it, and the
     * threads it left at work when it ended (null: none).
     */
    record Outcome(String answer, Throwable thrown, boolean interrupted, String leftAtWork) {
        /** @return "returned \"49\"" or "threw TaskFailedException (its message)" */
        String how() {
            if (thrown == null) {
                return "returned " + quoted(answer);
            }
            String message = thrown.getMessage();
            return "threw " + thrown.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
        }
    }

    /** @return the text in quotes with its line ends shown, or null */
    static String quoted(String text) {
        return text == null ? "null" : "\"" + text.replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }

    /**
     * Calls {@code solution.run(launcher, timeout, grace)} and waits for it.
     *
     * @param interrupt whether to interrupt the run once it waits (WAITING or TIMED_WAITING) after starting a child,
     *                  or has used {@link #POLLING_CPU} running since (it polls)
     * @param limit     the longest the call may take
     * @return what run returned or threw; an untouched stub's {@link NotImplementedYet} is rethrown
     * @throws SolutionHung if run did not return within {@code limit}, or the launcher saw it wait on
     *                      something that can never end
     */
    static Outcome call(
            RunAWorker solution, Watched launcher, Duration timeout, Duration grace, boolean interrupt, Duration limit)
            throws InterruptedException {
        AtomicReference<String> answer = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().name("run-caller").daemon(true).unstarted(() -> {
            try {
                answer.set(solution.run(launcher, timeout, grace));
            } catch (Throwable t) {
                thrown.set(t);
            } finally {
                launcher.runEnded();
            }
        });
        launcher.callerIs(caller);
        Set<Thread> before = liveThreads();
        long start = System.nanoTime();
        boolean interrupted = false;
        long cpuSinceTheChildStarted = -1;
        caller.start();
        while (!caller.join(Duration.ofMillis(2))) {
            launcher.sample(look(caller));
            String broken = launcher.violation();
            if (broken != null) {
                release(caller, launcher);
                throw new Hung(broken); // it would never end: the rules after it would hang the same way
            }
            if (interrupt && !interrupted && launcher.started()) {
                Thread.State state = caller.getState();
                if (cpuSinceTheChildStarted < 0) {
                    cpuSinceTheChildStarted = cpuTime(caller);
                }
                // A run that polls instead of waiting is interrupted too, once it has used POLLING_CPU since its
                // child started (it may look at the flag between two polls): by the CPU it used, not the time.
                boolean polls = state == Thread.State.RUNNABLE
                        && cpuSinceTheChildStarted >= 0
                        && cpuTime(caller) - cpuSinceTheChildStarted >= POLLING_CPU.toNanos();
                if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || polls) {
                    caller.interrupt();
                    interrupted = true;
                }
            }
            if (System.nanoTime() - start >= limit.toNanos()) {
                String where = ThreadDumps.describe(caller);
                release(caller, launcher);
                throw new Hung("run(launcher, " + shown(timeout) + ", " + shown(grace) + ") did not return within "
                        + limit.toSeconds() + " s" + (interrupted ? ", although it was interrupted" : "")
                        + ": it waits for something that will never come, or spins. Wait for the child at most the"
                        + " timeout, end it if need be, then return or throw. Where run was: " + where);
            }
        }
        List<Thread> started = liveThreads().stream()
                .filter(thread -> !before.contains(thread) && thread != caller)
                .toList();
        String leftAtWork = launcher.leftAtWork(started);
        if (thrown.get() instanceof NotImplementedYet stub) {
            throw stub;
        }
        String broken = launcher.violation();
        if (broken != null) {
            throw new Hung(broken);
        }
        return new Outcome(answer.get(), thrown.get(), interrupted, leftAtWork);
    }

    /** @return the platform threads alive now (virtual threads are not listed) */
    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .collect(Collectors.toSet());
    }

    /** @return one consistent look at {@code thread}: its state and its stack, or null if it has ended */
    private static ThreadInfo look(Thread thread) {
        return ManagementFactory.getThreadMXBean().getThreadInfo(thread.threadId(), Integer.MAX_VALUE);
    }

    /** A run that did not return: the spec's later rules are skipped (common's {@code SolutionResolver}). */
    static final class Hung extends SolutionHung {
        private static final long serialVersionUID = 1L;

        Hung(String message) {
            super(message);
        }
    }

    /** Ends the children, so the run's waits return, then gives the run's thread a moment to end. */
    private static void release(Thread caller, Watched launcher) throws InterruptedException {
        launcher.stop();
        if (!caller.join(Duration.ofSeconds(2))) {
            caller.interrupt(); // a daemon: if it ignores this too, it cannot keep the JVM alive
            caller.join(Duration.ofSeconds(1));
        }
    }

    /** A duration as the messages show it: "50 ms", "1 h", "30 s", and to the nanosecond: "50.000001 ms". */
    static String shown(Duration d) {
        if (d.toNanosPart() % 1_000_000 != 0) {
            return new java.math.BigDecimal(d.toNanos()).movePointLeft(6).toPlainString() + " ms";
        }
        if (d.toHours() > 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0) {
            return d.toHours() + " h";
        }
        if (d.toSeconds() > 0 && d.toMillisPart() == 0) {
            return d.toSeconds() + " s";
        }
        return d.toMillis() + " ms";
    }
}
