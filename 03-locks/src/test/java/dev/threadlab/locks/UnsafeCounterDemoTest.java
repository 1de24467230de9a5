package dev.threadlab.locks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.testsupport.CliRun;
import org.junit.jupiter.api.Test;

/** When the demo loses nothing it says why, instead of letting "lost 0" read as "there is no race". */
class UnsafeCounterDemoTest {

    @Test
    void aRunThatLosesNothingSaysWhyAndPointsToTheWidenedWindow() {
        CliRun run = CliRun.of(new Locks_01_UnsafeCounter(), "--threads", "1", "--increments", "1000");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("expected 1000, got 1000, lost 0")
                .contains("Nothing was lost: with one thread there is no one to race");
    }

    @Test
    void theWidenedCounterStillCountsEveryIncrementOfASingleThread() {
        CliRun run = CliRun.of(new Locks_01_UnsafeCounter(), "--widen", "--threads", "1", "--increments", "1000");

        assertThat(run.out()).contains("widened (yield between read and write)").contains("expected 1000, got 1000");
    }
}
