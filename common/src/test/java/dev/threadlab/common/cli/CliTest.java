package dev.threadlab.common.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

class CliTest {

    @Command(name = "demo", mixinStandardHelpOptions = true)
    static final class Demo implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--threads", defaultValue = "2")
        int threads;

        @Override
        public Integer call() {
            Cli.require(spec, threads >= 1, "--threads must be at least 1, was %d", threads);
            spec.commandLine().getOut().println("ran with " + threads);
            return 0;
        }
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new Demo(), new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void aValueOutOfRangeGivesTheProblemTheUsageAndExitCode2() {
        String[] r = run("--threads", "0");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).startsWith("--threads must be at least 1, was 0").contains("Usage: demo");
    }

    @Test
    void anUnknownOptionGivesExitCode2() {
        assertThat(run("--nope")[0]).isEqualTo("2");
    }

    @Test
    void aMisspeltOptionGetsASuggestionAndStillTheUsage() {
        String[] r = run("--thread", "3");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2])
                .contains("Unknown options: '--thread'")
                .contains("--threads")
                .contains("Usage: demo");
    }

    @Test
    void goodInputRunsAndExits0() {
        String[] r = run("--threads", "3");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("ran with 3");
    }

    @Test
    void versionNamesTheCourseTheCommandAndTheJava() {
        String[] r = run("-V");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).startsWith("threadlab demo, Java " + Runtime.version().feature());
    }

    @Test
    void helpPrintsUsageAndExits0() {
        String[] r = run("--help");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("Usage: demo");
    }
}
