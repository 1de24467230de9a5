package dev.threadlab.multiprocessing.exercise;

import static dev.threadlab.multiprocessing.exercise.RunCall.quoted;

import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.multiprocessing.exercise.RunCall.Outcome;
import dev.threadlab.multiprocessing.exercise.ScriptedChild.Kind;
import dev.threadlab.multiprocessing.pool.Rendezvous;
import dev.threadlab.multiprocessing.pool.TaskFailedException;
import dev.threadlab.multiprocessing.pool.TaskFailedException.Reason;
import dev.threadlab.multiprocessing.solution.ReferenceRunAWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The graded specification of {@link RunAWorker}: run one worker process, from start to end. The
 * first rules run on {@link ScriptedChild}ren, {@code Process}es whose end the test decides: one
 * that answers, one that fails, one that never ends until asked, one that ignores being asked. A
 * signal only starts a scripted child's exit, which is complete once the run next waits for it or
 * looks; so a run that returns without waiting leaves it running on every run, and a wait with no
 * limit (or a read) on a child that never ends is seen the moment it starts. The last rule runs
 * real worker JVMs. Each call runs on a thread of its own ({@link RunCall}), so a run that hangs
 * is told so in seconds. The rules run in the order {@link RunAWorker} lists them.
 */
@GradedExercise(
        value = "06.1 run a worker process",
        learner = YourRunAWorker.class,
        reference = ReferenceRunAWorker.class)
