package dev.threadlab.common.instructor;

import dev.threadlab.common.instructor.Course.Exercise;
import dev.threadlab.common.instructor.ExerciseResult.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Grades submissions against the course's own student edition. For each student: take their learner
 * classes (see {@link Submission}), lay them over a fresh copy of the student edition (so the specs,
 * POMs and interfaces are the course's, whatever the submission holds), run the learner's grading
 * command in child processes ({@link StudentBuild}), and read each spec's report. Students run in
 * parallel, {@code jobs} at a time; one student's hang, loop, {@code System.exit}, flood of output
 * or compile error costs only their own slot.
 */
final class ClassGrader {

    /** Marker of a folder this tool writes reports into (so it may replace what is there). */
    static final String REPORT_MARKER = ".threadlab-class-report";
    /** Biggest Surefire report copied next to a student's results. */
    static final long REPORT_COPY_CAP = 8L << 20;

    private final Course course;
    private final List<String> modules;
    private final List<Exercise> exercises;
    private final StudentBuild.Limits limits;
    private final int jobs;
    private final boolean keepWork;
    private final PrintWriter console;
    /** The instructor's local Maven repository: every student's build reads plugins and libraries from it. */
    private final Path tail = StudentBuild.userRepository();

    /** What a class's grading produced. */
    record Summary(List<StudentResult> students, Path csv, Path html, Duration took, Duration gradingStudents) {}

    ClassGrader(
            Course course,
            List<String> modules,
            StudentBuild.Limits limits,
            int jobs,
            boolean keepWork,
            PrintWriter console) {
        this.course = course;
        this.modules = modules;
        this.exercises = course.select(modules).stream()
                .flatMap(m -> m.exercises().stream())
                .toList();
        this.limits = limits;
        this.jobs = jobs;
        this.keepWork = keepWork;
        this.console = console;
    }

    /** Grades every submission in {@code submissions}; writes grades.csv, report.html and each student's files to {@code out}. */
    Summary gradeClass(Path submissions, Path out) throws IOException {
        long start = System.nanoTime();
        List<Submission> students = Submission.in(submissions);
        if (students.isEmpty()) {
            throw new IllegalArgumentException(
                    submissions + " holds no submission (a folder, git repository or .zip per student)");
        }
        prepareOut(out);
        Path work = out.resolve("work");
        Path base = work.resolve(".base");
        StudentEdition.export(course, base, modules);
        prebuild(base, work);
        console.printf(
                "grading %d students, %d at a time, each within %d s and %d MB a JVM …%n",
                students.size(), jobs, limits.time().toSeconds(), limits.memoryMb());
        console.flush();
        List<StudentResult> results = new ArrayList<>();
        long studentsStart = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(
                jobs, Thread.ofPlatform().name("grader-", 1).factory());
        try {
            List<Future<StudentResult>> futures = new ArrayList<>();
            for (Submission student : students) {
                futures.add(pool.submit(() -> {
                    StudentResult r =
                            grade(student, base, work, out.resolve("students").resolve(student.id()));
                    synchronized (console) {
                        console.printf(
                                "  %-20s %d/%d passed  %4d s   %s%n",
                                r.id(),
                                r.exercisesPassed(),
                                r.exercises().size(),
                                r.took().toSeconds(),
                                String.join(
                                        " · ",
                                        r.exercises().stream()
                                                .map(e -> String.format(
                                                        "%02d %s",
                                                        e.exercise().taskId(),
                                                        e.verdict().word()))
                                                .toList()));
                        console.flush();
                    }
                    return r;
                }));
            }
            for (Future<StudentResult> future : futures) {
                results.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while grading", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("grading failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Duration gradingStudents = Duration.ofNanos(System.nanoTime() - studentsStart);
        if (!keepWork) {
            StudentEdition.deleteTree(work);
        }
        Path csv = out.resolve("grades.csv");
        Path html = out.resolve("report.html");
        Files.writeString(csv, ClassReport.csv(exercises, results));
        Files.writeString(html, ClassReport.html(exercises, results, limits));
        return new Summary(results, csv, html, Duration.ofNanos(System.nanoTime() - start), gradingStudents);
    }

    /**
     * Grades one submission.
     *
     * @param out         where to keep the log and reports, or null for a temporary folder (deleted)
     * @param resultsJson where to write results.json, or null
     */
    StudentResult gradeOne(Path submission, Path out, Path resultsJson) throws IOException {
        Path keep = out != null ? out : Files.createTempDirectory("threadlab-grade");
        try {
            prepareOut(keep);
            Path work = keep.resolve("work");
            Path base = work.resolve(".base");
            StudentEdition.export(course, base, modules);
            prebuild(base, work);
            StudentResult result = grade(Submission.of(submission), base, work, keep.resolve("student"));
            if (resultsJson != null) {
                Path parent = resultsJson.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(resultsJson, ResultsJson.of(result));
            }
            if (!keepWork) {
                StudentEdition.deleteTree(work);
            }
            return result;
        } finally {
            if (out == null) {
                StudentEdition.deleteTree(keep);
            }
        }
    }

    /**
     * Installs the student edition's root POM and {@code common} once, into a local repository of
     * their own ({@code work/.repo}, the instructor's repository behind it read-only), so that a
     * student's build compiles only their modules. It also proves the edition builds here, offline,
     * before any student is graded.
     *
     * @throws IllegalStateException with the build's last lines if it does not
     */
    private void prebuild(Path base, Path work) throws IOException {
        StudentBuild.Outcome outcome = StudentBuild.run(
                base,
                StudentBuild.prebuildArguments(work.resolve(".repo"), tail),
                new StudentBuild.Limits(Duration.ofMinutes(15), Math.max(limits.memoryMb(), 512), 16L << 20),
                work.resolve("prebuild.log"));
        if (outcome.exitCode() != 0) {
            String log = outcome.log();
            throw new IllegalStateException(
                    "the course's student edition does not build here (offline, with the local " + "Maven repository "
                            + tail + "); its log ends:\n" + log.substring(Math.max(0, log.length() - 4000)));
        }
        StudentEdition.deleteTree(base.resolve(".tmp"));
    }

    private static void prepareOut(Path out) throws IOException {
        if (Files.isDirectory(out)) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent() && !Files.exists(out.resolve(REPORT_MARKER))) {
                    throw new IllegalArgumentException(
                            out + " exists and holds something else than an earlier report: " + "choose another --out");
                }
            }
            StudentEdition.deleteTree(out.resolve("work"));
            StudentEdition.deleteTree(out.resolve("students"));
            StudentEdition.deleteTree(out.resolve("student"));
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve(REPORT_MARKER), "written by threadlab grade-class\n");
    }

    /** Grades one student in their own slot under {@code work}; their files end up in {@code dir}. */
    private StudentResult grade(Submission student, Path base, Path work, Path dir) throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(dir);
        Path slot = work.resolve(student.id());
        Submission.Taken taken;
        try {
            taken = student.take(exercises, base, Files.createDirectories(work.resolve(".scratch")));
        } catch (IOException | UncheckedIOException e) {
            taken = new Submission.Taken(
                    Map.of(), List.of("could not read the submission: " + e.getMessage()), java.util.Set.of());
        }
        copyTree(base, slot);
        copyTree(
                work.resolve(".repo"),
                slot.resolve(".repo")); // their own copy: nothing a student's code writes there outlives their slot
        for (Map.Entry<Path, byte[]> file : taken.files().entrySet()) {
            Path to = slot.resolve(file.getKey());
            Files.createDirectories(to.getParent());
            Files.write(to, file.getValue());
        }
        Files.writeString(dir.resolve("submission.txt"), describe(student, taken));

        List<String> toBuild = exercises.stream()
                .map(Exercise::module)
                .distinct()
                .filter(taken.submittedModules()::contains)
                .toList();
        StudentBuild.Outcome build = null;
        BuildLog log = null;
        if (!toBuild.isEmpty()) {
            build = StudentBuild.run(
                    slot,
                    StudentBuild.gradingArguments(toBuild, slot.resolve(".repo"), tail),
                    limits,
                    dir.resolve("build.log"));
            log = new BuildLog(build.log(), slot.toAbsolutePath().toString());
        }
        List<ExerciseResult> results = new ArrayList<>();
        for (Exercise exercise : exercises) {
            results.add(verdict(exercise, taken, slot, build, log, dir));
        }
        StudentResult result = new StudentResult(
                student.id(),
                student.source().toString(),
                results,
                taken.notes(),
                build,
                Duration.ofNanos(System.nanoTime() - start));
        Files.writeString(dir.resolve("results.json"), ResultsJson.of(result));
        if (!keepWork) {
            StudentEdition.deleteTree(slot);
        }
        return result;
    }

    private ExerciseResult verdict(
            Exercise exercise, Submission.Taken taken, Path slot, StudentBuild.Outcome build, BuildLog log, Path dir)
            throws IOException {
        if (!taken.files().containsKey(exercise.learnerFile())) {
            return ExerciseResult.without(
                    exercise,
                    Verdict.NOT_SUBMITTED,
                    "not submitted: no " + exercise.learnerSimpleName() + ".java in the submission",
                    "");
        }
        String module = exercise.module();
        var report = SurefireReports.reportOf(slot.resolve(module), exercise.spec());
        if (report.isPresent()) {
            if (Files.size(report.get()) <= REPORT_COPY_CAP) {
                Path reports = Files.createDirectories(dir.resolve("reports"));
                Files.copy(
                        report.get(), reports.resolve(report.get().getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                return ExerciseResult.fromRules(exercise, SurefireReports.rules(report.get(), exercise.rules()));
            } catch (IOException e) {
                if (!build.timedOut() && !build.tooMuchOutput()) {
                    return ExerciseResult.without(
                            exercise,
                            Verdict.ERROR,
                            "not graded: its report is unreadable (" + e.getMessage() + ")",
                            "");
                }
                // a report cut short by the kill: fall through to the reason for the kill
            }
        }
        if (log.compilationFailed(module)) {
            List<String> errors = log.compileErrors(module);
            String first = errors.isEmpty()
                    ? log.failedGoals(module).stream()
                            .filter(BuildLog.FailedGoal::compiler)
                            .findFirst()
                            .map(BuildLog.FailedGoal::message)
                            .orElse("compilation failure")
                    : errors.get(0);
            return ExerciseResult.without(
                    exercise,
                    Verdict.DOES_NOT_COMPILE,
                    "does not compile: " + ExerciseResult.firstLine(first),
                    String.join("\n", errors.stream().limit(30).toList()));
        }
        if (build.timedOut()) {
            return ExerciseResult.without(
                    exercise,
                    Verdict.TIMED_OUT,
                    "timed out: grading was stopped after " + limits.time().toSeconds()
                            + " s, before this exercise's report (a hang or an endless loop?)",
                    "");
        }
        if (build.tooMuchOutput()) {
            return ExerciseResult.without(
                    exercise,
                    Verdict.TOO_MUCH_OUTPUT,
                    "too much output: grading was stopped once " + "the build had printed more than "
                            + (limits.outputBytes() >> 20) + " MiB, before this exercise's report",
                    "");
        }
        if (log.testJvmStopped(module)) {
            return ExerciseResult.without(
                    exercise,
                    Verdict.CRASHED,
                    "the JVM running the rules stopped before reporting: "
                            + "the code called System.exit (or Runtime.halt), or the JVM crashed"
                            + (log.outOfMemory() ? " (the log shows an OutOfMemoryError)" : ""),
                    String.join(
                            "\n",
                            log.failedGoals(module).stream()
                                    .map(BuildLog.FailedGoal::message)
                                    .toList()));
        }
        List<BuildLog.FailedGoal> failed = log.failedGoals(module);
        return ExerciseResult.without(
                exercise,
                Verdict.ERROR,
                failed.isEmpty()
                        ? "not graded: the build wrote no report for " + exercise.specSimpleName() + " (exit "
                                + build.exitCode() + ")"
                        : "not graded: "
                                + ExerciseResult.firstLine(failed.get(0).message()),
                String.join(
                        "\n", failed.stream().map(BuildLog.FailedGoal::message).toList()));
    }

    private static String describe(Submission student, Submission.Taken taken) {
        StringBuilder out = new StringBuilder("submission: " + student.source() + "\ntaken for grading:\n");
        if (taken.files().isEmpty()) {
            out.append("  (nothing)\n");
        }
        taken.files()
                .forEach((path, bytes) -> out.append("  ")
                        .append(SourceTree.slashes(path))
                        .append(" (")
                        .append(bytes.length)
                        .append(" bytes)\n"));
        if (!taken.notes().isEmpty()) {
            out.append("notes:\n");
            taken.notes().forEach(n -> out.append("  ").append(n).append('\n'));
        }
        return out.toString();
    }

    /** Copies a tree, without build output ({@code target/}) or the prebuild's temporary folder. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path source : all.toList()) {
                String relative = SourceTree.slashes(from.relativize(source));
                if (relative.equals("target")
                        || relative.endsWith("/target")
                        || relative.contains("/target/")
                        || relative.startsWith("target/")
                        || relative.startsWith(".tmp")) {
                    continue;
                }
                Path target = to.resolve(relative);
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
