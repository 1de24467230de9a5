package dev.threadlab.common.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

class CliTest {

    @Command(name = "demo", mixinStandardHelpOptions = true)
    static final class Demo implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        enum Mode {
            fast,
            slow
        }

        @Option(names = "--threads", defaultValue = "2")
        int threads;

        @Option(names = "--delay-ms", defaultValue = "0")
        long delayMs;

        @Option(names = "--mode", defaultValue = "fast")
        Mode mode;

        @Override
        public Integer call() {
            Cli.require(spec, threads >= 1, "--threads must be at least 1, was %d", threads);
            spec.commandLine().getOut().println("ran with " + threads);
            return 0;
        }
    }

    /** A command with subcommands, as the runner is. */
    @Command(
            name = "tool",
            mixinStandardHelpOptions = true,
            subcommands = {Tool.Check.class, Tool.Hint.class})
    static final class Tool implements Callable<Integer> {
        @Override
        public Integer call() {
            return 0;
        }

        @Command(
                name = "check",
                description = {"Grade an exercise once.", "A second line of detail."})
        static final class Check implements Callable<Integer> {
            @Parameters(paramLabel = "<exercise>")
            String exercise;

            @Override
            public Integer call() {
                return 0;
            }
        }

        @Command(name = "hint", description = "The next hint.")
        static final class Hint implements Callable<Integer> {
            @Override
            public Integer call() {
                return 0;
            }
        }
    }

    private static String[] run(String... args) {
        return run(new Demo(), args);
    }

    private static String[] run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(command, new PrintWriter(out), new PrintWriter(err), args);
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
                .startsWith("unknown option '--thread'. Did you mean '--threads'?\n")
                .contains("Usage: demo");
    }

    @Test
    void aValueOfTheWrongTypeSaysWhatTheValueMustBeInWords() {
        String[] number = run("--delay-ms", "abc");
        assertThat(number[0]).isEqualTo("2");
        assertThat(number[2])
                .startsWith("invalid value for --delay-ms: 'abc' (a whole number)\n")
                .contains("Usage: demo")
                .doesNotContain("is not a long");

        assertThat(run("--mode", "quick")[2]).startsWith("invalid value for --mode: 'quick' (one of: fast, slow)\n");
    }

    @Test
    void aMisspeltCommandGetsOneLineWithASuggestionThenTheCommandsOneLineEach() {
        String[] r = run(new Tool(), "chek", "01.1");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2].lines())
                .containsExactly(
                        "tool: unknown command 'chek'. Did you mean 'check'?",
                        "Usage: tool [<command>] [<arguments>]   (more: tool --help)",
                        "  check  Grade an exercise once.",
                        "  hint   The next hint.");
    }

    @Test
    void aMissingArgumentIsNamedAfterTheToolAndOnlyThatCommandsSynopsisFollows() {
        String[] r = run(new Tool(), "check");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2])
                .startsWith("tool: missing <exercise>\nUsage: tool check ")
                .endsWith("   (more: tool check --help)\n")
                .doesNotContain("Grade an exercise once", "hint");
    }

    @Test
    void aDemoOfACourseModuleIsNamedAsTheRunnerRunsIt() {
        assertThat(Cli.demoCommand(Path.of("/course/03-locks/target/classes"), "Locks_05_Deadlock"))
                .contains("./threadlab demo 03 deadlock");
        assertThat(Cli.demoCommand(Path.of("/course/01-basic-threads/target/threadlab-runner/demo"), "IoBenchmark"))
                .as("the learner's classes the runner compiled, a demo without a lesson number")
                .contains("./threadlab demo 01 io-benchmark");
        assertThat(Cli.demoCommand(Path.of("/home/me/01-courses/threadlab/common/target/classes"), "Threadlab"))
                .as("not a module's class: its own name stays")
                .isEmpty();
        assertThat(Cli.demoCommand(getClass())).as("a test's class in common").isEmpty();
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
