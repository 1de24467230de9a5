package dev.threadlab.common.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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

        assertThat(figures).containsExactly(Map.entry("python", "3.11.7"), Map.entry("sequential_s", "4.06"),
                Map.entry("threads_s", "0.21"));
        assertThat(PythonScript.number(figures, "threads_s")).isEqualTo(0.21);
        assertThatThrownBy(() -> PythonScript.number(figures, "pool_s")).hasMessageContaining("printed no pool_s=");
        assertThatThrownBy(() -> PythonScript.number(figures, "python")).hasMessageContaining("not a number");
    }

    @Test
    void aScriptGetsItsArgumentsAndAFailureCarriesWhatItPrinted() throws Exception {
        Optional<Path> python = PythonScript.python3OnPath();
        assumeTrue(python.isPresent(), "no python3 on the PATH");
        Path script = Files.writeString(dir.resolve("figures.py"), """
                import sys
                print("answer=" + sys.argv[1])
                sys.exit("it failed")
                """);

        assertThatThrownBy(() -> PythonScript.run(python.get(), script, Duration.ofSeconds(30), "42"))
                .isInstanceOf(IOException.class).hasMessageContaining("exited with 1")
                .hasMessageContaining("answer=42").hasMessageContaining("it failed");
    }
}
