package dev.threadlab.common.instructor;

import dev.threadlab.common.cli.Cli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The instructor's commands, run by the launcher as {@code ./threadlab export …},
 * {@code ./threadlab grade-class …} and {@code ./threadlab grade …}:
 *
 * <pre>
 * java -cp common/target/classes:picocli.jar dev.threadlab.common.instructor.Instructor export --student DIR [--modules 03,04]
 * java -cp … dev.threadlab.common.instructor.Instructor grade-class SUBMISSIONS [--out DIR] [--time-limit 600s] …
 * java -cp … dev.threadlab.common.instructor.Instructor grade [SUBMISSION] [--results-json FILE]
 * </pre>
 *
 * Exit codes: 0 done (for {@code grade}: every exercise passed), 1 failed (for {@code grade}: some
 * exercise did not pass), 2 bad usage.
 */
@Command(
        name = "threadlab",
        mixinStandardHelpOptions = true,
        description = "threadlab's instructor commands: hand out a student edition, grade a class.",
        subcommands = {Instructor.Export.class, Instructor.GradeClass.class, Instructor.Grade.class})
public final class Instructor implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Cli.USAGE;
    }

    public static void main(String[] args) {
        Cli.exit(new Instructor(), args);
    }

    /** Options every command shares. */
    public static class CourseOption {
        @Option(
                names = "--course",
                paramLabel = "DIR",
                description = "the course's root folder (default: the one holding the current folder)")
        Path course;

        Course read(CommandSpec spec) {
            Path root = course != null ? course : Course.findRoot(Path.of("")).orElse(null);
            Cli.require(spec, root != null, "not inside the course: run from its folder, or give --course DIR");
            try {
                return Course.read(root);
            } catch (IllegalArgumentException e) {
                Cli.require(spec, false, "%s", e.getMessage());
                throw e;
            }
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = {
                "Writes the student edition: the course without its reference solutions.",
                "No solution package, no self-check or fixture that names or extends a reference; demos that"
                        + " ran the reference run the student's class. It builds green on the untouched stubs and"
                        + " grades with the same commands. The export fails, naming file and line, if reference text"
                        + " would remain."
            })
    public static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--student",
                required = true,
                paramLabel = "DIR",
                description = "the folder to write (new, empty, or an earlier export, which is replaced)")
        Path target;

        @Option(
                names = "--modules",
                split = ",",
                paramLabel = "NN",
                description = "the modules to include, e.g. 03,04 (default: all)")
        List<String> modules = List.of();

        @Mixin
        CourseOption courseOption;

        @Override
        public Integer call() {
            Course course = courseOption.read(spec);
            Cli.require(
                    spec,
                    !target.toAbsolutePath()
                            .normalize()
                            .startsWith(course.root().toAbsolutePath().normalize()),
                    "--student %s is inside the course; choose a folder outside it",
                    target);
            try {
                course.select(modules);
            } catch (IllegalArgumentException e) {
                Cli.require(spec, false, "--modules: %s", e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            try {
                StudentEdition.Result result = StudentEdition.export(course, target, modules);
                out.printf(
                        "student edition written to %s: modules %s, %d files (reference solutions, self-checks "
                                + "and fixtures left out; %d files adjusted)%n",
                        result.target(),
                        String.join(", ", result.modules()),
                        result.files(),
                        result.changed().size());
                return 0;
            } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
                spec.commandLine().getErr().println("export failed: " + e.getMessage());
                return 1;
            }
        }
    }

    /** Options shared by the grading commands. */
    public static class GradingOptions {
        @Option(
                names = "--modules",
                split = ",",
                paramLabel = "NN",
                description = "the modules to grade, e.g. 03,04 (default: all)")
        List<String> modules = List.of();

        @Option(
                names = "--time-limit",
                paramLabel = "DURATION",
                defaultValue = "10m",
                description = "wall time for grading one student, e.g. 90s, 10m (default: ${DEFAULT-VALUE})")
        String timeLimit;

        @Option(
                names = "--memory-mb",
                paramLabel = "MB",
                defaultValue = "768",
                description = "maximum heap of each JVM grading a student (default: ${DEFAULT-VALUE})")
        int memoryMb;

        @Option(
                names = "--max-output-mb",
                paramLabel = "MB",
                defaultValue = "16",
                description = "grading stops once a student's build prints more than this (default: ${DEFAULT-VALUE})")
        int maxOutputMb;

        StudentBuild.Limits limits(CommandSpec spec) {
            Duration time = parseDuration(spec, timeLimit);
            Cli.require(spec, memoryMb >= 128, "--memory-mb must be at least 128, was %d", memoryMb);
            Cli.require(spec, maxOutputMb >= 1, "--max-output-mb must be at least 1, was %d", maxOutputMb);
            return new StudentBuild.Limits(time, memoryMb, (long) maxOutputMb << 20);
        }
    }

    static Duration parseDuration(CommandSpec spec, String text) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h)?").matcher(text.strip());
        Cli.require(spec, m.matches(), "--time-limit '%s': expected a number with s, m or h, e.g. 90s or 10m", text);
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        Cli.require(spec, d.compareTo(Duration.ofSeconds(5)) >= 0, "--time-limit must be at least 5s, was %s", text);
        return d;
    }

    @Command(
            name = "grade-class",
            mixinStandardHelpOptions = true,
            description = {
                "Grades a whole class: every student in SUBMISSIONS, a report for the instructor.",
                "SUBMISSIONS holds one folder, git repository or .zip per student. Each is graded in its own JVMs"
                        + " with a time and memory bound, students in parallel up to the cores.",
                "Only each exercise's Your… class (and new files beside it) is taken from a submission; the specs,"
                        + " POMs and everything else come from this course's student edition.",
                "Writes OUT/grades.csv, OUT/report.html (opens with no server) and OUT/students/<id>/results.json."
            })
    public static final class GradeClass implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(
                index = "0",
                paramLabel = "SUBMISSIONS",
                description = "folder of submissions, one entry per student")
        Path submissions;

        @Option(
                names = "--out",
                paramLabel = "DIR",
                description = "where to write the report (default: SUBMISSIONS-graded)")
        Path out;

        @Option(
                names = "--jobs",
                paramLabel = "N",
                description = "students graded at once (default: the number of cores)")
        Integer jobs;

        @Option(names = "--keep-work", description = "keep each student's build folder (default: deleted once graded)")
        boolean keepWork;

        @Mixin
        CourseOption courseOption;

        @Mixin
        GradingOptions grading;

        @Override
        public Integer call() {
            Course course = courseOption.read(spec);
            Cli.require(
                    spec, java.nio.file.Files.isDirectory(submissions), "SUBMISSIONS %s is not a folder", submissions);
            try {
                course.select(grading.modules);
            } catch (IllegalArgumentException e) {
                Cli.require(spec, false, "--modules: %s", e.getMessage());
            }
            int parallel = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
            Cli.require(spec, parallel >= 1, "--jobs must be at least 1, was %d", parallel);
            Path report = out != null
                    ? out
                    : submissions
                            .toAbsolutePath()
                            .normalize()
                            .resolveSibling(
                                    submissions.toAbsolutePath().normalize().getFileName() + "-graded");
            Cli.require(
                    spec,
                    !report.toAbsolutePath()
                            .normalize()
                            .startsWith(submissions.toAbsolutePath().normalize()),
                    "--out %s is inside SUBMISSIONS: it would be taken for a student; choose a folder outside it",
                    report);
            PrintWriter console = spec.commandLine().getOut();
            try {
                ClassGrader.Summary summary = new ClassGrader(
                                course, grading.modules, grading.limits(spec), parallel, keepWork, console)
                        .gradeClass(submissions, report);
                console.printf(
                        "graded %d students in %.0f s: %s, %s%n",
                        summary.students().size(), summary.took().toMillis() / 1000.0, summary.csv(), summary.html());
                return 0;
            } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
                spec.commandLine().getErr().println("grade-class failed: " + e.getMessage());
                return 1;
            } catch (IOException e) {
                spec.commandLine().getErr().println("grade-class failed: " + e);
                return 1;
            }
        }
    }

    @Command(
            name = "grade",
            mixinStandardHelpOptions = true,
            description = {
                "Grades one submission (default: this course folder) and prints one line per exercise.",
                "Grades in child JVMs and can write exercism's results.json (version 3).",
                "Exit code: 0 when every exercise passed, 1 otherwise (what a CI or a classroom platform such as"
                        + " GitHub Classroom reads), 2 bad usage."
            })
    public static final class Grade implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(
                index = "0",
                arity = "0..1",
                paramLabel = "SUBMISSION",
                description = "a folder, git repository or .zip (default: the course folder)")
        Path submission;

        @Option(
                names = "--results-json",
                paramLabel = "FILE",
                description = "write exercism's results.json (version 3) here")
        Path resultsJson;

        @Option(
                names = "--out",
                paramLabel = "DIR",
                description = "keep the build log and reports here (default: a temporary folder)")
        Path out;

        @Mixin
        CourseOption courseOption;

        @Mixin
        GradingOptions grading;

        @Override
        public Integer call() {
            Course course = courseOption.read(spec);
            Path what = submission != null ? submission : course.root();
            Cli.require(spec, java.nio.file.Files.exists(what), "SUBMISSION %s does not exist", what);
            Cli.require(
                    spec,
                    out == null
                            || !out.toAbsolutePath()
                                    .normalize()
                                    .startsWith(course.root().toAbsolutePath().normalize()),
                    "--out %s is inside the course; choose a folder outside it",
                    out);
            try {
                course.select(grading.modules);
            } catch (IllegalArgumentException e) {
                Cli.require(spec, false, "--modules: %s", e.getMessage());
            }
            PrintWriter console = spec.commandLine().getOut();
            try {
                StudentResult result = new ClassGrader(course, grading.modules, grading.limits(spec), 1, false, console)
                        .gradeOne(what, out, resultsJson);
                console.print(result.summaryLines());
                return result.passed() ? 0 : 1;
            } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
                spec.commandLine().getErr().println("grade failed: " + e.getMessage());
                return 1;
            } catch (IOException e) {
                spec.commandLine().getErr().println("grade failed: " + e);
                return 1;
            }
        }
    }
}
