package dev.threadlab.common.runner;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.runner.Course.Exercise;
import dev.threadlab.common.runner.Course.Module;
import dev.threadlab.common.runner.Demos.Demo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./threadlab}: one short command for everything a learner does. With no command: the
 * progress overview, then watch mode on the first unsolved exercise ({@link Watch}).
 */
@Command(
        name = "threadlab",
        mixinStandardHelpOptions = true,
        subcommands = {
            Threadlab.ListCommand.class,
            Threadlab.Check.class,
            Threadlab.Hint.class,
            Threadlab.DemoCommand.class,
            Threadlab.Reset.class,
            Threadlab.Solution.class,
            // the instructors' commands (common's instructor package): a student edition, a class graded, one copy
            // graded
            dev.threadlab.common.instructor.Instructor.Export.class,
            dev.threadlab.common.instructor.Instructor.GradeClass.class,
            dev.threadlab.common.instructor.Instructor.Grade.class
        },
        description = {
            "The threadlab course's runner. With no command: your progress, then watch mode on the first"
                    + " unsolved exercise (each save re-checks it; keys: h hint, l list, n next, q quit;"
                    + " without a terminal, or with --plain, type the letter then Enter).",
            "An exercise is named by its id (01.2), its class (fetch-all), or its module (01, basic-threads): then the"
                    + " module's first exercise not passed yet."
        },
        footer = {
            "",
            "Examples:",
            "  ./threadlab                          watch the first unsolved exercise",
            "  ./threadlab check 01.2               grade exercise 01.2 once",
            "  ./threadlab check 01                 grade module 01's first unsolved exercise",
            "  ./threadlab demo 03 deadlock --fix ordered"
        })
public final class Threadlab implements Callable<Integer> {

    /** Exit code of a failing or not started exercise (0 passed, {@value Cli#USAGE} bad usage). */
    public static final int FAILING = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--plain", description = "Plain lines, no keys or screen clearing (automatic without a terminal).")
    boolean plain;

    private final Course course;
    private final Progress progress;
    private Grader grader;

