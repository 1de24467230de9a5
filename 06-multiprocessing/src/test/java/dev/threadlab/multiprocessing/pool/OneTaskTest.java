package dev.threadlab.multiprocessing.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A one-shot worker prints its task's result and exits 0, and says why with its exit code when it cannot. */
class OneTaskTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return OneTask.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void itPrintsTheResultOnOneLineAndExitsWithZero() {
        assertThat(run("square", "7")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("49" + System.lineSeparator());
        assertThat(err.size()).isZero();
    }

    @Test
    void anArgumentThatIsNoWholeNumberIsPassedAsText() {
        assertThat(run("echo", "seven")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("seven" + System.lineSeparator());
    }

    @Test
    void aTaskThatThrowsExitsWithOneAndSaysWhatOnStderr() {
        assertThat(run("thousandDividedBy", "0")).isEqualTo(OneTask.EXIT_TASK_THREW);
        assertThat(out.size()).as("no answer").isZero();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("thousandDividedBy(0) threw java.lang.ArithmeticException: / by zero");
    }

    @Test
    void badArgumentsExitWithTheUsageStatus() {
        assertThat(run("square")).isEqualTo(OneTask.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: java -cp <class path> ");
        err.reset();
        assertThat(run("nope", "1")).isEqualTo(OneTask.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("unknown task 'nope'");
    }

    @Test
    void aLauncherRefusesAnUnknownTaskBeforeStartingAnything() {
        assertThatThrownBy(() -> Launcher.oneTask("nope", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown task 'nope'");
    }
}