@Timeout(20) // a correct run needs well under a second per rule on scripted children
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunAWorkerSpec {

    /**
     * The timeout (or grace) a scripted child runs past: a timeout is really waited, so short. Its
     * last nanosecond is past the millisecond: waits asked for in a coarser unit (toMillis(),
     * toSeconds(), rounded) come to less, and the child counts what they ask for.
     */
    private static final Duration SHORT = Duration.ofMillis(50).plusNanos(1);

    /** A timeout that is not a whole number of seconds, which {@link Kind#ANSWERS_IN_TIME} answers within. */
    private static final Duration NOT_WHOLE_SECONDS = Duration.ofMillis(1900);

    /** A timeout (or grace) no correct run waits out: the child ends first, or the test interrupts. */
    private static final Duration HOUR = Duration.ofHours(1);

    /** How long the rule on real JVMs may take, all three runs together (JVMs start slowly on a loaded machine). */
    private static final Duration REAL_JVMS_LIMIT = Duration.ofSeconds(70);

    private final List<AutoCloseable> launchers = new ArrayList<>();

    @BeforeEach
    void numberTheChildrenAfresh() {
        ScriptedChild.numberPidsAfresh(); // a message naming a pid is the same in every grading
    }

    @AfterEach
    void nothingOutlivesTheRule() throws Exception {
        for (AutoCloseable launcher : launchers) {
            launcher.close(); // ends every child: a thread of the run blocked on one ends too
        }
    }

    private ScriptedLauncher scripted(Kind kind) {
        ScriptedLauncher launcher = new ScriptedLauncher(kind);
        launchers.add(launcher);
        return launcher;
    }

    private static Outcome run(
            RunAWorker solution, ScriptedLauncher launcher, Duration timeout, Duration grace, boolean interrupt)
            throws InterruptedException {
        // A run the test does not interrupt: its timed waits on a child that will not end within them
        // run out at once, and its clock (System.nanoTime()) moves on by what they ask (RunClock).
        launcher.timedWaitsRunOut(!interrupt);
        Outcome outcome =
                RunCall.call(RunClock.reloaded(solution), launcher, timeout, grace, interrupt, RunCall.SCRIPTED_LIMIT);
        check(
                launcher.starts() > 0,
                "run " + outcome.how() + " without starting the child: start it with launcher.start()");
        check(
                launcher.starts() == 1,
                "run started " + launcher.starts() + " children (launcher.start() called " + launcher.starts()
                        + " times): start the child once, and wait for that one");
        return outcome;
    }

    private static void check(boolean holds, String brokenRule) {
        if (!holds) {
            throw new AssertionError(brokenRule);
        }
    }

    /**
     * Fails if the child was still running when run ended, or a thread run started was still at
     * work (a reader of the child's output that run neither joined nor waited for: the scripted
     * child lets it see the end of the output only once run waits for something else than the
     * child, or has ended), saying what run did not do.
     *
     * @param situation what the child did, e.g. "For a child past its 50.000001 ms timeout"
     */
    private static void checkExited(ScriptedLauncher launcher, Outcome outcome, String situation) {
        String why = launcher.stillRunningAtRunEnd();
        if (why != null) {
            throw new AssertionError(situation + ", run " + outcome.how() + " with " + why, outcome.thrown());
        }
        String left = outcome.leftAtWork();
        if (left != null) {
            throw new AssertionError(
                    situation + ", run " + outcome.how() + " and left running " + left + ". Every thread run"
                            + " starts must have ended when run returns or throws, on every way out (past the"
                            + " timeout and on an interrupt too): once the child has exited, its output ends, so"
                            + " join the reader (reader.join()), or close the executor that runs it, before run"
                            + " returns or throws",
                    outcome.thrown());
        }
    }

    /**
     * {@link #checkExited}, then {@link #checkTimedOut} for a scripted child still running after the
     * {@link #SHORT} timeout ({@code detail}: what else it did, or "").
     */
    private static void checkExitedThenTimedOut(
            ScriptedLauncher launcher, Outcome outcome, Duration grace, String situation, String detail) {
        checkExited(launcher, outcome, situation);
        checkWaitedTheWholeTimeout(launcher, outcome, situation);
        checkWaitedTheWholeGrace(launcher, outcome, grace, situation);
        checkTimedOut(
                outcome,
                launcher.child().pid(),
                "the child was still running after the " + RunCall.shown(SHORT) + " timeout" + detail);
    }

    /**
     * Fails if run ended the scripted child before its {@link #SHORT} timeout ran out: its own timed
     * waits on the child, counted (not measured), asked for less than the timeout before it signalled
     * the child (a timeout cut short: 50.000001 ms waited as 50 ms, or 0 s).
     */
    private static void checkWaitedTheWholeTimeout(ScriptedLauncher launcher, Outcome outcome, String situation) {
        String why = launcher.child().endedBeforeItsTimeout(SHORT);
        if (why != null) {
            throw new AssertionError(situation + ", run " + outcome.how() + ": " + why, outcome.thrown());
        }
    }

    /**
     * Fails if run killed the scripted child ({@code destroyForcibly()}, on any thread) after
     * {@code destroy()} before it had waited the whole {@code grace} for it: its own timed waits on
     * the child since {@code destroy()}, counted (not measured), asked for less, and none threw
     * InterruptedException.
     */
    private static void checkWaitedTheWholeGrace(
            ScriptedLauncher launcher, Outcome outcome, Duration grace, String situation) {
        String why = launcher.child().killedBeforeItsGrace(grace);
        if (why != null) {
            throw new AssertionError(situation + ", run " + outcome.how() + ": " + why, outcome.thrown());
        }
    }

    /** Fails unless run threw a TaskFailedException with reason TIMED_OUT and the child's pid ({@code what}: why). */
    private static void checkTimedOut(Outcome outcome, long pid, String what) {
        checkFailure(
                outcome,
                Reason.TIMED_OUT,
                pid,
                what,
                "end it, then throw new TaskFailedException(Reason.TIMED_OUT, a message, child.pid(), -1, null)");
    }

    /** @return what run threw, if it is a TaskFailedException with this reason and the child's pid; else fails */
    private static TaskFailedException checkFailure(
            Outcome outcome, Reason reason, long pid, String what, String construct) {
        check(
                outcome.thrown() != null,
                "run returned " + quoted(outcome.answer()) + " although " + what + ": " + construct);
        if (!(outcome.thrown() instanceof TaskFailedException failure)) {
            throw new AssertionError(
                    "run threw " + outcome.thrown() + "; " + what + ": " + construct, outcome.thrown());
        }
        check(
                failure.reason() == reason,
                "run threw a TaskFailedException with reason " + failure.reason() + "; " + what + ", and the reason"
                        + " for that is " + reason + ": " + construct);
        check(
                failure.workerPid() == pid,
                "the TaskFailedException's workerPid() is " + failure.workerPid() + ", but the child's pid is " + pid
                        + ": pass child.pid(), so that whoever reads it knows which process it was");
        return failure;
    }

    @Test
    @Order(1)
    @DisplayName("1. A child that exits with 0 has its answer returned")
    void aChildThatExitsWithZeroHasItsAnswerReturned(@Solution RunAWorker solution) throws Exception {
        ScriptedLauncher launcher = scripted(Kind.ANSWERS);
        Outcome outcome = run(solution, launcher, HOUR, HOUR, false);

        if (outcome.thrown() instanceof IllegalThreadStateException early) {
            throw new AssertionError(
                    "run threw " + early + ": exitValue() throws while the child has not exited yet, and a child"
                            + " that has closed its output exits a moment later. Wait for it first"
                            + " (waitFor(timeout)), then ask its exit code",
                    early);
        }
        check(
                outcome.thrown() == null,
                "run threw " + outcome.thrown() + " for a child that wrote " + quoted(ScriptedChild.ANSWER)
                        + " on its stdout and exited with exit code 0: return that answer");
        checkExited(launcher, outcome, "For a child that wrote \"49\" on its stdout and exits with exit code 0");
        String answer = outcome.answer();
        check(
                answer != null && answer.strip().equals("49"),
                "run returned " + quoted(answer) + ", but the child wrote " + quoted(ScriptedChild.ANSWER)
                        + " on its stdout (getInputStream()): return all it wrote, as UTF-8 text, stripped");
        check(
                answer.equals("49"),
                "run returned " + quoted(answer) + ": strip the line end (String.strip()), and return \"49\"");

        ScriptedLauncher inTime = scripted(Kind.ANSWERS_IN_TIME);
        Outcome late = run(solution, inTime, NOT_WHOLE_SECONDS, HOUR, false);
        String situation =
                "For a child that writes \"49\" and exits with 0 " + RunCall.shown(ScriptedChild.ANSWERS_AFTER)
                        + " into its " + RunCall.shown(NOT_WHOLE_SECONDS) + " timeout";
        if (late.thrown() != null) {
            throw new AssertionError(
                    situation + ", run " + late.how() + ": " + inTime.child().howItWaited(NOT_WHOLE_SECONDS),
                    late.thrown());
        }
        checkExited(inTime, late, situation);
        check(
                "49".equals(late.answer()),
                situation + ", run returned " + quoted(late.answer()) + ": return \"49\", all it wrote, stripped");
    }

    @Test
    @Order(2)
    @DisplayName("2. A non-zero exit code is a failure")
    void aChildThatExitsWithANonZeroCodeHasFailedAndRunSaysItsExitCode(@Solution RunAWorker solution) throws Exception {
        ScriptedLauncher launcher = scripted(Kind.FAILS);
        Outcome outcome = run(solution, launcher, HOUR, HOUR, false);

        String construct = "throw new TaskFailedException(Reason.WORKER_DIED, a message naming \"exit code "
                + ScriptedChild.FAILURE_CODE + "\", child.pid(), -1, null)";
        String what = "the child exited with exit code " + ScriptedChild.FAILURE_CODE
                + " (a non-zero exit code: it failed; what it wrote is no answer)";
        TaskFailedException failure =
                checkFailure(outcome, Reason.WORKER_DIED, launcher.child().pid(), what, construct);
        String message = String.valueOf(failure.getMessage());
        check(
                message.contains("exit code " + ScriptedChild.FAILURE_CODE),
                "the TaskFailedException's message " + quoted(message) + " does not name the exit code: say \"exit"
                        + " code " + ScriptedChild.FAILURE_CODE
                        + "\", so that whoever reads it learns how the child ended");
        checkExited(launcher, outcome, "For a child that exits with exit code " + ScriptedChild.FAILURE_CODE);
    }

    @Test
    @Order(3)
    @DisplayName("3. A child past its timeout is asked to end")
    void aChildPastItsTimeoutIsAskedToEndThenWaitedFor(@Solution RunAWorker solution) throws Exception {
        ScriptedLauncher launcher = scripted(Kind.ENDS_WHEN_ASKED);
        Outcome outcome = run(solution, launcher, SHORT, HOUR, false);

        checkExited(launcher, outcome, "For a child past its " + RunCall.shown(SHORT) + " timeout");
        List<String> signals = launcher.child().signals();
        check(
                signals.isEmpty() || signals.get(0).equals("destroy()"),
                "run killed the child with destroyForcibly() without asking it first: destroy() (SIGTERM) lets it"
                        + " clean up (its shutdown hooks run), and this child would have ended at once. Call destroy(),"
                        + " wait up to grace, and destroyForcibly() only a child still running then");
        checkWaitedTheWholeTimeout(launcher, outcome, "For a child past its " + RunCall.shown(SHORT) + " timeout");
        checkWaitedTheWholeGrace(
                launcher,
                outcome,
                HOUR,
                "For a child past its " + RunCall.shown(SHORT) + " timeout, with a grace of " + RunCall.shown(HOUR));
        checkTimedOut(
                outcome,
                launcher.child().pid(),
                "the child was still running after the " + RunCall.shown(SHORT) + " timeout");

        ScriptedLauncher closed = scripted(Kind.CLOSES_OUTPUT_AND_STAYS);
        Outcome stays = run(solution, closed, SHORT, HOUR, false);
        String situation = "For a child that wrote \"49\" and closed its stdout, but was still running past its "
                + RunCall.shown(SHORT) + " timeout";
        check(
                stays.thrown() != null,
                situation + ", run returned " + quoted(stays.answer()) + ": the end of its output is not its exit."
                        + " Wait for the child itself (waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)); one still"
                        + " running then is past its timeout: end it, and throw TIMED_OUT");
        if (stays.thrown() instanceof IllegalThreadStateException early) {
            throw new AssertionError(
                    situation + ", run threw " + early + ": exitValue() throws while the child runs. When"
                            + " waitFor(timeout) returns false, the child is past its timeout: end it, and throw"
                            + " TIMED_OUT",
                    early);
        }
        checkExitedThenTimedOut(closed, stays, HOUR, situation, " (it had closed its stdout, but not exited)");
    }

    @Test
    @Order(4)
    @DisplayName("4. A child that ignores destroy() is killed")
    void aChildThatIgnoresDestroyIsKilledAfterTheGraceThenWaitedFor(@Solution RunAWorker solution) throws Exception {
        ScriptedLauncher launcher = scripted(Kind.IGNORES_DESTROY);
        Outcome outcome = run(solution, launcher, SHORT, SHORT, false);

        checkExitedThenTimedOut(
                launcher,
                outcome,
                SHORT,
                "For a child past its " + RunCall.shown(SHORT) + " timeout, with a grace of " + RunCall.shown(SHORT),
                "");
    }

    @Test
    @Order(5)
    @DisplayName("5. An interrupt ends the child and is rethrown")
    void anInterruptEndsTheChildAndIsRethrown(@Solution RunAWorker solution) throws Exception {
        ScriptedLauncher launcher = scripted(Kind.ENDS_WHEN_ASKED);
        Outcome outcome = run(solution, launcher, HOUR, HOUR, true);

        check(
                outcome.interrupted(),
                "run " + outcome.how() + " before it waited for a child that never ends by itself, with a timeout of"
                        + " an hour: wait for it (waitFor(timeout)), and end it only once the timeout has run out or"
                        + " you are interrupted");
        String situation = "Interrupted while it waited for the child (on an interrupt, end the child as on a"
                + " timeout, then rethrow)";
        checkExited(launcher, outcome, situation);
        checkWaitedTheWholeGrace(launcher, outcome, HOUR, situation + ", with a grace of " + RunCall.shown(HOUR));
        check(
                outcome.thrown() instanceof InterruptedException,
                "run was interrupted while it waited for the child, and " + outcome.how() + " instead of throwing the"
                        + " InterruptedException: once the child has ended, rethrow it (not wrapped, not swallowed), so"
                        + " that whoever interrupted learns that run stopped, and why");

        ScriptedLauncher stubborn = scripted(Kind.IGNORES_DESTROY);
        Outcome again = run(solution, stubborn, HOUR, SHORT, true);
        String stubbornly = "Interrupted while it waited for a child that ignores destroy(), with a grace of "
                + RunCall.shown(SHORT);
        checkExited(stubborn, again, stubbornly);
        checkWaitedTheWholeGrace(stubborn, again, SHORT, stubbornly);
        check(
                again.thrown() instanceof InterruptedException,
                "run was interrupted while it waited for a child that ignores destroy(), and " + again.how()
                        + " instead of throwing the InterruptedException: once the child has ended, rethrow it");
    }

    @Test
    @Order(6)
    @DisplayName("6. The same on real worker JVMs")
    @Timeout(90) // three real JVMs, one after the other, each started cold: REAL_JVMS_LIMIT, and a margin
    void theSameHoldsOnRealWorkerJvms(@Solution RunAWorker solution) throws Exception {
        long deadline = System.nanoTime() + REAL_JVMS_LIMIT.toNanos();
        Duration answerWithin = Duration.ofSeconds(30);
        Duration grace = Duration.ofSeconds(5);

        RealLauncher square = real("square", 7);
        Outcome squared = RunCall.call(solution, square, answerWithin, grace, false, left(deadline));
        check(
                squared.thrown() == null && "49".equals(squared.answer()),
                "on a real worker JVM (java … OneTask square 7, which prints 49 and exits with 0), run must return"
                        + " \"49\"; it " + squared.how());
        checkNothingLeft(square);

        RealLauncher halt = real("halt", 3);
        Outcome halted = RunCall.call(solution, halt, answerWithin, grace, false, left(deadline));
        TaskFailedException failure = checkFailure(
                halted,
                Reason.WORKER_DIED,
                halt.pid(),
                "the real worker JVM (java … OneTask halt 3) exited with exit code 3",
                "throw new TaskFailedException(Reason.WORKER_DIED, a message naming \"exit code 3\", child.pid(), -1,"
                        + " null)");
        check(
                String.valueOf(failure.getMessage()).contains("exit code 3"),
                "the TaskFailedException's message " + quoted(failure.getMessage()) + " does not name the real JVM's"
                        + " exit code: say \"exit code 3\"");
        checkNothingLeft(halt);

        try (Rendezvous nobodyAnswers = Rendezvous.open()) {
            RealLauncher stuck = real("rendezvous", nobodyAnswers.port());
            Duration stuckLimit = Duration.ofSeconds(20); // 1 s, then the grace: a JVM told to end exits in far less
            Outcome stopped =
                    RunCall.call(solution, stuck, Duration.ofSeconds(1), grace, false, min(stuckLimit, left(deadline)));
            checkNothingLeftOfOneThatNeverEnds(stuck, stopped);
            checkTimedOut(
                    stopped,
                    stuck.pid(),
                    "the real worker JVM (java … OneTask rendezvous <port>, which waits for an answer that never"
                            + " comes) was still running after the 1 s timeout");
        }
    }

    private RealLauncher real(String task, Object argument) {
        RealLauncher launcher = new RealLauncher(task, argument);
        launchers.add(launcher);
        return launcher;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private static void checkNothingLeft(RealLauncher launcher) throws InterruptedException {
        checkStartedOnce(launcher);
        launcher.awaitExits(); // it ends by itself: whether run waited for that is judged on scripted children
    }

    private static void checkNothingLeftOfOneThatNeverEnds(RealLauncher launcher, Outcome outcome)
            throws InterruptedException {
        checkStartedOnce(launcher);
        List<Long> alive = launcher.neverAskedToEnd();
        check(
                alive.isEmpty(),
                "run " + outcome.how() + ", and the real worker JVM pid " + alive + " was still running, never"
                        + " asked to end (run called neither destroy() nor destroyForcibly()): nobody ended it. End a"
                        + " child past its timeout before run ends: destroy() it, wait up to grace, destroyForcibly() it"
                        + " if it is still running, and wait until it has exited");
    }

    private static void checkStartedOnce(RealLauncher launcher) {
        check(
                launcher.starts() == 1,
                "run started " + launcher.starts() + " JVMs (launcher.start() called " + launcher.starts()
                        + " times): start the child once");
    }
}
