package dev.threadlab.lifecycle.exercise;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.common.testsupport.ManualClock;
import dev.threadlab.lifecycle.exercise.Hand.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import net.jcip.annotations.ThreadSafe;

/**
 * The scripted workers of {@link SupervisorSpec} ({@link Hand}s), and the start of a watched call
 * ({@link SupervisorRun}). Time is a {@link ManualClock} that only the scripted workers move, so an
 * hour of "work" costs nothing, and every step is lined up by what the supervisor is observably
 * doing, never by how long anything takes:
 *
 * <ul>
 *   <li>a worker that spends clock time does so only once the supervisor is joining it (so the
 *       deadline passes while the supervisor waits for a thread that is about to end), and only
 *       once every quick worker's thread has ended (so no quick worker can be "late"); seeing that
 *       join, it checks that every worker had been started by then (rule 1);</li>
 *   <li>a blocking worker stays blocked until it is interrupted or the test releases it, and keeps
 *       its interrupt flag set, so "was it interrupted?" can be read at any moment without a race;</li>
 *   <li>a slow cleaner, once interrupted, ends only when the supervisor waits in {@code join} for it
 *       to end ({@link JoinWatch}); a join with a timeout on it runs out at once, however long the
 *       timeout ({@link TimedJoins}), and only a caller that joins it again is seen waiting to the end.</li>
 * </ul>
 *
 * <p>Nothing outlives a test: {@link #close()} releases every worker and waits for every thread.
 */
@ThreadSafe
final class Crew implements AutoCloseable, TimedJoins.Holder {

    /** The timeout the spec gives the supervisor: an hour, of manual-clock time. */
    static final Duration TIMEOUT = Duration.ofMinutes(60);

    /**
     * How long the watch waits for something that, for a correct supervisor, happens at once; it
     * only runs out for a solution that hangs, and then the failure says where it hangs.
     */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    final ManualClock clock = new ManualClock();

    @GuardedBy("hands")
    private final List<Hand> hands = new ArrayList<>();

    private volatile boolean released;
    private volatile Thread supervisor;
    private volatile SupervisorRun run;

    /** @return true once the test is over and every worker is let go */
    boolean released() {
        return released;
    }

    private Hand hand(Kind kind, Hand.Script script) {
        Hand hand = new Hand(this, kind, script);
        synchronized (hands) {
            hands.add(hand);
        }
        return hand;
    }

    /** A task that returns {@code value} at once. */
    Hand returns(String value) {
        return hand(Kind.QUICK, me -> value);
    }

    /** A task that throws {@code failure} at once. */
    Hand fails(Exception failure) {
        return hand(Kind.QUICK, me -> {
            throw failure;
        });
    }

    /** A task that throws {@code failure}, an Error (not an Exception), at once. */
    Hand fails(Error failure) {
        return hand(Kind.QUICK, me -> {
            throw failure;
        });
    }

    /**
     * A task that "works" for {@code work} of clock time and returns {@code value}; it moves the
     * clock only once the quick workers have ended and the supervisor is joining it.
     */
    Hand spends(Duration work, String value) {
        return hand(Kind.SPENDS_TIME, me -> {
            awaitQuickWorkersEnded(me);
            awaitOrGiveUp(
                    () -> released || JoinWatch.isJoining(supervisor, me.thread),
                    "the supervisor never waited for " + me.worker() + " with Thread.join:"
                            + " wait for each worker, in task order, with join(Duration)");
            if (!released) {
                run.noteJoined(me); // the join ends once this worker does: only it can see it for sure
            }
            clock.sleeper().sleep(work);
            return value;
        });
    }

    /** A task that runs until it is interrupted, then throws InterruptedException. */
    Hand blocksUntilInterrupted() {
        return hand(Kind.BLOCKS, me -> {
            me.parkUntilInterruptedOrReleased();
            return "released by the test";
        });
    }

    /**
     * A task that, once interrupted, takes its time to clean up: its cleanup is held until the
     * supervisor waits for it to end (in {@code join()}, or a join loop, see {@link JoinWatch}),
     * or the test releases it. A supervisor that interrupts and does not wait, or waits with a
     * timeout and gives up, returns while this worker is certainly still alive.
     */
    Hand blocksThenCleansUpSlowly() {
        Hand slow = hand(Kind.BLOCKS, me -> {
            try {
                me.parkUntilInterruptedOrReleased();
                return "released by the test";
            } catch (InterruptedException interrupted) {
                Thread.interrupted(); // cleaning up; sawInterrupt was recorded first
                JoinWatch watch = me.watch(me.thread);
                awaitOrGiveUp(() -> released || watch.waitsUntilItEnds(supervisor), "not joined");
                throw interrupted;
            }
        });
        slow.cleansUpSlowly = true;
        return slow;
    }

