package dev.threadlab.gil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.exercise.NotImplementedYet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** --solution yours on an unwritten YourHandOff says so in one line; any other failure is left alone. */
class SolutionOptionTest {

    @Command(name = "demo")
    static final class Demo implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        SolutionOption solution;

        final RuntimeException failure;

        Demo(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() throws Exception {
            return solution.explainingAStub(spec, () -> {
                solution.validated(spec);
                throw failure;
            });
        }
    }

    @Test
    void aStubFoundAmongTheSuppressedFailuresOfAPythonThreadIsToldInOneLineAndExits1() {
        IllegalStateException failed = new IllegalStateException("Python thread(s) failed: worker-2 (…)");
        failed.addSuppressed(new NotImplementedYet("in awaitGil, wait"));
        StringWriter err = new StringWriter();

        int code = Cli.execute(
                new Demo(failed), new PrintWriter(new StringWriter()), new PrintWriter(err), "--solution", "yours");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString())
                .isEqualTo("--solution yours: exercise/YourHandOff.java is not written yet "
                        + "(\"not implemented yet: in awaitGil, wait\"). Write it first (./threadlab check 05.3), or run with "
                        + "--solution reference." + System.lineSeparator());
    }

    @Test
    void anyOtherFailureIsNotExplainedAway() {
        IllegalStateException failed = new IllegalStateException("YourHandOff.yieldGil returned without the GIL");
        Demo demo = new Demo(failed);
        new CommandLine(demo).parseArgs("--solution", "yours");

        assertThatThrownBy(demo::call).isSameAs(failed);
    }
}
