package dev.threadlab.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.threadlab.common.output.Console;
import dev.threadlab.common.testsupport.ManualClock;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.common.timeline.Timeline;
import dev.threadlab.lifecycle.Lifecycle_04_ThreadStates.Subject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every state of a thread's life, visited for real and asserted: the test holds the monitor, the
 * latch and the sleeper that keep the subject in each state, and waits with Awaitility until
 * {@code getState()} shows it, so no state is a matter of luck.
 */
class ThreadStatesTest {

    /** The subject's sleep: a timed wait (TIMED_WAITING) that lasts until the test wakes it. */
    private final CountDownLatch wake = new CountDownLatch(1);

    private final Sleeper sleepUntilWoken = duration -> wake.await(1, TimeUnit.HOURS);
    private final Subject subject = new Subject(sleepUntilWoken, Duration.ofHours(1));

    @AfterEach
    void endTheSubject() throws InterruptedException {
        wake.countDown();
        subject.stop();
        if (subject.thread().getState() != Thread.State.NEW) {
            subject.thread().join();
        }
    }

    private void awaitState(Thread.State state) {
        await("subject reaches " + state).until(() -> subject.thread().getState() == state);
    }

    @Test
    void aThreadPassesThroughEveryStateAndIsAliveOnlyBetweenStartAndItsEnd() throws InterruptedException {
        Thread thread = subject.thread();
        assertThat(thread.getState()).as("created, not started").isEqualTo(Thread.State.NEW);
        assertThat(thread.isAlive()).as("a NEW thread is not alive").isFalse();

        synchronized (subject.door()) {
            thread.start();
            awaitState(Thread.State.RUNNABLE);
            assertThat(thread.isAlive()).as("a started thread is alive").isTrue();

            subject.stopSpinning();
            awaitState(Thread.State.BLOCKED); // it wants the door, and this test holds it
            assertThat(thread.isAlive()).as("BLOCKED is alive").isTrue();
        }

        awaitState(Thread.State.WAITING); // in CountDownLatch.await(), no time limit
        assertThat(thread.isAlive()).as("WAITING is alive").isTrue();

        subject.signal();
        awaitState(Thread.State.TIMED_WAITING); // in its sleeper, a wait with a time limit
        assertThat(thread.isAlive()).as("TIMED_WAITING is alive").isTrue();

        wake.countDown();
        thread.join();
        assertThat(thread.getState()).as("after join()").isEqualTo(Thread.State.TERMINATED);
        assertThat(thread.isAlive()).as("a TERMINATED thread is not alive").isFalse();
    }

    @Test
    void theDemoSeesAllSixStatesInOrderAndDrawsThemOnTheTimeline() throws InterruptedException {
        Console console = Console.recording();
        ManualClock clock = new ManualClock();
        Timeline timeline = new Timeline(clock);
        CountDownLatch demoWake = new CountDownLatch(1);
        Sleeper subjectSleep = duration -> demoWake.await(1, TimeUnit.HOURS);
        Lifecycle_04_ThreadStates.Driver driver =
                new Lifecycle_04_ThreadStates.Driver(console, clock.sleeper(), subjectSleep, timeline);

        Background<List<Thread.State>> main =
                Background.start("driver", () -> driver.drive(Duration.ofMillis(200), Duration.ofHours(1)));
        try {
            await("the demo reports TIMED_WAITING")
                    .until(() -> console.texts().stream().anyMatch(t -> t.startsWith("subject is TIMED_WAITING")));
        } finally {
            demoWake.countDown();
        }
        List<Thread.State> seen = main.join();

        assertThat(seen)
                .as("the demo's main saw every state, in the order of a life")
                .containsExactly(Thread.State.values());
        assertThat(timeline.eventsOf("subject"))
                .extracting(Timeline.Event::state)
                .as("one lane event per state")
                .containsExactly(
                        Timeline.State.MARK,
                        Timeline.State.RUNNING,
                        Timeline.State.BLOCKED,
                        Timeline.State.WAITING,
                        Timeline.State.SLEEPING,
                        Timeline.State.ENDED);
        assertThat(timeline.renderAscii(40))
                .as("the lane draws each state's symbol")
                .contains("subject |^")
                .contains("#")
                .contains("x")
                .contains(".")
                .contains("z");
    }
}