    /**
     * A slow cleaner, once interrupted, is held until the supervisor waits for it to the end: a timed
     * join on it runs out at once ({@link TimedJoins}). Its thread is known by the task once it runs,
     * and before that (started, interrupted, not yet scheduled) by its name in the supervisor's group.
     */
    @Override
    public JoinWatch heldFor(Thread target) {
        Thread s = supervisor;
        for (Hand h : snapshot()) {
            Thread t = h.thread;
            boolean mine = t == target
                    || (t == null
                            && s != null
                            && target.getThreadGroup() == s.getThreadGroup()
                            && target.getName().equals(h.worker()));
            // the flag first, then the record made before the flag is cleared: no interrupt is missed
            if (h.cleansUpSlowly && mine && (target.isInterrupted() || h.sawInterrupt)) {
                return h.watch(target);
            }
        }
        return null;
    }

    private void awaitQuickWorkersEnded(Hand me) throws InterruptedException {
        for (Hand other : snapshot()) {
            if (other.kind != Kind.QUICK) {
                continue;
            }
            if (!other.started.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(other.worker() + " had not started while " + me.worker()
                        + " was already running: start every worker before waiting for any");
            }
            if (other.thread != me.thread) {
                other.thread.join(PATIENCE);
            }
        }
    }

    private static void awaitOrGiveUp(BooleanSupplier condition, String why) {
        if (!Poll.until(condition, PATIENCE)) {
            throw new AssertionError(why);
        }
    }

    private List<Hand> snapshot() {
        synchronized (hands) {
            return List.copyOf(hands);
        }
    }

    /**
     * Starts {@code solution.supervise(tasks, timeout, clock)} on a thread named "supervisor" (see
     * {@link SupervisorRun}); a null task stays in the list the solution gets: it must refuse it.
     */
    SupervisorRun start(Supervisor solution, Duration timeout, Hand... tasks) {
        List<Callable<String>> list = new ArrayList<>();
        List<Hand> given = new ArrayList<>();
        for (int i = 0; i < tasks.length; i++) {
            if (tasks[i] != null) {
                tasks[i].position = i + 1;
                given.add(tasks[i]);
            }
            list.add(tasks[i]);
        }
        SupervisorRun run = new SupervisorRun(this, timeout, List.copyOf(given));
        this.run = run;
        TimedJoins.add(this);
        supervisor = run.start(TimedJoins.reloaded(solution, Supervisor.class), list);
        return run;
    }

    /** Runs {@code supervise} and waits until it returns (or is caught breaking a rule). */
    SupervisorRun supervise(Supervisor solution, Hand... tasks) {
        SupervisorRun run = start(solution, TIMEOUT, tasks);
        run.awaitReturn();
        return run;
    }

    /** Lets {@code hand}'s blocked task return ("released by the test"), as if its work were done. */
    void release(Hand hand) {
        hand.release();
    }

    /**
     * Set when the watch has declared a hang: the verdict is given, and the supervisor did not end
     * within {@link #PATIENCE}; close() then interrupts it at once instead of giving it 2 s more.
     */
    private volatile boolean supervisorHung;

    /** The supervisor a close() interrupted and waited for, which did not end: a later close() does not wait again. */
    private volatile Thread givenUpOn;

    /** The watch declared a hang: no verdict depends on waiting for the supervisor any longer. */
    void supervisorHung() {
        supervisorHung = true;
    }

    /**
     * Releases every scripted worker and waits until the supervisor and all workers have ended. A
     * supervisor the watch declared hung is interrupted at once (it had {@link #PATIENCE} already),
     * and one that an earlier close() interrupted and waited for in vain is not waited for again:
     * these waits only clean up after a verdict that is already given (the spec's later rules are
     * skipped after a hang), so no verdict depends on them.
     */
    @Override
    public void close() {
        released = true;
        TimedJoins.remove(this);
        snapshot().forEach(Hand::unpark);
        Thread s = supervisor;
        try { // short bounds: a correct supervisor ends at once; one that hangs is reported, not waited for
            if (s != null && s != givenUpOn && !s.join(supervisorHung ? Duration.ZERO : Duration.ofSeconds(2))) {
                s.interrupt();
                if (!s.join(Duration.ofSeconds(1))) {
                    givenUpOn = s;
                }
            }
            for (Hand h : snapshot()) {
                if (h.thread != null && h.thread != s) {
                    h.thread.join(Duration.ofSeconds(1));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
