package dev.threadlab.multiprocessing.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The benchmark says when its numbers are not worth comparing. */
class ThreadsVersusProcessesTest {

    @Test
    void aLoadAboveTheCoreCountIsWarnedAbout() {
        assertThat(Multiprocessing_04_ThreadsVersusProcesses.loadWarning(10.95, 2)).hasValueSatisfying(warning -> assertThat(warning)
                .startsWith("WARNING: the 1-minute load average (10.95) exceeds the 2 cores"));
    }

    @Test
    void aLoadUpToTheCoreCountOrUnknownIsNot() {
        assertThat(Multiprocessing_04_ThreadsVersusProcesses.loadWarning(2.0, 2)).isEmpty();
        assertThat(Multiprocessing_04_ThreadsVersusProcesses.loadWarning(0.4, 2)).isEmpty();
        assertThat(Multiprocessing_04_ThreadsVersusProcesses.loadWarning(-1, 2)).as("the OS does not tell").isEmpty();
    }
}
