package dev.threadlab.gil.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.threadlab.common.testsupport.ManualClock;
import dev.threadlab.gil.engine.Interpreter.Run;
import dev.threadlab.gil.solution.ReferenceHandOff;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The toy interpreter runs every Python thread's work to the end and accounts for each thread. */
class InterpreterTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void everyThreadRunsAllItsChunksOnTheCPythonDesignGil() throws InterruptedException {
        Gil gil = new SwitchIntervalGil(GilClock.system(), Duration.ofMillis(1), new ReferenceHandOff(), null);
        Interpreter python = new Interpreter(gil, clock.sleeper(), clock, 10);

        Run run = python.run(Map.of("worker-1", py -> py.compute(2_000), "worker-2", py -> {
            py.compute(1_000);
            py.io(Duration.ofMillis(1));
            py.computeWithoutGil(1_000);
        }));

        long expected = Work.spin(1, 2_000 * 10L);
        assertThat(run.thread("worker-1").checks()).isEqualTo(2_000);
        assertThat(run.thread("worker-1").value())
                .as("worker-1 ran exactly its 20 000 bytecodes")
                .isEqualTo(expected);
        assertThat(run.thread("worker-2").checks()).isEqualTo(2_000);
        assertThat(run.thread("worker-2").value())
                .as("worker-2 ran the same work, half of it outside the GIL")
                .isEqualTo(expected);
    }

    @Test
    void finishTimesAndFairnessComeFromTheInterpretersClock() throws InterruptedException {
        Interpreter python = new Interpreter(new NoGil(), clock.sleeper(), clock, 1);
        Map<String, Interpreter.PythonCode> threads = new LinkedHashMap<>();
        threads.put("sleeps-1-ms", py -> py.io(Duration.ofMillis(1)));
        threads.put("sleeps-3-ms", py -> py.io(Duration.ofMillis(3)));

        Run run = python.run(threads);

        assertThat(run.elapsedNanos()).as("the manual clock moved 4 ms in all").isEqualTo(4_000_000);
        assertThat(run.threads()).extracting(Interpreter.Finished::name).containsExactly("sleeps-1-ms", "sleeps-3-ms");
        assertThat(run.fairness()).isBetween(0.0, 1.0);
    }

    @Test
    void aFailingThreadIsNamedAndTheOthersStillFinish() {
        Interpreter python = new Interpreter(new NoGil(), clock.sleeper(), clock, 1);

        assertThatThrownBy(() -> python.run(Map.of(
                        "fine", py -> py.compute(10),
                        "broken",
                                py -> {
                                    throw new IllegalArgumentException("bad bytecode");
                                })))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Python thread(s) failed: broken (java.lang.IllegalArgumentException: bad bytecode)");
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new Interpreter(new NoGil(), clock.sleeper(), clock, 0))
                .hasMessage("bytecodesPerCheck must be at least 1, was 0");
        assertThatThrownBy(() -> new Interpreter(new NoGil(), clock.sleeper(), clock, 1).run(Map.of()))
                .hasMessage("give at least one Python thread to run");
    }
}
