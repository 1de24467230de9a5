package dev.threadlab.gil.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.threadlab.common.timeline.Timeline.Event;
import dev.threadlab.common.timeline.Timeline.State;
import dev.threadlab.gil.engine.GilScenario.PythonThread;
import dev.threadlab.gil.solution.ReferenceHandOff;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The GIL's own mechanics, around the hand-off: I/O, the switch interval setting, the timeline, misuse. */
class SwitchIntervalGilTest {

    private final GilScenario scenario = new GilScenario(new ReferenceHandOff(), SwitchIntervalGil.DEFAULT_INTERVAL);
    private final SwitchIntervalGil gil = scenario.gil;

    @AfterEach
    void endAllThreads() throws InterruptedException {
        scenario.close();
    }

    @Test
    void blockingIoReleasesTheGilSoAnotherThreadRunsAndTakesItBackAfterwards() {
        PythonThread reader = scenario.thread("reader");
        PythonThread worker = scenario.thread("worker");
        reader.attach().join();
        CountDownLatch dataArrives = new CountDownLatch(1);

        CompletableFuture<Void> read = reader.step("socket read", () -> gil.withoutGil(dataArrives::await));
        CompletableFuture<Void> workerRuns = worker.step("attach and run", () -> {
            gil.attach();
            gil.runBytecode(() -> {});
        });

        scenario.awaitUntil(
                "while reader was blocked in I/O, worker could not take the GIL: I/O must release it",
                workerRuns::isDone);
        assertThat(gil.holder())
                .as("worker holds the GIL while reader waits for data")
                .isEqualTo(worker.thread());
        dataArrives.countDown();
        scenario.awaitUntil(
                "reader's data arrived, but reader never started waiting to take the GIL back",
                () -> scenario.clock.waitOf(reader.thread()).isPresent());
        assertThat(read)
                .as("reader must not leave I/O before it has the GIL back")
                .isNotDone();
        worker.detach();
        scenario.awaitUntil("worker detached, but reader never took the GIL back", read::isDone);
        assertThat(gil.holder()).isEqualTo(reader.thread());
        assertThat(gil.handOffs()).as("reader -> worker -> reader").isEqualTo(2);
    }

    @Test
    void theTimelineShowsWhoHoldsTheGilAndMarksDropRequestsAndHandOffs() {
        PythonThread holder = scenario.thread("worker-1");
        PythonThread waiter = scenario.thread("worker-2");
        holder.attach().join();
        CompletableFuture<Void> waiting = waiter.attach();
        scenario.awaitUntil(
                "worker-2 never waited",
                () -> scenario.clock.waitOf(waiter.thread()).isPresent());
        scenario.clock.advance(SwitchIntervalGil.DEFAULT_INTERVAL);
        scenario.awaitUntil("worker-2 never asked", gil::dropRequested);
        holder.step("next chunk", () -> gil.runBytecode(() -> {}));
        scenario.awaitUntil("worker-2 never got the GIL", waiting::isDone);

        assertThat(scenario.timeline.eventsOf("worker-2"))
                .extracting(Event::state, Event::detail)
                .containsSubsequence(
                        tuple(State.READY, "wants the GIL"),
                        tuple(State.MARK, "drop request"),
                        tuple(State.MARK, "hand-off from worker-1"),
                        tuple(State.RUNNING, "holds the GIL"));
        assertThat(scenario.timeline.eventsOf("worker-1"))
                .extracting(Event::state, Event::detail)
                .containsSubsequence(tuple(State.RUNNING, "holds the GIL"), tuple(State.READY, "dropped the GIL"));
        assertThat(scenario.timeline.renderAscii(20)).contains("worker-1 |").contains("worker-2 |");
    }

    @Test
    void theSwitchIntervalMustBeStrictlyPositiveAsInCPython() {
        assertThatThrownBy(() -> gil.setSwitchInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("switch interval must be strictly positive, was PT0S");
        gil.setSwitchInterval(Duration.ofNanos(1_000));
        assertThat(gil.switchInterval()).isEqualTo(Duration.ofNanos(1_000));
    }

    @Test
    void runningBytecodeWithoutTheGilIsRefusedNamingTheThread() {
        assertThatThrownBy(() -> gil.runBytecode(() -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageEndingWith("called runBytecode without holding the GIL");
    }

    @Test
    void takingTheGilTwiceIsRefused() throws InterruptedException {
        gil.attach();
        try {
            assertThatThrownBy(gil::attach)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageEndingWith("already holds the GIL");
        } finally {
            gil.detach();
        }
        assertThat(gil.holder()).isNull();
    }
}
