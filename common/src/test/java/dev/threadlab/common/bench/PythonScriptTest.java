package dev.threadlab.common.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonScriptTest {

    @TempDir
    Path dir;

    @Test
    void onlyKeyValueLinesAreFiguresAndALaterKeyWins() {
        Map<String, String> figures = PythonScript.parse("""
                20 requests, each answered after 200 ms
                python=3.11.7
                sequential_s=4.05
                  threads_s=0.21
                sequential_s=4.06
                """);

        assertThat(figures)
                .containsExactly(
                        Map.entry("python", "3.11.7"),
                        Map.entry("sequential_s", "4.06"),
                        Map.entry("threads_s", "0.21"));
        assertThat(PythonScript.number(figures, "threads_s")).isEqualTo(0.21);
        assertThatThrownBy(() -> PythonScript.number(figures, "pool_s")).hasMessageContaining("printed no pool_s=");
        assertThatThrownBy(() -> PythonScript.number(figures, "python")).hasMessageContaining("not a number");
    }

    // The runner does not care which interpreter it starts: these tests give it /bin/sh, which
    // starts in a millisecond (python3 can take seconds on a loaded machine). Module 01's
    // Basics_06_IoBenchmarkTest runs a real Python original through it.

    @Test
    void aScriptGetsItsArgumentsAndAFailureCarriesWhatItPrinted() throws Exception {
        Path sh = Path.of("/bin/sh");
        assumeTrue(Files.isExecutable(sh), "no /bin/sh");
        Path script = Files.writeString(dir.resolve("figures.sh"), "echo answer=$1\necho it failed >&2\nexit 3\n");

        assertThatThrownBy(() -> PythonScript.run(sh, script, Duration.ofSeconds(30), "42"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exited with 3")
                .hasMessageContaining("answer=42")
                .hasMessageContaining("it failed");
    }

    @Test
    void aScriptThatRunsTooLongIsKilledBeforeRunReturns() throws Exception {
        Path sh = Path.of("/bin/sh");
        assumeTrue(Files.isExecutable(sh), "no /bin/sh");
        Path script = Files.writeString(dir.resolve("hangs.sh"), "echo started=1\nexec sleep 600\n");

        assertThatThrownBy(() -> PythonScript.run(sh, script, Duration.ofMillis(200)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("did not finish within 200 ms");
        assertThat(ProcessHandle.current().children().toList())
                .as("child processes left running")
                .isEmpty();
    }
}
