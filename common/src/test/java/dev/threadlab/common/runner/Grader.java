package dev.threadlab.common.runner;

import dev.threadlab.common.runner.Course.Exercise;
import dev.threadlab.common.runner.Course.Module;
import dev.threadlab.common.testsupport.Grading;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Grades the learner's class of one exercise: compiles it in this JVM ({@link LearnerCompiler}),
 * then runs only that exercise's spec in a grading JVM of its own ({@link GradeMain}), set up as
 * surefire sets up the module's tests: the module's test class path with the learner's fresh
 * classes first, the module's test JVM options, the JDK the build found. A grading JVM is
 * disposable: a hanging solution is stopped by ending it, and nothing of one grading (a leaked
 * thread, a static field) can change the next.
 *
 * <p>Watch mode asks for a {@link #standby(Module) standby} grading JVM in advance: it has started
 * and loaded JUnit while the learner was editing, so a save costs the spec's own time.
 */
final class Grader implements AutoCloseable {

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final LearnerCompiler compiler = new LearnerCompiler();
    private final Path results;
    private final boolean inProcess;
    private Standby standby;
    private volatile Process running;
    private volatile boolean cancelled;

    /** A grading JVM started with {@code --standby}, waiting for the word to go. */
    private record Standby(Module module, String spec, Process process, Path results) {}

    Grader(Course course) {
        this(course, false);
    }

    /**
     * @param inProcess grade in this JVM, in a class loader of its own for each grading, instead of a
     *                  grading JVM: for the runner's tests only (no hang can be stopped, no standby)
     */
    Grader(Course course, boolean inProcess) {
        this.results = course.cache().resolve("results");
        this.inProcess = inProcess;
    }

    /** Starts a grading JVM for {@code exercise} now, to be used by the next {@link #grade}. */
    synchronized void standby(Exercise exercise) {
        if (inProcess) {
            return;
        }
        if (standby != null
                && standby.spec().equals(exercise.spec())
                && standby.process().isAlive()) {
            return;
        }
        dropStandby();
        Path file = resultsFile();
        standby = new Standby(exercise.module(), exercise.spec(), start(exercise, file, true), file);
    }

    /** Grades {@code exercise}; {@link #cancel()} from another thread ends it early (its verdict is then partial). */
    Verdict grade(Exercise exercise) {
        long start = System.nanoTime();
        cancelled = false;
        standby(exercise); // the grading JVM starts up while the compiler works
        LearnerCompiler.Result compiled = compiler.compile(exercise);
        if (!compiled.ok()) {
            dropStandby();
            return Verdict.doesNotCompile(exercise, compiled.errors(), Duration.ofNanos(System.nanoTime() - start));
        }
        if (cancelled) {
            return Verdict.graded(exercise, List.of(), Duration.ofNanos(System.nanoTime() - start));
        }
        if (inProcess) {
            return Verdict.graded(exercise, gradeHere(exercise), Duration.ofNanos(System.nanoTime() - start));
        }
        Process process;
        Path file;
        synchronized (this) {
            if (standby != null
                    && standby.spec().equals(exercise.spec())
                    && standby.process().isAlive()) {
                process = standby.process();
                file = standby.results();
                standby = null;
                try {
                    OutputStream go = process.getOutputStream();
                    go.write("go\n".getBytes(StandardCharsets.UTF_8));
                    go.flush();
                } catch (IOException e) {
                    process.destroyForcibly();
                    file = resultsFile();
                    process = start(exercise, file, false);
                }
            } else {
                dropStandby();
                file = resultsFile();
                process = start(exercise, file, false);
            }
            running = process;
        }
        try {
            if (process.waitFor() == Stop.EXIT && !cancelled) {
                Stop.now(); // Ctrl-C reached the grading JVM too (the same terminal): stop, print no verdict
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end(process);
        } finally {
            running = null;
        }
        List<Grading.Outcome> rules = read(file);
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale results file is harmless: each run has its own name
        }
        return Verdict.graded(exercise, rules, Duration.ofNanos(System.nanoTime() - start));
    }

    private List<Grading.Outcome> gradeHere(Exercise exercise) {
        Path file = resultsFile();
        List<Path> classPath = new ArrayList<>();
        classPath.add(exercise.scratch());
        classPath.addAll(exercise.module().classPath());
        try (ModuleLoader loader =
                new ModuleLoader(exercise.module().name(), classPath, Grader.class.getClassLoader())) {
            Files.createDirectories(results);
            GradeMain.gradeHere(file, exercise.spec(), Grading.LEARNER, loader);
            List<Grading.Outcome> outcomes = read(file);
            Files.deleteIfExists(file);
            return outcomes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the grading in progress, if any (a newer save makes its verdict pointless). */
    void cancel() {
        cancelled = true;
        Process process = running;
        if (process != null) {
            end(process);
        }
    }

    boolean wasCancelled() {
        return cancelled;
    }

    /**
     * Grades each of {@code what} ({@value Grading#GRADE_PROPERTY} values: a class name,
     * {@code learner}, {@code untouched-stub}) with the exercise's spec, all in ONE grading JVM
     * started as watch mode's standby and told to go, without compiling anything: how the runner's tests compare many
     * implementations with the in-process grading at the price of one JVM start.
     */
    List<List<Grading.Outcome>> gradeEach(Exercise exercise, List<String> what) {
        List<Path> files = new ArrayList<>();
        List<String> jobs = new ArrayList<>();
        for (String w : what) {
            Path file = resultsFile();
            files.add(file);
            jobs.add(file.toString());
            jobs.add(exercise.spec() + "@" + w);
        }
        Process process = start(exercise, jobs, true); // as watch mode does: warm up, then go
        try {
            OutputStream go = process.getOutputStream();
            go.write("go\n".getBytes(StandardCharsets.UTF_8));
            go.close();
            process.waitFor();
        } catch (IOException e) {
            end(process);
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end(process);
        }
        List<List<Grading.Outcome>> all = new ArrayList<>();
        for (Path file : files) {
            all.add(read(file));
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // harmless
            }
        }
        return all;
    }

    private Process start(Exercise exercise, Path file, boolean standby) {
        return start(exercise, List.of(file.toString(), exercise.spec()), standby);
    }

    private Process start(Exercise exercise, List<String> jobs, boolean standby) {
        Module module = exercise.module();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions(module));
        command.add("-cp");
        List<String> classPath = new ArrayList<>();
        classPath.add(exercise.scratch().toString());
        module.classPath().forEach(p -> classPath.add(p.toString()));
        command.add(String.join(File.pathSeparator, classPath));
        command.add(GradeMain.class.getName());
        if (standby) {
            command.add("--standby");
        }
        command.addAll(jobs);
        try {
            Files.createDirectories(results);
            Files.createDirectories(exercise.scratch());
            Process process = new ProcessBuilder(command)
                    .directory(module.dir().toFile())
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            if (!standby) {
                process.getOutputStream().close(); // the spec reads nothing
            }
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the grading JVM: " + String.join(" ", command), e);
        }
    }

    /**
     * The module's test JVM options as the build recorded them (surefire's argLine), plus, on
     * JDK 23+, leave to Lincheck's use of sun.misc.Unsafe (it would warn on every run otherwise).
     */
    static List<String> jvmOptions(Module module) {
        List<String> options = new ArrayList<>();
        try {
            String recorded = Files.readString(module.dir().resolve("target/threadlab-runner/jvm-args"))
                    .strip();
            if (!recorded.isEmpty()) {
                options.addAll(Arrays.asList(recorded.split("\\s+")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("run ./threadlab, which builds what is missing", e);
        }
        if (Runtime.version().feature() >= 23) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        return options;
    }

    /** Reads one results file of {@link GradeMain}; a missing END means the grading JVM was ended or crashed. */
    static List<Grading.Outcome> read(Path file) {
        List<Grading.Outcome> outcomes = new ArrayList<>();
        boolean ended = false;
        int planned = -1;
        List<String> lines;
        try {
            lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : lines) {
            String[] parts = line.split(" ");
            switch (parts[0]) {
                case "PLANNED" -> planned = Integer.parseInt(parts[1]);
                case "RULE" -> {
                    String test = GradeMain.decode(parts[2]);
                    Grading.Status status = Grading.Status.valueOf(parts[1]);
                    String message = parts.length > 3 ? GradeMain.decode(parts[3]) : "";
                    outcomes.add(
                            parts.length > 5
                                    ? new Grading.Outcome(
                                            test,
                                            status,
                                            message,
                                            GradeMain.decode(parts[4]),
                                            Integer.parseInt(parts[5]))
                                    : new Grading.Outcome(test, status, message));
                }
                case "ERROR" ->
                    outcomes.add(
                            new Grading.Outcome("the spec runs", Grading.Status.FAILED, GradeMain.decode(parts[1])));
                case "END" -> ended = true;
                default -> {}
            }
        }
        if (!ended) {
            int missing = Math.max(1, planned - outcomes.size());
            outcomes.add(new Grading.Outcome(
                    "the grading JVM finishes",
                    Grading.Status.FAILED,
                    "the grading stopped before its end (" + missing + " rule" + (missing == 1 ? "" : "s")
                            + " not run): it was ended (a newer save, Ctrl-C) or crashed; its output is above"));
        }
        return outcomes;
    }

    private Path resultsFile() {
        return results.resolve("results-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet() + ".txt");
    }

    private static void end(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void dropStandby() {
        if (standby != null) {
            end(standby.process());
            try {
                Files.deleteIfExists(standby.results());
            } catch (IOException ignored) {
                // harmless
            }
            standby = null;
        }
    }

    @Override
    public void close() {
        dropStandby();
        cancel();
    }
}
