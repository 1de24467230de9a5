package dev.threadlab.basics.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.threadlab.common.bench.PythonScript;
import dev.threadlab.common.testsupport.CliRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The benchmark runs end to end (tiny sizes, numbers never asserted), and so does the Python original it runs. */
class Basics_06_IoBenchmarkTest {

    @Test
    void theBenchmarkPrintsTheMachineTheCommandAndOneTableRowPerJavaMode() {
        CliRun run = CliRun.of(
                new Basics_06_IoBenchmark(),
                "--requests",
                "2",
                "--delay-ms",
                "0",
                "--reps",
                "1",
                "--warmups",
                "0",
                "--python",
                "skip");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("machine: ")
                .contains("command: ./mvnw -q -pl 01-basic-threads")
                .contains("| Java | one after the other |")
                .contains("| Java | a platform thread per request |")
                .contains("| Java | a virtual thread per request |")
                .doesNotContain("| CPython");
    }

    @Test
    void thePythonOriginalSendsEveryRequestEachWay() throws Exception {
        Optional<Path> python = PythonScript.python3OnPath();
        assumeTrue(python.isPresent(), "no python3 on the PATH");

        Map<String, String> figures = PythonScript.run(
                python.get(),
                Path.of("src/main/python/io_bound.py"),
                Duration.ofMinutes(1),
                "--raw",
                "--requests",
                "3",
                "--delay-ms",
                "0");

        assertThat(figures)
                .containsKeys("python", "sequential_s", "threads_s", "pool_s")
                .containsEntry("sequential_answered", "3")
                .containsEntry("threads_answered", "3")
                .containsEntry("pool_answered", "3")
                .containsEntry("sequential_max_held", "1");
    }
}
