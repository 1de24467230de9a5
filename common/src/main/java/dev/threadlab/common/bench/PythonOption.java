package dev.threadlab.common.bench;

import dev.threadlab.common.cli.Cli;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Whether and with which Python a benchmark also runs the module's Python original, one option
 * spelt the same in every module: {@code --python auto} (the default: the {@code python3} on the
 * {@code PATH}, Java rows only without one), {@code --python skip} (Java rows only), or
 * {@code --python <command>} ({@code python3.12}, {@code /usr/bin/python3}). Add it with picocli's
 * {@code @Mixin PythonOption python;} next to {@link Repetitions}, and call {@link #validate()}
 * first.
 */
public final class PythonOption {

    /** The value that leaves the CPython rows out. */
    public static final String SKIP = "skip";

    /** The default: the {@code python3} on the {@code PATH}, if any. */
    public static final String AUTO = "auto";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec benchmark;

    @Option(
            names = "--python",
            defaultValue = AUTO,
            paramLabel = "auto|skip|<command>",
            description = "auto: also run the Python original with the python3 on the PATH (Java rows only without"
                    + " one); skip: Java rows only; or the Python to run, e.g. python3.12 (default ${DEFAULT-VALUE})")
    private String python = AUTO;

    private Optional<Path> found = Optional.empty();

    /**
     * Finds the Python asked for.
     *
     * @throws picocli.CommandLine.ParameterException (usage, exit 2) for a command given by name
     *                                                 or path that does not exist
     */
    public void validate() {
        if (python.equals(SKIP)) {
            found = Optional.empty();
        } else if (python.equals(AUTO)) {
            found = onPath("python3");
        } else {
            found = python.contains(File.separator) ? executable(Path.of(python)) : onPath(python);
            Cli.require(
                    benchmark,
                    found.isPresent(),
                    "--python %s: no such program%s; give auto, skip or a Python's path",
                    python,
                    python.contains(File.separator) ? "" : " on the PATH");
        }
    }

    /** @return the Python to run (after {@link #validate()}); empty: Java rows only */
    public Optional<Path> python() {
        return found;
    }

    /** @return true if the learner asked for Java rows only ({@code --python skip}) */
    public boolean skipped() {
        return python.equals(SKIP);
    }

    /** @return why there are no CPython rows, for the benchmark's header: "skipped (--python skip)" */
    public String whyNone() {
        return skipped() ? "skipped (--python skip)" : "no python3 on the PATH";
    }

    /** @return the option as given, for a command line that reproduces the run: "" for the default */
    public String asArgument() {
        return python.equals(AUTO) ? "" : " --python " + python;
    }

    /** @return {@code program} in the first folder of the {@code PATH} that has it, executable */
    public static Optional<Path> onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Optional.of(Path.of(dir, program));
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> executable(Path program) {
        return Files.isExecutable(program) ? Optional.of(program) : Optional.empty();
    }
}
