package dev.threadlab.common.instructor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A class of synthetic students for exercise 01 ({@code StartAndJoin.runAll}), one of each kind a
 * class grading must survive, handed in each way a class hands in: a zip, a folder, a git repository.
 */
final class SyntheticClass {

    private SyntheticClass() {}

    /** Who they are and what the report must say about them. */
    enum Student {
        SOLVED,
        UNTOUCHED,
        WRONG,
        HANGS,
        BROKEN,
        EXITS,
        FLOODS;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The reference solution of {@code exercise}, rewritten as the learner's class (what a solved submission holds). */
    static String referenceAsLearner(Course course, Course.Exercise exercise) throws IOException {
        String reference = exercise.reference().orElseThrow();
        Path source = course.root()
                .resolve(exercise.module())
                .resolve("src/main/java")
                .resolve(reference.replace('.', '/') + ".java");
        String referencePackage = reference.substring(0, reference.lastIndexOf('.'));
        return Files.readString(source)
                .replace("package " + referencePackage + ";", "package " + exercise.learnerPackage() + ";")
                .replace(reference.substring(reference.lastIndexOf('.') + 1), exercise.learnerSimpleName());
    }

    /** Writes the class into {@code submissions}; {@code scratch} is for building the zip and the repository. */
    static void write(Course course, Path submissions, Path scratch) throws IOException, InterruptedException {
        Course.Exercise e01 = course.exercises().get(0);
        String learner = SourceTree.slashes(e01.learnerFile());
        Files.createDirectories(submissions);

        // solved: a zip of a whole student edition, with the exercise done
        Path solved = scratch.resolve("solved-copy/threadlab-student");
        StudentEdition.export(course, solved, List.of(e01.module()));
        Files.writeString(solved.resolve(learner), referenceAsLearner(course, e01));
        zip(solved.getParent(), submissions.resolve("solved.zip"));

        // untouched: a whole student edition, as handed out
        StudentEdition.export(course, submissions.resolve("untouched"), List.of(e01.module()));

        // wrong: a git repository (bare, as a classroom's server keeps it) whose HEAD calls run() instead of start()
        Path clone = scratch.resolve("wrong-clone");
        write(clone, learner, """
                package dev.threadlab.basics.exercise;

                import dev.threadlab.common.output.Console;
                import java.util.ArrayList;
                import java.util.List;

                public final class YourStartAndJoin implements StartAndJoin {
                    @Override
                    public void runAll(int threads, Runnable task, Console console) throws InterruptedException {
                        if (threads < 1) {
                            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
                        }
                        List<Thread> workers = new ArrayList<>();
                        for (int n = 0; n < threads; n++) {
                            workers.add(new Thread(task));
                        }
                        for (Thread worker : workers) {
                            worker.run(); // a plain method call: no new thread
                        }
                        console.println("Threads completed.");
                    }
                }
                """);
        git(clone, "init", "-q");
        git(clone, "add", ".");
        git(clone, "-c", "user.name=wrong", "-c", "user.email=wrong@example.org", "commit", "-q", "-m", "done");
        git(
                scratch,
                "clone",
                "-q",
                "--bare",
                clone.toString(),
                submissions.resolve("wrong.git").toString());

        write(submissions.resolve("hangs"), learner, """
                package dev.threadlab.basics.exercise;

                import dev.threadlab.common.output.Console;
                import java.util.concurrent.CountDownLatch;

                public final class YourStartAndJoin implements StartAndJoin {
                    @Override
                    public void runAll(int threads, Runnable task, Console console) {
                        CountDownLatch never = new CountDownLatch(1);
                        while (true) {
                            try {
                                never.await();
                            } catch (InterruptedException e) {
                                // keep waiting: this one hangs whatever happens
                            }
                        }
                    }
                }
                """);
        write(submissions.resolve("broken"), learner, """
                package dev.threadlab.basics.exercise;

                import dev.threadlab.common.output.Console;

                public final class YourStartAndJoin implements StartAndJoin {
                    @Override
                    public void runAll(int threads, Runnable task, Console console) throws InterruptedException {
                        Thread worker = new Thread(task)
                        worker.start();
                    }
                }
                """);
        write(submissions.resolve("exits"), learner, """
                package dev.threadlab.basics.exercise;

                import dev.threadlab.common.output.Console;

                public final class YourStartAndJoin implements StartAndJoin {
                    @Override
                    public void runAll(int threads, Runnable task, Console console) {
                        System.exit(0);
                    }
                }
                """);
        write(submissions.resolve("floods"), learner, """
                package dev.threadlab.basics.exercise;

                import dev.threadlab.common.output.Console;

                public final class YourStartAndJoin implements StartAndJoin {
                    @Override
                    public void runAll(int threads, Runnable task, Console console) {
                        byte[] line = ("x".repeat(1023) + "\\n").getBytes();
                        for (int i = 0; i < 1024 * 1024; i++) { // 1 GiB
                            System.out.write(line, 0, line.length);
                        }
                        System.out.flush();
                    }
                }
                """);
    }

    private static void write(Path root, String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }

    private static void zip(Path folder, Path zip) throws IOException {
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file);
                Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(SourceTree.slashes(folder.relativize(p))));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = git.getInputStream().readAllBytes();
        if (!git.waitFor(60, TimeUnit.SECONDS) || git.exitValue() != 0) {
            git.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + new String(out));
        }
    }
}
