package dev.threadlab.basics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.basics.Basics_05_Responsiveness.Placement;
import dev.threadlab.basics.Basics_05_Responsiveness.Result;
import dev.threadlab.basics.Basics_05_Responsiveness.Session;
import dev.threadlab.common.testsupport.CliRun;
import dev.threadlab.common.testsupport.ManualClock;
import dev.threadlab.common.time.Sleeper;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The responsiveness demo, proven without timing anything: the long task is held in its sleeper
 * until the test has looked, and the clock only moves when the task "sleeps" (a {@link ManualClock}).
 */
class ResponsivenessTest {

    private static final Duration TASK = Duration.ofMillis(500);
    private static final Duration BOUND = Duration.ofSeconds(10);

    /** The long task's pause: says when it has begun, waits for the test's go, then moves the clock. */
    private static final class HeldTask implements Sleeper {
        final ManualClock clock = new ManualClock();
        final CountDownLatch begun = new CountDownLatch(1);
        final CountDownLatch go = new CountDownLatch(1);

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            begun.countDown();
            if (!go.await(BOUND.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError("the test never let the task go");
            }
            clock.advance(duration);
        }

        void awaitBegun() throws InterruptedException {
            assertThat(begun.await(BOUND.toNanos(), TimeUnit.NANOSECONDS))
                    .as("the long task began")
                    .isTrue();
        }
    }

    @Test
    void aTaskOnTheLoopFreezesItNoTickRunsUntilTheTaskEnds() throws Exception {
        HeldTask task = new HeldTask();
        Result result;
        try (EventLoop loop = EventLoop.plain()) {
            try {
                Session session = new Session(loop, Placement.ON_THE_LOOP, TASK, task, task.clock);
                session.startTask();
                task.awaitBegun(); // the loop's thread is inside the task now, and stays there until go
                session.tick();
                session.tick();
                session.tick();

                assertThat(session.ticksRun())
                        .as("ticks run while the task held the loop's thread")
                        .isZero();

                task.go.countDown();
                assertThat(session.awaitTaskDone(BOUND)).as("the task ended").isTrue();
                session.finish(); // runs what is queued
                result = session.result();
            } finally {
                task.go.countDown(); // never leave the task held, even when an assertion failed
            }
        }

        assertThat(result.ticksDuringTask()).isZero();
        assertThat(result.latenciesNanos())
                .as("each tick waited the whole task")
                .containsExactly(TASK.toNanos(), TASK.toNanos(), TASK.toNanos());
        assertThat(result.line())
                .contains("long task ON the loop:    3 ticks, latency median  500.0 ms, max  500.0 ms; "
                        + "ticks run during the task: 0");
    }

    @Test
    void aTaskOffTheLoopLeavesItTickingWhileTheTaskRuns() throws Exception {
        HeldTask task = new HeldTask();
        Result result;
        try (EventLoop loop = EventLoop.plain()) {
            try {
                Session session = new Session(loop, Placement.OFF_THE_LOOP, TASK, task, task.clock);
                session.startTask();
                task.awaitBegun(); // the task's own thread is inside the task, and stays there until go
                session.tick();
                session.tick();
                session.tick();

                assertThat(session.awaitTicksRun(3, BOUND))
                        .as("the loop ran 3 ticks while the task was still running (it ran %d)", session.ticksRun())
                        .isTrue();

                task.go.countDown();
                assertThat(session.awaitTaskDone(BOUND))
                        .as("the task ended and told the loop")
                        .isTrue();
                session.finish();
                result = session.result();
            } finally {
                task.go.countDown(); // never leave the task held, even when an assertion failed
            }
        }

        assertThat(result.ticksDuringTask()).isEqualTo(3);
        assertThat(result.latenciesNanos())
                .as("no tick waited: the clock had not moved")
                .containsExactly(0L, 0L, 0L);
        assertThat(result.line()).endsWith("ticks run during the task: 3");
    }

    @Test
    void theDemoRunsOnSwingsEventDispatchThreadHeadless() {
        CliRun run = CliRun.of(new Basics_05_Responsiveness(), "--task-ms", "20", "--tick-ms", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .startsWith("Swing's event dispatch thread (headless)")
                .contains("long task ON the loop:")
                .contains("ticks run during the task: 0")
                .contains("long task OFF the loop:")
                .contains("AWT-EventQueue-0 |")
                .contains("long-task ");
    }

    @Test
    void theDemoRunsOnAPlainLoopToo() {
        CliRun run = CliRun.of(new Basics_05_Responsiveness(), "--task-ms", "20", "--tick-ms", "2", "--loop", "plain");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("a plain event loop").contains("event-loop |");
    }
}
