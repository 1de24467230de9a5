package dev.threadlab.common.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.threadlab.common.runner.Course.Exercise;
import java.io.File;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the runner as a learner does, on a small course built here (one module, 01-greeter,
 * whose exercise is to say hello): watch mode grades the untouched stub, the learner saves a
 * solution, the new verdict appears; {@code check} grades a file that does not compile, and one
 * that fails a rule, with the rule's message; hints come one at a time and are remembered.
 */
class WatchModeTest {

    private static final Map<String, String> MAIN = Map.of(
            "dev/threadlab/greeter/exercise/Greeter.java", """
                    package dev.threadlab.greeter.exercise;

                    public interface Greeter {
                        /** @return "Hello, <name>!" */
                        String greet(String name);
                    }
                    """,
            "dev/threadlab/greeter/exercise/YourGreeter.java", """
                    package dev.threadlab.greeter.exercise;

                    import dev.threadlab.common.exercise.NotImplementedYet;

                    public final class YourGreeter implements Greeter {
                        @Override
                        public String greet(String name) {
                            throw new NotImplementedYet("in YourGreeter.greet, say hello to name");
                        }
                    }
                    """,
            "dev/threadlab/greeter/solution/ReferenceGreeter.java", """
                    package dev.threadlab.greeter.solution;

                    public final class ReferenceGreeter implements dev.threadlab.greeter.exercise.Greeter {
                        @Override
                        public String greet(String name) {
                            return "Hello, " + name + "!";
                        }
                    }
                    """);

    private static final Map<String, String> TEST = Map.of(
            "dev/threadlab/greeter/exercise/GreeterSpec.java", """
                    package dev.threadlab.greeter.exercise;

                    import static org.junit.jupiter.api.Assertions.assertEquals;

                    import dev.threadlab.common.testsupport.GradedExercise;
                    import dev.threadlab.common.testsupport.Solution;
                    import org.junit.jupiter.api.Test;

                    @GradedExercise(value = "01 say hello", learner = YourGreeter.class,
                            reference = dev.threadlab.greeter.solution.ReferenceGreeter.class)
                    class GreeterSpec {
                        @Test
                        void greetsByName(@Solution Greeter greeter) {
                            assertEquals("Hello, Ada!", greeter.greet("Ada"), "greet(\\"Ada\\") should say hello to Ada");
                        }

                        @Test
                        void greetsAnyone(@Solution Greeter greeter) {
                            assertEquals("Hello, Bob!", greeter.greet("Bob"), "greet(\\"Bob\\") should say hello to Bob");
                        }
                    }
                    """);

    private static final String CORRECT = MAIN.get("dev/threadlab/greeter/exercise/YourGreeter.java")
            .replace("throw new NotImplementedYet(\"in YourGreeter.greet, say hello to name\");", "return \"Hello, \" + name + \"!\";");

    private Path root;
    private Course course;
    private Exercise exercise;