    public Threadlab(Course course) {
        this.course = course;
        this.progress = new Progress(course.root());
    }

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(Threadlab::leaveNothingBehind, "threadlab-cleanup"));
        Stop.onCtrlC();
        System.exit(Cli.execute(new Threadlab(Course.here()), args));
    }

    /** On any exit, Ctrl-C included: no child JVM (a demo, a spec's worker) outlives the runner. */
    static void leaveNothingBehind() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = out();
        Optional<Exercise> next = firstUnsolved();
        overview(out);
        if (next.isEmpty()) {
            out.println("Every exercise has passed. `./threadlab check <exercise>` grades one again.");
            return 0;
        }
        try (Grader g = grader();
                Watch watch = Watch.open(course, progress, g, plain)) {
            return watch.run(next.get());
        }
    }

    Grader grader() {
        if (grader == null) {
            grader = new Grader(course);
        }
        return grader;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    Optional<Exercise> firstUnsolved() {
        return course.exercises().stream().filter(e -> !progress.passed(e)).findFirst();
    }

    /**
     * When no exercise is named and every one has passed, there is nothing to do: say so, and how to
     * name one (exit 0, not a usage error).
     *
     * @param command the command that would have run, e.g. "check"
     * @return true if that was said
     */
    boolean everyExerciseHasPassed(String name, String command) {
        if (name != null || course.exercises().isEmpty() || firstUnsolved().isPresent()) {
            return false;
        }
        out().printf(
                        "Every exercise has passed (%d of %d). To %s one again, name it: ./threadlab %s %s%n",
                        course.exercises().size(),
                        course.exercises().size(),
                        command,
                        command,
                        course.exercises().get(0).id());
        out().flush();
        return true;
    }

    /** Resolves an exercise name, or the first unsolved one when none is given. */
    Exercise exercise(CommandSpec command, String name) {
        if (name == null) {
            if (course.exercises().isEmpty()) {
                throw new ParameterException(command.commandLine(), "no exercises found under " + course.root());
            }
            return firstUnsolved()
                    .orElseThrow(() -> new ParameterException(
                            command.commandLine(),
                            "every exercise has passed: name one (" + Lookup.names(course.exercises()) + ")"));
        }
        try {
            return Lookup.exercise(course, name, progress::passed);
        } catch (Lookup.UnknownName e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }

    void overview(PrintWriter out) {
        overview(out, course, progress);
    }

    /** The list with each exercise's state and a progress bar. */
    static void overview(PrintWriter out, Course course, Progress progress) {
        List<Exercise> all = course.exercises();
        long passed = all.stream().filter(progress::passed).count();
        out.printf("threadlab: %d of %d exercises passed  %s%n", passed, all.size(), bar(passed, all.size(), 24));
        int width = all.stream().mapToInt(e -> e.title().length()).max().orElse(0) + 3;
        for (Exercise e : all) {
            out.printf("  %-" + width + "s%s%n", e.title(), state(e, progress));
        }
        out.flush();
    }

    static String state(Exercise e, Progress progress) {
        Optional<Progress.Last> last = progress.last(e);
        if (last.isEmpty()) {
            return progress.passedOnce(e) ? "reset since it passed" : "not started";
        }
        String state = switch (last.get().state()) {
            case PASSED -> "passed (" + last.get().score() + " rules)";
            case FAILING -> "failing: " + last.get().score().replace("/", " of ") + " rules pass";
            case NOT_STARTED -> "not started";
            case DOES_NOT_COMPILE -> "does not compile";
        };
        try {
            if (Files.getLastModifiedTime(e.learnerSource()).toMillis()
                    > last.get().checkedAtMillis()) {
                state += "  (edited since the last check)";
            }
        } catch (IOException ignored) {
            // no file, no staleness to report
        }
        return state;
    }

    static String bar(long done, long total, int width) {
        int filled = total == 0 ? 0 : (int) (done * width / total);
        return "[" + "█".repeat(filled) + "░".repeat(width - filled) + "] " + (total == 0 ? 0 : done * 100 / total)
                + "%";
    }

    /** Grades once and prints the report: the one-line verdict, then what broke and what to do. */
    static void report(PrintWriter out, Verdict verdict, Course course) {
        report(out, verdict, course, false);
    }

    /** @param watching true in watch mode, where saving the file is what checks it again */
    static void report(PrintWriter out, Verdict verdict, Course course, boolean watching) {
        Exercise e = verdict.exercise();
        out.println(verdict.line());
        String details = verdict.details();
        if (!details.isEmpty()) {
            out.println();
            out.print(details);
        }
        Path source = course.root().relativize(e.learnerSource());
        switch (verdict.state()) {
            case PASSED -> out.printf("%nWell done. Compare with the reference: ./threadlab solution %s%n", e.id());
            case NOT_STARTED ->
                out.printf(
                        "%nEdit %s, then %s (stuck? %s)%n",
                        source,
                        watching ? "save it" : "./threadlab check " + e.id(),
                        watching ? "press h for a hint" : "./threadlab hint " + e.id());
            default ->
                out.printf(
                        "%nFix %s, then %s (stuck? %s)%n",
                        source,
                        watching ? "save it" : "check again",
                        watching ? "press h for a hint" : "./threadlab hint " + e.id());
        }
        out.flush();
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Every exercise with its state (from your last checks) and a progress bar.")
    static final class ListCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        Threadlab parent;

        @Override
        public Integer call() {
            parent.overview(parent.out());
            parent.firstUnsolved()
                    .ifPresent(e -> parent.out()
                            .printf("%nNext: ./threadlab check %s   (or ./threadlab to watch it)%n", e.id()));
            parent.out().flush();
            return 0;
        }
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = {
                "Grade an exercise once (default: the first unsolved).",
                "Exit code: 0 passed (or every exercise has passed and none is named), 1 failing or not started,"
                        + " 2 bad usage (e.g. an unknown exercise), 130 stopped with Ctrl-C."
            })
    static final class Check implements Callable<Integer> {
        @CommandLine.ParentCommand
        Threadlab parent;

        @Spec
        CommandSpec spec;

        @Parameters(
                arity = "0..1",
                paramLabel = "<exercise>",
                description = "e.g. 01.2, fetch-all, or 01 (its first unsolved)")
        String exercise;

        @Override
        public Integer call() {
            if (parent.everyExerciseHasPassed(exercise, "check")) {
                return 0;
            }
            Exercise e = parent.exercise(spec, exercise);
            Verdict verdict;
            try (Grader grader = parent.grader()) {
                verdict = grader.grade(e);
            }
            if (Stop.stopping()) {
                return Stop.EXIT; // Ctrl-C: the grading was ended, its verdict is not one
            }
            parent.progress.record(verdict);
            report(parent.out(), verdict, parent.course);
            return verdict.state() == Verdict.State.PASSED ? 0 : FAILING;
        }
    }

    @Command(
            name = "hint",
            mixinStandardHelpOptions = true,
            description = "The exercise's next hint, from a nudge to nearly the answer (remembered between runs).")
    static final class Hint implements Callable<Integer> {
        @CommandLine.ParentCommand
        Threadlab parent;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "<exercise>", description = "default: the first unsolved")
        String exercise;

        @Override
        public Integer call() {
            if (parent.everyExerciseHasPassed(exercise, "hint")) {
                return 0;
            }
            Exercise e = parent.exercise(spec, exercise);
            nextHint(parent.out(), parent.course, parent.progress, e, false);
            return 0;
        }
    }

    /**
     * Prints the next hint of {@code e} and remembers it was seen.
     *
     * @param watching true in watch mode, where the next hint is a key away
     */
    static void nextHint(PrintWriter out, Course course, Progress progress, Exercise e, boolean watching) {
        Hints hints = Hints.read(e.hints());
        if (hints.count() == 0) {
            out.println("no hints for " + e.title() + " (" + course.root().relativize(e.hints()) + " is missing)");
            out.flush();
            return;
        }
        int seen = progress.hintsSeen(e);
        int shown = Math.min(seen + 1, hints.count());
        String hint = hints.tiers().get(shown - 1);
        out.printf("Hint %d of %d (%s): %s%n", shown, hints.count(), e.title(), hint);
        if (shown == hints.count()) {
            out.printf(
                    "%nThat was the last hint (all of them: %s).%n",
                    course.root().relativize(e.hints()));
        } else {
            out.printf(
                    "%n(the next one, a step further: %s)%n",
                    watching ? "press h for the next hint" : "./threadlab hint " + e.id());
        }
        progress.hintsSeen(e, Math.max(seen, shown));
        out.flush();
    }

    @Command(
            name = "demo",
            mixinStandardHelpOptions = true,
            description = {
                "Run a module's demo (its own output and exit code); without a demo, list the module's demos.",
                "Without a module, list the modules."
            },
            modelTransformer = Threadlab.StopAtPositional.class)
    static final class DemoCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        Threadlab parent;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "<module>", description = "e.g. 03 or locks")
        String module;

        @Parameters(index = "1", arity = "0..1", paramLabel = "<demo>", description = "e.g. 05 or deadlock")
        String demo;

        @Parameters(
                index = "2..*",
                arity = "0..*",
                paramLabel = "<args>",
                description = "the demo's own arguments, e.g. --fix ordered")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws IOException, InterruptedException {
            if (module == null) {
                PrintWriter out = parent.out();
                out.println("The modules (their demos: ./threadlab demo <module>, e.g. ./threadlab demo 01):");
                out.print(parent.modules());
                out.flush();
                return 0;
            }
            Module m = parent.module(spec, module);
            List<Demo> demos = Demos.of(m);
            PrintWriter out = parent.out();
            if (demo == null) {
                out.printf(
                        "The demos of %s (run one: ./threadlab demo %s <demo> [its options]; --help after it shows them):%n",
                        m.name(), m.number());
                int width =
                        demos.stream().mapToInt(d -> d.name().length()).max().orElse(0) + 2;
                for (Demo d : demos) {
                    out.printf("  %-3s %-" + width + "s %s%n", d.number(), d.name(), d.description());
                }
                out.flush();
                return 0;
            }
            if (demo.startsWith("-")) {
                throw new ParameterException(
                        spec.commandLine(),
                        "name the demo before its options, e.g. ./threadlab demo "
                                + m.number() + " "
                                + (demos.isEmpty() ? "<demo>" : demos.get(0).name()) + " " + demo
                                + "\nIts demos: "
                                + demos.stream().map(Demo::name).collect(Collectors.joining(", ")));
            }
            Demo chosen = Demos.find(demos, demo).orElseThrow(() -> {
                List<String> close = Names.suggest(
                        demo, demos.stream().flatMap(d -> d.aliases().stream()).toList());
                return new ParameterException(
                        spec.commandLine(),
                        "no demo '" + demo + "' in " + m.name() + "."
                                + (close.isEmpty() ? "" : " Did you mean " + Names.quoted(close) + "?")
                                + "\nIts demos: "
                                + demos.stream()
                                        .map(d -> (d.number().isEmpty() ? "" : d.number() + " ") + d.name())
                                        .collect(Collectors.joining(", ")));
            });
            // The demo runs the learner's code when asked to (e.g. --solution yours): compile it first.
            List<Path> learnerFiles = parent.course.exercises(m).stream()
                    .map(Exercise::learnerSource)
                    .toList();
            Path scratch = m.scratch().resolve("demo");
            if (!learnerFiles.isEmpty()) {
                LearnerCompiler.Result compiled = new LearnerCompiler().compile(m, scratch, learnerFiles);
                if (!compiled.ok()) {
                    parent.spec
                            .commandLine()
                            .getErr()
                            .printf(
                                    "threadlab: your code in %s does not compile; the demo runs with the "
                                            + "version last built:%n%s%n",
                                    m.name(), compiled.errors().stripTrailing());
                    parent.spec.commandLine().getErr().flush();
                }
            }
            out.flush();
            Process process = new ProcessBuilder(Demos.command(m, scratch, chosen, args))
                    .inheritIO()
                    .start();
            return Stop.leaveCtrlCTo(process);
        }
    }

    /** Everything after the demo's name is the demo's own (its options included). */
    static final class StopAtPositional implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            command.parser().stopAtPositional(true);
            return command;
        }
    }

    Module module(CommandSpec command, String name) {
        String wanted = Names.squash(name);
        for (Module m : course.modules()) {
            if (List.of(m.number(), Integer.toString(Integer.parseInt(m.number())), m.name(), m.shortName()).stream()
                    .anyMatch(a -> Names.squash(a).equals(wanted))) {
                return m;
            }
        }
        List<Module> byPrefix = course.modules().stream()
                .filter(m -> wanted.length() >= 3 && Names.squash(m.shortName()).startsWith(wanted))
                .toList();
        if (byPrefix.size() == 1) {
            return byPrefix.get(0);
        }
        List<String> candidates = new ArrayList<>();
        course.modules().forEach(m -> candidates.addAll(List.of(m.number(), m.shortName())));
        List<String> close = Names.suggest(name, candidates);
        throw new ParameterException(
                command.commandLine(),
                "no module '" + name + "'."
                        + (close.isEmpty() ? "" : " Did you mean " + Names.quoted(close) + "?")
                        + " The modules are:\n"
                        + modules().stripTrailing());
    }

    /** @return the modules, one a line: "  01  basic-threads      Basic threads: start two, join two" */
    String modules() {
        int width = course.modules().stream()
                        .mapToInt(m -> m.shortName().length())
                        .max()
                        .orElse(0)
                + 2;
        StringBuilder out = new StringBuilder();
        for (Module m : course.modules()) {
            out.append(String.format("  %s  %-" + width + "s %s", m.number(), m.shortName(), m.title())
                            .stripTrailing())
                    .append('\n');
        }
        return out.toString();
    }

    @Command(
            name = "reset",
            mixinStandardHelpOptions = true,
            description = "Put the exercise's original stub back (your version is kept in a backup).")
    static final class Reset implements Callable<Integer> {
        @CommandLine.ParentCommand
        Threadlab parent;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<exercise>", description = "e.g. 01.2")
        String exercise;

        @Option(
                names = {"-y", "--yes"},
                description = "Do not ask for confirmation.")
        boolean yes;

        @Override
        public Integer call() throws IOException {
            Exercise e = parent.exercise(spec, exercise);
            PrintWriter out = parent.out();
            Path root = parent.course.root();
            Path file = e.learnerSource();
            Optional<Stub.Original> original = Stub.original(root, file);
            if (original.isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .printf(
                                "threadlab: cannot find the original %s: reset takes it from git,"
                                        + " the newest commit whose version still throws NotImplementedYet, and there is none"
                                        + " (is this a git clone of the course?)%n",
                                root.relativize(file));
                return FAILING;
            }
            String current = Files.readString(file, StandardCharsets.UTF_8);
            if (current.equals(original.get().text())) {
                out.printf(
                        "%s is already the original stub (as in git commit %s).%n",
                        root.relativize(file), original.get().commit());
                parent.progress.forgetVerdict(e);
                return 0;
            }
            if (!yes) {
                out.printf(
                        "Replace %s with the original stub (git commit %s)? Your version is kept as a backup. [y/N] ",
                        root.relativize(file), original.get().commit());
                out.flush();
                String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (answer == null
                        || !answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
                    out.println("Not reset (add --yes to skip the question).");
                    return FAILING;
                }
            }
            Path backup = parent.course
                    .cache()
                    .resolve("backup")
                    .resolve(file.getFileName() + "."
                            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            Files.createDirectories(backup.getParent());
            Files.writeString(backup, current, StandardCharsets.UTF_8);
            Files.writeString(file, original.get().text(), StandardCharsets.UTF_8);
            parent.progress.forgetVerdict(e);
            out.printf(
                    "Reset %s to the original stub (git commit %s). Your version: %s%n",
                    root.relativize(file), original.get().commit(), root.relativize(backup));
            return 0;
        }
    }

    @Command(
            name = "solution",
            mixinStandardHelpOptions = true,
            description = "Show the reference solution, once your exercise has passed (it stays available then).")
    static final class Solution implements Callable<Integer> {
        @CommandLine.ParentCommand
        Threadlab parent;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<exercise>", description = "e.g. 01.2")
        String exercise;

        @Override
        public Integer call() throws IOException {
            Exercise e = parent.exercise(spec, exercise);
            PrintWriter out = parent.out();
            if (!parent.progress.passedOnce(e)) {
                out.printf(
                        "The reference for %s is shown once your solution has passed: ./threadlab check %s%n"
                                + "(it stays available after that, even if a later check fails; stuck? ./threadlab"
                                + " hint %s)%n",
                        e.title(), e.id(), e.id());
                return FAILING;
            }
            Path source = e.referenceSource();
            Optional<Progress.Last> last = parent.progress.last(e);
            if (last.isEmpty()) {
                // reset since it passed: the record has no last check, only the pass
                out.printf(
                        "%s has passed before, so its reference stays available (your file was reset since:"
                                + " ./threadlab check %s grades it again).%n",
                        e.title(), e.id());
            } else if (last.get().state() != Verdict.State.PASSED) {
                out.printf(
                        "%s has passed before, so its reference stays available (your last check of it did not"
                                + " pass: ./threadlab check %s).%n",
                        e.title(), e.id());
            }
            out.printf("── %s (%s) ──%n", e.title(), parent.course.root().relativize(source));
            out.print(Files.readString(source, StandardCharsets.UTF_8));
            out.flush();
            return 0;
        }
    }

    /** Where {@code reset} finds the original stub: git. */
    static final class Stub {
        record Original(String commit, String text) {}

        private Stub() {}

        /**
         * @return the file as in the newest commit whose version still throws NotImplementedYet
         *         (the stub as the course shipped it, even if the learner committed their work since)
         */
        static Optional<Original> original(Path root, Path file) {
            String path = root.relativize(file).toString();
            List<String> commits =
                    git(root, "log", "--format=%h", "--", path).lines().toList();
            for (String commit : commits) {
                String text = git(root, "show", commit + ":" + path);
                if (text.contains("new NotImplementedYet(")) {
                    return Optional.of(new Original(commit, text));
                }
            }
            return Optional.empty();
        }

        private static String git(Path root, String... args) {
            List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
            command.addAll(List.of(args));
            try {
                Process git = new ProcessBuilder(command)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return git.waitFor() == 0 ? out : "";
            } catch (IOException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException("interrupted", e));
            }
        }
    }
}
