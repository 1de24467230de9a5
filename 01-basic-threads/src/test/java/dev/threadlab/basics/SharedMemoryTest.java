package dev.threadlab.basics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.testsupport.ManualClock;
import dev.threadlab.common.timeline.Timeline;
import dev.threadlab.common.timeline.Timeline.State;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedMemoryTest {

    @Test
    void mainSeesEveryEntryThatEveryThreadAppendedToTheOneSharedList() throws InterruptedException {
        ManualClock clock = new ManualClock();
        Timeline timeline = new Timeline(clock);

        List<String> shared = Basics_03_SharedMemory.run(2, 3, Duration.ofMillis(200), clock.sleeper(), timeline);

        assertThat(shared).hasSize(6);
        assertThat(shared.stream().filter(e -> e.startsWith("worker-1:")).toList())
                .as("one thread's entries keep their order")
                .containsExactly("worker-1:0", "worker-1:1", "worker-1:2");
        assertThat(shared.stream().filter(e -> e.startsWith("worker-2:")).toList())
                .containsExactly("worker-2:0", "worker-2:1", "worker-2:2");
    }

    @Test
    void theTimelineShowsEachWorkerRunningAndSleepingAndMainWaitingInJoin() throws InterruptedException {
        ManualClock clock = new ManualClock();
        Timeline timeline = new Timeline(clock);

        Basics_03_SharedMemory.run(2, 3, Duration.ofMillis(200), clock.sleeper(), timeline);

        for (String worker : List.of("worker-1", "worker-2")) {
            assertThat(timeline.eventsOf(worker))
                    .extracting(Timeline.Event::state)
                    .containsExactly(
                            State.RUNNING,
                            State.SLEEPING,
                            State.RUNNING,
                            State.SLEEPING,
                            State.RUNNING,
                            State.SLEEPING,
                            State.ENDED);
        }
        assertThat(timeline.eventsOf(Thread.currentThread().getName()))
                .extracting(Timeline.Event::state)
                .containsExactly(State.RUNNING, State.WAITING, State.RUNNING, State.ENDED);
        // Lanes only: with one manual clock shared by both threads, the workers' sleeps add up, so the
        // picture is not about who ran when (the demo, on a real clock, shows that).
        assertThat(timeline.renderAscii(40))
                .containsPattern("(?m)^worker-1 +\\|[z# ]+\\|$")
                .containsPattern("(?m)^worker-2 +\\|[z# ]+\\|$");
    }
}
