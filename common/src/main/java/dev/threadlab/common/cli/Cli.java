package dev.threadlab.common.cli;

import dev.threadlab.common.exercise.RuleWords;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Runs a demo's {@code main} through picocli, so every demo in the course handles its arguments
 * the same way: {@code --help} prints usage and exits 0; a bad option or value prints what is
 * wrong, in one line of plain words, and the usage, and exits {@value #USAGE}; a failure of the
 * demo itself exits 1.
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
 *
 * <p>What a learner sees for bad input, whatever the command ({@code --threads abc},
 * {@code --thread 3}, a misspelt subcommand):
 *
 * <pre>
 * invalid value for --threads: 'abc' (a whole number)
 * unknown option '--thread'. Did you mean '--threads'?
 * threadlab: unknown command 'chek'. Did you mean 'check'?
 * </pre>
 *
 * followed by the usage: the command's own, or, for a command with subcommands, a short one that
 * lists them, one line each.
 */
public final class Cli {

    /** Exit code for bad input (picocli's and the BSD {@code sysexits} convention of "usage"). */
    public static final int USAGE = 2;

    private Cli() {}

    /**
     * A failure the command explains in one line of its own (e.g. "threadlab: the build is
     * changing 01-basic-threads's classes: run again when it has finished"): {@link #execute}
     * prints that message alone, without a stack trace, and returns 1. Any other exception keeps
     * picocli's handling.
     */
    public static class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

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
        demoCommand(command.getClass()).ifPresent(commandLine::setCommandName);
        commandLine.setParameterExceptionHandler((problem, arguments) -> {
            CommandLine failed = problem.getCommandLine();
            String said = describe(problem);
            CommandLine root = failed;
            while (root.getParent() != null) {
                root = root.getParent();
            }
            if (root != failed && !said.startsWith(root.getCommandName() + ":")) {
                said = root.getCommandName() + ": " + said; // "threadlab: missing <exercise>"
            }
            failed.getErr().println(said);
            if (!failed.getSubcommands().isEmpty()) {
                failed.getErr().print(shortUsage(failed));
            } else if (root != failed) {
                failed.getErr().print(synopsis(failed)); // a command's command: its synopsis, not its help
            } else {
                failed.usage(failed.getErr());
            }
            failed.getErr().flush();
            return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
        commandLine.setExecutionExceptionHandler((problem, failed, parsed) -> {
            if (problem instanceof Failure) {
                failed.getErr().println(problem.getMessage());
                failed.getErr().flush();
                return 1;
            }
            throw problem;
        });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** A demo's class name, "Locks_05_Deadlock": its lesson number and its name. */
    private static final Pattern NUMBERED = Pattern.compile("[A-Za-z]+_(\\d\\d)_(\\w+)");

    /** A course module's folder: "03-locks". */
    private static final Pattern MODULE = Pattern.compile("(\\d\\d)-[a-z0-9-]+");

    /**
     * @return a demo's short name as the runner knows it: "deadlock" for {@code Locks_05_Deadlock},
     *         "io-benchmark" for {@code IoBenchmark}
     */
    public static String demoName(String simpleName) {
        Matcher numbered = NUMBERED.matcher(simpleName);
        return RuleWords.kebab(numbered.matches() ? numbered.group(2) : simpleName);
    }

    /**
     * @return a demo's lesson number, "05" for {@code Locks_05_Deadlock}, or "" if its name has none
     */
    public static String demoNumber(String simpleName) {
        Matcher numbered = NUMBERED.matcher(simpleName);
        return numbered.matches() ? numbered.group(1) : "";
    }

    /**
     * The name a demo's usage gives it: the command a learner types, {@code ./threadlab demo 03
     * deadlock}, whatever its {@code @Command(name)} says (the same whether it runs through the
     * runner, Maven's {@code -Pdemo} or an IDE).
     *
     * @return that command for a class compiled in a course module ({@code NN-name/target/classes}),
     *         empty for any other (the runner itself, common's commands, a test's)
     */
    static Optional<String> demoCommand(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Optional.empty();
            }
            return demoCommand(Path.of(source.getLocation().toURI()), type.getSimpleName());
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * @param classes where the class was loaded from, e.g. {@code /course/03-locks/target/classes}
     * @return {@code ./threadlab demo 03 deadlock}, or empty if {@code classes} is not a module's
     */
    static Optional<String> demoCommand(Path classes, String simpleName) {
        for (Path dir = classes; dir != null && dir.getParent() != null; dir = dir.getParent()) {
            Path module = dir.getParent();
            Matcher number = module.getFileName() == null
                    ? null
                    : MODULE.matcher(module.getFileName().toString());
            if (dir.getFileName().toString().equals("target") && number != null && number.matches()) {
                return Optional.of("./threadlab demo " + number.group(1) + " " + demoName(simpleName));
            }
        }
        return Optional.empty();
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

    /**
     * The problem in one line of plain words. picocli's own texts ("Unmatched arguments from index
     * 0", "'abc' is not a long") are reworded; a command's own message ({@link #require}) is kept.
     */
    static String describe(ParameterException problem) {
        CommandLine failed = problem.getCommandLine();
        if (problem instanceof CommandLine.UnmatchedArgumentException unmatched
                && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            String suggestion = didYouMean(unmatched.getSuggestions());
            if (first.startsWith("-")) {
                return "unknown option '" + first + "'." + suggestion;
            }
            if (!failed.getSubcommands().isEmpty()
                    && failed.getCommandSpec().positionalParameters().isEmpty()) {
                return failed.getCommandSpec().qualifiedName() + ": unknown command '" + first + "'." + suggestion;
            }
            return "unexpected argument '" + first + "'"
                    + (unmatched.getUnmatched().size() > 1 ? " (and more)" : "") + ": "
                    + failed.getCommandSpec().qualifiedName() + " takes no more arguments." + suggestion;
        }
        if (problem instanceof CommandLine.MissingParameterException missing) {
            String message = String.valueOf(problem.getMessage());
            List<ArgSpec> args = missing.getMissing();
            if (message.startsWith("Missing required parameter for option") && args.size() == 1) {
                return name(args.get(0)) + " needs a value (" + args.get(0).paramLabel() + ")";
            }
            return "missing "
                    + args.stream()
                            .map(a -> a.isOption() ? name(a) + " " + a.paramLabel() : a.paramLabel())
                            .collect(Collectors.joining(", "));
        }
        if (problem instanceof CommandLine.OverwrittenOptionException overwritten
                && overwritten.getOverwritten() != null) {
            return name(overwritten.getOverwritten()) + " is given twice; give it once";
        }
        if (problem.getCause() instanceof CommandLine.TypeConversionException conversion
                && problem.getArgSpec() != null) {
            ArgSpec arg = problem.getArgSpec();
            if (arg.converters() != null && arg.converters().length > 0) {
                return String.valueOf(conversion.getMessage()); // the command's own converter's words
            }
            return "invalid value for " + name(arg) + ": '" + problem.getValue() + "' (" + expected(arg) + ")";
        }
        return String.valueOf(problem.getMessage());
    }

    private static String didYouMean(List<String> suggestions) {
        if (suggestions == null || suggestions.isEmpty()) {
            return "";
        }
        List<String> quoted =
                suggestions.stream().distinct().limit(3).map(s -> "'" + s + "'").toList();
        String choices = quoted.size() == 1
                ? quoted.get(0)
                : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
        return " Did you mean " + choices + "?";
    }

    private static String name(ArgSpec arg) {
        return arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
    }

    /** @return what a value of the argument's type looks like, in words: "a whole number" */
    static String expected(ArgSpec arg) {
        Class<?> type = arg.type();
        if (type.isArray()) {
            type = type.getComponentType();
        } else if ((Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type))
                && arg.auxiliaryTypes().length > 0) {
            type = arg.auxiliaryTypes()[arg.auxiliaryTypes().length - 1];
        }
        if (type.isEnum()) {
            return "one of: "
                    + Arrays.stream(type.getEnumConstants())
                            .map(c -> ((Enum<?>) c).name())
                            .collect(Collectors.joining(", "));
        }
        if (List.of(int.class, long.class, short.class, byte.class, Integer.class, Long.class, Short.class)
                        .contains(type)
                || type == Byte.class
                || type == BigInteger.class) {
            return "a whole number";
        }
        if (List.of(double.class, float.class, Double.class, Float.class, BigDecimal.class)
                .contains(type)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return "a duration such as PT5S or PT1M";
        }
        if (type == Path.class || type == java.io.File.class) {
            return "a path";
        }
        if (type == char.class || type == Character.class) {
            return "one character";
        }
        return "a " + type.getSimpleName();
    }

    /** One command of a command, after bad input: its synopsis and where its help is. */
    static String synopsis(CommandLine command) {
        CommandLine.Help help = command.getHelp();
        String line = (help.synopsisHeading() + help.synopsis(help.synopsisHeadingLength())).stripTrailing();
        return line + "   (more: " + command.getCommandSpec().qualifiedName() + " --help)\n";
    }

    /**
     * A command with subcommands, after bad input: its synopsis and its commands, one line each
     * (the first line of each one's description), not the whole help.
     */
    static String shortUsage(CommandLine command) {
        String name = command.getCommandSpec().qualifiedName();
        StringBuilder out = new StringBuilder("Usage: ")
                .append(name)
                .append(" [<command>] [<arguments>]   (more: ")
                .append(name)
                .append(" --help)\n");
        Map<String, CommandLine> commands = command.getSubcommands();
        int width = commands.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        commands.forEach((commandName, sub) -> {
            if (sub.getCommandSpec().usageMessage().hidden()
                    || !sub.getCommandName().equals(commandName)) {
                return; // hidden, or an alias of a command already listed
            }
            String[] description = sub.getCommandSpec().usageMessage().description();
            out.append(String.format(
                    "  %-" + width + "s%s%n", commandName, description.length == 0 ? "" : description[0]));
        });
        return out.toString();
    }
}
