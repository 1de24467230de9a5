package dev.threadlab.common.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.testsupport.CliRun;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class PythonOptionTest {

    @Command(name = "bench", mixinStandardHelpOptions = true)
    static final class Bench implements Callable<Integer> {
        @Mixin
        PythonOption python;

        @Override
        public Integer call() {
            python.validate();
            System.out.flush();
            return python.skipped() ? 0 : python.python().isPresent() ? 10 : 11;
        }
    }

    @Test
    void skipLeavesPythonOutAndSaysWhy() {
        Bench bench = new Bench();
        assertThat(CliRun.of(bench, "--python", "skip").exitCode()).isZero();
        assertThat(bench.python.python()).isEmpty();
        assertThat(bench.python.whyNone()).isEqualTo("skipped (--python skip)");
        assertThat(bench.python.asArgument()).isEqualTo(" --python skip");
    }

    @Test
    void autoIsTheDefaultAndFindsThePython3OnThePath() {
        Bench bench = new Bench();
        CliRun run = CliRun.of(bench);
        assertThat(bench.python.python()).isEqualTo(PythonOption.onPath("python3"));
        assertThat(run.exitCode()).isEqualTo(bench.python.python().isPresent() ? 10 : 11);
        assertThat(bench.python.asArgument()).isEmpty();
    }

    @Test
    void aPythonThatDoesNotExistIsBadUsage() {
        CliRun byName = CliRun.of(new Bench(), "--python", "maybe");
        assertThat(byName.exitCode()).isEqualTo(Cli.USAGE);
        assertThat(byName.err())
                .startsWith("--python maybe: no such program on the PATH; give auto, skip or a Python's path\n")
                .contains("Usage: bench", "--python=auto|skip|<command>");

        CliRun byPath = CliRun.of(new Bench(), "--python", "/no/such/python3");
        assertThat(byPath.exitCode()).isEqualTo(Cli.USAGE);
        assertThat(byPath.err())
                .startsWith("--python /no/such/python3: no such program; give auto, skip or a Python's path\n");
    }
}
