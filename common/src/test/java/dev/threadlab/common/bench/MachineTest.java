package dev.threadlab.common.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineTest {

    @Test
    void aLoadAboveTheCoreCountIsWarnedAbout() {
        assertThat(Machine.loadWarning(10.95, 2))
                .hasValueSatisfying(warning -> assertThat(warning)
                        .startsWith("WARNING: the 1-minute load average (10.95) exceeds the 2 cores"));
    }

    @Test
    void aLoadUpToTheCoreCountOrUnknownIsNot() {
        assertThat(Machine.loadWarning(2.0, 2)).isEmpty();
        assertThat(Machine.loadWarning(0.4, 2)).isEmpty();
        assertThat(Machine.loadWarning(-1, 2)).as("the OS does not tell").isEmpty();
    }

    @Test
    void theLoadAverageSaysWhichMinutesItCovers() {
        assertThat(Machine.loadAverage())
                .matches("\\d+\\.\\d\\d (\\d+\\.\\d\\d \\d+\\.\\d\\d \\(1, 5, 15 min\\)|\\(1 min\\))");
    }
}
