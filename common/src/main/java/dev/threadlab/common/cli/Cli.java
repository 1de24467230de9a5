package dev.threadlab.common.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Runs a demo's {@code main} through picocli, so every demo in the course handles its arguments
 * the same way: {@code --help} prints usage and exits 0; a bad option or value prints what is
 * wrong and the usage line and exits {@value #USAGE}; a failure of the demo itself exits 1.
 *
 * <pre>{@code
 * @Command(name = "basics-01", mixinStandardHelpOptions = true, description = "...")
 * final class Basics_01_PrintNumbers implements Callable<Integer> {
 *     @Spec CommandSpec spec;
 *     @Option(names = "--threads", defaultValue = "2") int threads;
 *     public Integer call() {
 *         Cli.require(spec, threads >= 1, "--threads must be at least 1, was %d", threads);
 *         ...
 *     }
 *     public static void main(String[] args) { Cli.exit(new Basics_01_PrintNumbers(), args); }
 * }
 * }</pre>
 */
public final class Cli {

    /** Exit code for bad input (picocli's and the BSD {@code sysexits} convention of "usage"). */
    public static final int USAGE = 2;

    private Cli() {}

    /** Parses {@code args} into {@code command}, runs it and exits the JVM with its exit code. */
    public static void exit(Object command, String... args) {
        System.exit(execute(command, args));
    }

    /** Like {@link #exit} but returns the exit code, writing to the process's stdout and stderr. */
    public static int execute(Object command, String... args) {
        return execute(command, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /**
     * Parses and runs {@code command}; for tests, with its own output and error writers.
     *
     * @return 0 on success, {@value #USAGE} on bad input, 1 if the command threw
     */
    public static int execute(Object command, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(command).setOut(out).setErr(err);
        commandLine.getCommandSpec().exitCodeOnInvalidInput(USAGE);
        if (commandLine.getCommandSpec().version().length == 0) { // -V of mixinStandardHelpOptions
            commandLine
                    .getCommandSpec()
                    .version("threadlab " + commandLine.getCommandName() + ", Java " + Runtime.version());
        }
        // Always the problem, then suggestions if any, then the usage (picocli's default handler
        // prints only the suggestions when it has some).
        commandLine.setParameterExceptionHandler((problem, arguments) -> {
            CommandLine failed = problem.getCommandLine();
            failed.getErr().println(problem.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(problem, failed.getErr());
            failed.usage(failed.getErr());
            return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Validates a value the annotations cannot (a range, a relation between two options).
     *
     * @throws ParameterException with the formatted message when {@code valid} is false; picocli
     *                            prints it with the usage and {@link #execute} returns {@value #USAGE}
     */
    public static void require(CommandSpec spec, boolean valid, String format, Object... values) {
        if (!valid) {
            throw new ParameterException(spec.commandLine(), String.format(format, values));
        }
    }
}