    @BeforeEach
    void buildASmallCourse() throws IOException {
        root = Files.createTempDirectory("threadlab-watch-");
        Path module = root.resolve("01-greeter");
        Files.createDirectories(module);
        Files.writeString(module.resolve("pom.xml"), "<project/>\n");
        Files.writeString(module.resolve("HINTS.md"), "# Hints\n\nintro\n\n## 1. Nudge\nconcatenate\n\n## 2. Nearly\nreturn \"Hello, \" + name + \"!\";\n");
        List<String> testClassPath = Arrays.stream(System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")).split(File.pathSeparator)).filter(e -> !e.isBlank()).toList();
        compile(module.resolve("src/main/java"), MAIN, module.resolve("target/classes"), testClassPath);
        List<String> withMain = new ArrayList<>(testClassPath);
        withMain.add(module.resolve("target/classes").toString());
        compile(module.resolve("src/test/java"), TEST, module.resolve("target/test-classes"), withMain);
        Path recorded = module.resolve("target/threadlab-runner");
        Files.createDirectories(recorded);
        List<String> classPath = new ArrayList<>(List.of(module.resolve("target/test-classes").toString(),
                module.resolve("target/classes").toString()));
        classPath.addAll(testClassPath);
        Files.writeString(recorded.resolve("class-path"), String.join("\n", classPath) + "\n");
        Files.writeString(recorded.resolve("jvm-args"), "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC\n");
        Files.writeString(recorded.resolve("release"), "21\n");
        course = new Course(root);
        assertThat(course.exercises()).as("the exercise is found from its @GradedExercise spec").hasSize(1);
        exercise = course.exercises().get(0);
    }

    @AfterEach
    void removeIt() {
        RunnerAgreement.delete(root);
    }

    @Test
    void aSaveInWatchModeBringsTheNewVerdict() throws Exception {
        StringWriter screen = new StringWriter();
        PrintWriter out = new PrintWriter(screen, true);
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys);
        Progress progress = new Progress(root);
        AtomicInteger exit = new AtomicInteger(-1);
        try (Grader grader = new Grader(course); Watch watch = Watch.plain(course, progress, grader, out, in, () -> { })) {
            Thread watching = Thread.ofPlatform().name("watch-mode").start(() -> {
                try {
                    exit.set(watch.run(exercise));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> screen.toString().contains("not started: not implemented yet"));

            Files.writeString(exercise.learnerSource(), CORRECT, StandardCharsets.UTF_8); // the learner saves
            await().atMost(Duration.ofSeconds(60)).until(() -> screen.toString().contains("passed (2/2 rules)"));
            assertThat(screen.toString()).contains("saved YourGreeter.java: checking");

            keys.write("h\n".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> screen.toString().contains("Hint 1 of 2"));
            keys.write("q\n".getBytes(StandardCharsets.UTF_8));
            keys.close();
            watching.join(Duration.ofSeconds(30));
            assertThat(watching.isAlive()).as("q ends watch mode").isFalse();
        }
        assertThat(exit.get()).isZero();
        assertThat(progress.passed(exercise)).as("the pass is remembered").isTrue();
        assertThat(new Progress(root).hintsSeen(exercise)).isEqualTo(1);
    }

    @Test
    void checkReportsACompileErrorAndABrokenRule() throws IOException {
        try (Grader grader = new Grader(course)) {
            Files.writeString(exercise.learnerSource(), CORRECT.replace("return", "retrun"), StandardCharsets.UTF_8);
            Verdict broken = grader.grade(exercise);
            assertThat(broken.state()).isEqualTo(Verdict.State.DOES_NOT_COMPILE);
            assertThat(broken.compileErrors()).contains("01-greeter/src/main/java/dev/threadlab/greeter/exercise/YourGreeter.java:8: ");

            Files.writeString(exercise.learnerSource(), CORRECT.replace("\"!\"", "\".\""), StandardCharsets.UTF_8);
            Verdict failing = grader.grade(exercise);
            assertThat(failing.state()).isEqualTo(Verdict.State.FAILING);
            assertThat(failing.score()).isEqualTo("0/2");
            assertThat(failing.line()).startsWith("01 say hello   FAILING (0/2 rules pass). First broken rule: greets ")
                    .contains(" should say hello to ");
            assertThat(failing.details()).contains("✗ greets by name", "greet(\"Ada\") should say hello to Ada",
                    "✗ greets anyone");
        }
    }

    @Test
    void unknownNamesGetSuggestions() {
        assertThat(Names.suggest("tellr", List.of("teller", "Teller", "supervisor"))).containsExactly("teller");
        assertThat(Names.kebab("StartAndJoin")).isEqualTo("start-and-join");
        assertThat(Names.words("theTaskRunsOnce(StartAndJoin)")).isEqualTo("the task runs once");
    }

    private static void compile(Path sources, Map<String, String> files, Path out, List<String> classPath) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("-d", out.toString(), "-classpath",
                String.join(File.pathSeparator, classPath), "-proc:none", "-nowarn"));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = sources.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
            arguments.add(path.toString());
        }
        Files.createDirectories(out);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, System.err, arguments.toArray(String[]::new))).as("the small course compiles").isZero();
    }
}
