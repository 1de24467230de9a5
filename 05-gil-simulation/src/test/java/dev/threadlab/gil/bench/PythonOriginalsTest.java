package dev.threadlab.gil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shipped Python originals run and print what the benchmark reads (skipped without python3). */
class PythonOriginalsTest {

    @Test
    void theOriginalsRunAndPrintTheFiguresTheBenchmarkReads() throws Exception {
        Optional<PythonOriginals> found = PythonOriginals.find();
        assumeTrue(found.isPresent(), "no python3 on the PATH");
        try (PythonOriginals originals = found.get()) {
            Map<String, String> threads =
                    originals.run("cpu_bound.py", "--mode", "threads", "--n", "2000", "--switch-interval", "0.001");

            assertThat(threads)
                    .containsKeys("python", "elapsed_s", "handoffs", "fairness")
                    .containsEntry("switch_interval_s", "0.001");
            assertThat(PythonOriginals.number(threads, "fairness")).isBetween(0.0, 1.0);
            Map<String, String> convoy = originals.run("convoy.py", "--neighbour", "native", "--window", "0.1");
            assertThat(PythonOriginals.number(convoy, "requests")).isPositive();
        }
    }
}
