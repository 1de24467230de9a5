package dev.threadlab.common.runner;

import dev.threadlab.common.runner.Course.Exercise;
import dev.threadlab.common.runner.Course.Module;
import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Grading;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Proves that {@code ./threadlab check} and the course's grading ({@link Grading}, what
 * {@code ./mvnw verify} runs) give the same verdict. For each implementation (a fixture, the
 * reference, the learner's stub), it plays a learner whose {@code Your…} file is that
 * implementation: the source is copied into a scratch course as the learner's class, compiled
 * and graded by the runner ({@link Grader}: the JDK compiler, then the spec in a grading JVM of
 * its own); and the same implementation is graded in-process by {@link Grading#grade}. Both must
 * agree on passed or not, and on how many rules passed.
 *
 * <p>Call it from a module's tests (the fixtures are there), working directory the module's own:
 * <pre>{@code RunnerAgreement.assertAgrees(StartAndJoinSpec.class, NoJoin.class, ReferenceStartAndJoin.class);}</pre>
 */
public final class RunnerAgreement {

    private RunnerAgreement() {}

    /** What each side said about one implementation. */
    public record Agreement(String implementation, String runner, String grading) {}

    /**
     * @throws AssertionError naming each implementation on which the two disagree
     * @return both verdicts of each implementation
     */
    public static List<Agreement> assertAgrees(Class<?> spec, Class<?>... implementations) {
        GradedExercise graded = spec.getAnnotation(GradedExercise.class);
        Path moduleDir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        Path root = temporaryRoot();
        try {
            Path copy = root.resolve(moduleDir.getFileName().toString());
            Module module = new Module(copy, root.resolve("target/threadlab-runner/classes").resolve(copy.getFileName().toString()));
            record(module);
            Exercise exercise = new Exercise(module, spec.getName(), graded.value(), graded.learner().getName(),
                    graded.reference().getName());
            List<Agreement> all = new ArrayList<>();
            List<String> disagreements = new ArrayList<>();
            try (Grader grader = new Grader(new Course(root))) {
                for (Class<?> implementation : implementations) {
                    Files.createDirectories(exercise.learnerSource().getParent());
                    Files.writeString(exercise.learnerSource(), asLearnerClass(moduleDir, implementation, graded.learner()),
                            StandardCharsets.UTF_8);
                    Verdict runner = grader.grade(exercise);
                    grader.standby(exercise); // the next grading JVM starts while this JVM grades in-process
                    Grading.Report report = Grading.grade(spec, implementation);
                    String runnerSays = (runner.state() == Verdict.State.PASSED ? "passed " : "not passed ") + runner.score();
                    long passed = report.outcomes().stream().filter(o -> o.status() == Grading.Status.PASSED).count();
                    String gradingSays = (report.passed() ? "passed " : "not passed ") + passed + "/" + report.outcomes().size();
                    all.add(new Agreement(implementation.getSimpleName(), runnerSays, gradingSays));
                    if (!runnerSays.equals(gradingSays)) {
                        disagreements.add(implementation.getSimpleName() + ": ./threadlab says " + runnerSays + " ("
                                + runner.summary() + "), the grading says " + gradingSays + "\n" + report);
                    }
                }
            }
            if (!disagreements.isEmpty()) {
                throw new AssertionError("./threadlab and the course's grading disagree:\n" + String.join("\n", disagreements));
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(root);
        }
    }

    /** What the build records for a module (see {@code RecordClasspath}), here from this test JVM. */
    private static void record(Module module) throws IOException {
        Path dir = module.dir().resolve("target/threadlab-runner");
        Files.createDirectories(dir);
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Files.writeString(dir.resolve("class-path"), Arrays.stream(classPath.split(File.pathSeparator))
                .filter(e -> !e.isBlank()).collect(Collectors.joining("\n")) + "\n");
        // The test JVM's own options are surefire's argLine for this module.
        String options = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(o -> o.startsWith("-XX:") || o.startsWith("-Xshare") || o.startsWith("--add-opens")
                        || o.startsWith("--enable-native-access") || o.startsWith("--sun-misc"))
                .collect(Collectors.joining(" "));
        Files.writeString(dir.resolve("jvm-args"), options + "\n");
        Files.writeString(dir.resolve("release"), "21\n");
    }

    /** The implementation's source, as the learner's class: same code, the learner's package and name. */
    static String asLearnerClass(Path moduleDir, Class<?> implementation, Class<?> learner) throws IOException {
        String relative = implementation.getName().replace('.', '/') + ".java";
        Path source = Stream.of("src/test/java", "src/main/java").map(d -> moduleDir.resolve(d).resolve(relative))
                .filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new IOException("no source for " + implementation.getName() + " under " + moduleDir));
        String text = Files.readString(source, StandardCharsets.UTF_8);
        return text.replaceFirst("(?m)^package [\\w.]+;", "package " + learner.getPackageName() + ";")
                .replaceAll("\\b" + implementation.getSimpleName() + "\\b", learner.getSimpleName());
    }

    private static Path temporaryRoot() {
        try {
            return Files.createTempDirectory("threadlab-runner-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
