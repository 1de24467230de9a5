package dev.threadlab.common.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.exercise.RuleWords;
import dev.threadlab.common.runner.Course.Exercise;
import dev.threadlab.common.testsupport.CliRun;
import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.SolutionResolver;
import java.io.File;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * Drives the runner as a learner does, on a small course built here once (one module,
 * 01-greeter, with two exercises: 01.1 say hello, 01.2 say goodbye), so that its tests cost one
 * grading JVM and no Maven (watch mode and check grade in this JVM; the agreement test starts the
 * one grading JVM, as watch mode's standby, and grades every implementation in it): watch mode grades the untouched stub, the learner saves a
 * solution, the new verdict appears; {@code check} grades a file that does not compile, and one
 * that fails a rule; the runner and the in-process grading agree on every implementation of the
 * small course (graded in one grading JVM); names find exercises; hints come one at a time and
 * are remembered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunnerTest {

    private static final String GREETER = "dev/threadlab/greeter/exercise/YourGreeter.java";
    private static final String FAREWELL = "dev/threadlab/greeter/exercise/YourFarewell.java";

    private static final Map<String, String> MAIN = Map.of(
            // A demo: the runner lists it as "wave"; its usage names it as the learner runs it.
            "dev/threadlab/greeter/Greeter_01_Wave.java",
            """
                    package dev.threadlab.greeter;

                    import dev.threadlab.common.cli.Cli;
                    import picocli.CommandLine.Command;
                    import picocli.CommandLine.Model.CommandSpec;
                    import picocli.CommandLine.Option;
                    import picocli.CommandLine.Spec;

                    @Command(name = "greeter-01", mixinStandardHelpOptions = true, description = "Waves.")
                    public final class Greeter_01_Wave implements java.util.concurrent.Callable<Integer> {
                        @Spec CommandSpec spec;

                        @Option(names = "--times", defaultValue = "1", description = "how often (1-3)")
                        int times;

                        @Override
                        public Integer call() {
                            Cli.require(spec, times >= 1 && times <= 3, "--times must be between 1 and 3, was %d", times);
                            spec.commandLine().getOut().println("wave ".repeat(times).strip());
                            return 0;
                        }

                        public static void main(String[] args) {
                            Cli.exit(new Greeter_01_Wave(), args);
                        }
                    }
                    """,
            "dev/threadlab/greeter/exercise/Greeter.java",
            """
                    package dev.threadlab.greeter.exercise;

                    public interface Greeter {
                        /** @return "Hello, <name>!" */
                        String greet(String name);
                    }
                    """,
            GREETER,
            """
                    package dev.threadlab.greeter.exercise;

                    import dev.threadlab.common.exercise.NotImplementedYet;

                    public final class YourGreeter implements Greeter {
                        @Override
                        public String greet(String name) {
                            throw new NotImplementedYet("in YourGreeter.greet, say hello to name");
                        }
                    }
                    """,
            "dev/threadlab/greeter/solution/ReferenceGreeter.java",
            """
                    package dev.threadlab.greeter.solution;

                    public final class ReferenceGreeter implements dev.threadlab.greeter.exercise.Greeter {
                        @Override
                        public String greet(String name) {
                            return "Hello, " + name + "!";
                        }
                    }
                    """,
            "dev/threadlab/greeter/exercise/Farewell.java",
            """
                    package dev.threadlab.greeter.exercise;

                    public interface Farewell {
                        /** @return "Bye, <name>." */
                        String bye(String name);
                    }
                    """,
            FAREWELL,
            """
                    package dev.threadlab.greeter.exercise;

                    import dev.threadlab.common.exercise.NotImplementedYet;

                    public final class YourFarewell implements Farewell {
                        @Override
                        public String bye(String name) {
                            throw new NotImplementedYet("in YourFarewell.bye, say goodbye to name");
                        }
                    }
                    """,
            "dev/threadlab/greeter/solution/ReferenceFarewell.java",
            """
                    package dev.threadlab.greeter.solution;

                    public final class ReferenceFarewell implements dev.threadlab.greeter.exercise.Farewell {
                        @Override
                        public String bye(String name) {
                            return "Bye, " + name + ".";
                        }
                    }
                    """);

    private static final Map<String, String> TEST = new LinkedHashMap<>(Map.of(
            "dev/threadlab/greeter/exercise/GreeterSpec.java", """
                    package dev.threadlab.greeter.exercise;

                    import static org.junit.jupiter.api.Assertions.assertEquals;

                    import dev.threadlab.common.testsupport.GradedExercise;
                    import dev.threadlab.common.testsupport.Solution;
                    import org.junit.jupiter.api.MethodOrderer;
                    import org.junit.jupiter.api.Order;
                    import org.junit.jupiter.api.Test;
                    import org.junit.jupiter.api.TestMethodOrder;

                    @GradedExercise(value = "01.1 say hello", learner = YourGreeter.class,
                            reference = dev.threadlab.greeter.solution.ReferenceGreeter.class)
                    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
                    class GreeterSpec {
                        @Test
                        @Order(1)
                        void greetsByName(@Solution Greeter greeter) {
                            assertEquals("Hello, Ada!", greeter.greet("Ada"), "greet(\\"Ada\\") should say hello to Ada");
                        }

                        @Test
                        @Order(2)
                        void greetsAnyone(@Solution Greeter greeter) {
                            assertEquals("Hello, Bob!", greeter.greet("Bob"), "greet(\\"Bob\\") should say hello to Bob");
                        }
                    }
                    """,
            "dev/threadlab/greeter/exercise/FarewellSpec.java", """
                    package dev.threadlab.greeter.exercise;

                    import static org.junit.jupiter.api.Assertions.assertEquals;

                    import dev.threadlab.common.testsupport.GradedExercise;
                    import dev.threadlab.common.testsupport.Solution;
                    import org.junit.jupiter.api.Test;

                    @GradedExercise(value = "01.2 say goodbye", learner = YourFarewell.class,
                            reference = dev.threadlab.greeter.solution.ReferenceFarewell.class)
                    class FarewellSpec {
                        @Test
                        void saysGoodbye(@Solution Farewell farewell) {
                            assertEquals("Bye, Ada.", farewell.bye("Ada"), "bye(\\"Ada\\") should say goodbye to Ada");
                        }
                    }
                    """,
            // Implementations of 01.1 the agreement test grades both ways: another correct idiom, a
            // wrong one (both rules fail precisely), one that breaks one rule only, one that hangs
            // (the harness's hang: the next rule is skipped).
            "dev/threadlab/greeter/exercise/fixtures/Formatted.java", """
                    package dev.threadlab.greeter.exercise.fixtures;

                    public final class Formatted implements dev.threadlab.greeter.exercise.Greeter {
                        public String greet(String name) {
                            return String.format("Hello, %s!", name);
                        }
                    }
                    """,
            "dev/threadlab/greeter/exercise/fixtures/Rude.java", """
                    package dev.threadlab.greeter.exercise.fixtures;

                    public final class Rude implements dev.threadlab.greeter.exercise.Greeter {
                        public String greet(String name) {
                            return "Hi, " + name;
                        }
                    }
                    """,
            "dev/threadlab/greeter/exercise/fixtures/OnlyAda.java", """
                    package dev.threadlab.greeter.exercise.fixtures;

                    public final class OnlyAda implements dev.threadlab.greeter.exercise.Greeter {
                        public String greet(String name) {
                            return "Hello, Ada!";
                        }
                    }
                    """,
            "dev/threadlab/greeter/exercise/fixtures/Stuck.java", """
                    package dev.threadlab.greeter.exercise.fixtures;

                    public final class Stuck implements dev.threadlab.greeter.exercise.Greeter {
                        public String greet(String name) {
                            throw new dev.threadlab.common.testsupport.SolutionHung("greet(\\"" + name + "\\") did not return");
                        }
                    }
                    """,
            // For the proof over the course (RunnerAgreement.gradeBothWays): a fixture that needs a
            // package-private helper of its package (moved beside the learner's file with it), and
            // one marked as hanging everywhere (left out).
            "dev/threadlab/greeter/exercise/fixtures/WithAHelper.java", """
                    package dev.threadlab.greeter.exercise.fixtures;

                    public final class WithAHelper implements dev.threadlab.greeter.exercise.Greeter {
                        public String greet(String name) {
                            return Salutation.of(name);
                        }
                    }
                    """,
            "dev/threadlab/greeter/exercise/fixtures/Salutation.java", """
                    package dev.threadlab.greeter.exercise.fixtures;

                    final class Salutation {
                        static String of(String name) {
                            return "Hello, " + name + (name.equals("Bob") ? "." : "!");
                        }
                    }
                    """,
            "dev/threadlab/greeter/exercise/fixtures/Stalls.java", """
                    package dev.threadlab.greeter.exercise.fixtures;

                    @dev.threadlab.common.testsupport.HangsEverywhereOnPurpose
                    public final class Stalls implements dev.threadlab.greeter.exercise.Greeter {
                        public String greet(String name) {
                            throw new dev.threadlab.common.testsupport.SolutionHung("greet did not return");
                        }
                    }
                    """));

    private static final String CORRECT = MAIN.get(GREETER)
            .replace(
                    "throw new NotImplementedYet(\"in YourGreeter.greet, say hello to name\");",
                    "return \"Hello, \" + name + \"!\";");

    private Path root;
    private Path module;
    private Course course;
    private Exercise hello;
    private Exercise goodbye;

    @BeforeAll
    void buildASmallCourse() throws IOException {
        root = Files.createTempDirectory("threadlab-runner-test-");
        module = root.resolve("01-greeter");
        Files.createDirectories(module.resolve("hints"));
        Files.writeString(module.resolve("pom.xml"), "<project/>\n");
        Files.writeString(
                module.resolve("hints/01.1.md"),
                "# Hints: 01.1 say hello\n\nintro\n\n## 1. Nudge\nconcatenate\n\n## 2. Nearly\nreturn \"Hello, \" + name + \"!\";\n");
        // Named for the number the exercise had before it was renumbered: found by its topic.
        Files.writeString(
                module.resolve("hints/01.7.md"),
                "# Hints: 01.7 say goodbye\n\n## Hint 1: a nudge\nsay Bye\n\n## Hint 2: more\n.\n\n## Hint 3: most\n..\n");
        List<String> testClassPath = Arrays.stream(
                        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                                .split(File.pathSeparator))
                .filter(e -> !e.isBlank())
                .toList();
        Map<Path, String> files = new LinkedHashMap<>();
        MAIN.forEach((k, v) -> files.put(module.resolve("src/main/java").resolve(k), v));
        TEST.forEach((k, v) -> files.put(module.resolve("src/test/java").resolve(k), v));
        compile(files, module.resolve("target/classes"), module.resolve("target/test-classes"), testClassPath);
        Path recorded = module.resolve("target/threadlab-runner");
        Files.createDirectories(recorded);
        List<String> classPath = new ArrayList<>(List.of(
                module.resolve("target/test-classes").toString(),
                module.resolve("target/classes").toString()));
        classPath.addAll(testClassPath);
        Files.writeString(recorded.resolve("class-path"), String.join("\n", classPath) + "\n");
        Files.writeString(recorded.resolve("jvm-args"), "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto\n");
        Files.writeString(recorded.resolve("release"), "21\n");
        course = new Course(root);
        assertThat(course.exercises())
                .as("the exercises are found from their @GradedExercise specs, in id order")
                .extracting(Exercise::id)
                .containsExactly("01.1", "01.2");
        hello = course.exercises().get(0);
        goodbye = course.exercises().get(1);
    }

    @BeforeEach
    void untouched() throws IOException {
        Files.writeString(hello.learnerSource(), MAIN.get(GREETER), StandardCharsets.UTF_8);
        Files.writeString(goodbye.learnerSource(), MAIN.get(FAREWELL), StandardCharsets.UTF_8);
        Files.deleteIfExists(root.resolve(Progress.FILE));
    }

    @AfterAll
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
        try (Grader grader = new Grader(course, true);
                Watch watch = Watch.plain(course, progress, grader, out, in, () -> {})) {
            Thread watching = Thread.ofPlatform().name("watch-mode").start(() -> {
                try {
                    exit.set(watch.run(hello));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> screen.toString().contains("not started: in YourGreeter.greet"));

            Files.writeString(hello.learnerSource(), CORRECT, StandardCharsets.UTF_8); // the learner saves
            await().atMost(Duration.ofSeconds(60)).until(() -> screen.toString().contains("passed (2/2 rules)"));
            assertThat(screen.toString())
                    .contains("saved YourGreeter.java: checking", "01.1 say hello   passed (2/2 rules)");

            keys.write("h\n".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> screen.toString().contains("Hint 1 of 2"));
            assertThat(screen.toString())
                    .as("the tier's title once; in watch mode the next hint is a key away")
                    .contains("Hint 1 of 2 (01.1 say hello): Nudge\nconcatenate\n")
                    .contains("(the next one, a step further: press h for the next hint)");
            keys.write("q\n".getBytes(StandardCharsets.UTF_8));
            keys.close();
            watching.join(Duration.ofSeconds(30));
            assertThat(watching.isAlive()).as("q ends watch mode").isFalse();
        }
        assertThat(exit.get()).isZero();
        assertThat(progress.passed(hello)).as("the pass is remembered").isTrue();
        assertThat(new Progress(root).hintsSeen(hello)).isEqualTo(1);
        assertThat(Lookup.exercise(course, "01", new Progress(root)::passed))
                .as("a module means its first unsolved exercise")
                .isEqualTo(goodbye);
    }

    @Test
    void checkReportsACompileErrorAndABrokenRule() throws IOException {
        try (Grader grader = new Grader(course, true)) {
            Files.writeString(hello.learnerSource(), CORRECT.replace("return", "retrun"), StandardCharsets.UTF_8);
            Verdict broken = grader.grade(hello);
            assertThat(broken.state()).isEqualTo(Verdict.State.DOES_NOT_COMPILE);
            assertThat(broken.compileErrors())
                    .contains("01-greeter/src/main/java/dev/threadlab/greeter/exercise/YourGreeter.java:8: ");

            Files.writeString(hello.learnerSource(), CORRECT.replace("\"!\"", "\".\""), StandardCharsets.UTF_8);
            Verdict failing = grader.grade(hello);
            assertThat(failing.state()).isEqualTo(Verdict.State.FAILING);
            assertThat(failing.score()).isEqualTo("0/2");
            assertThat(failing.line())
                    .as("the rule in words, then its message")
                    .startsWith("01.1 say hello   FAILING (0/2 rules pass). Broken rule: greets by name — ")
                    .contains(" should say hello to Ada");
            assertThat(failing.details())
                    .as("the other broken rule with its message; the headline's message is not repeated")
                    .startsWith("Also broken:\n  ✗ greets anyone\n      greet(\"Bob\") should say hello to Bob")
                    .doesNotContain("Ada");
        }
    }

    @Test
    void rulesNotRunCountAmongTheSpecsRulesAndAreListedAsNotRunNotAsBroken() {
        List<Grading.Outcome> outcomes = List.of(
                new Grading.Outcome(
                        "greetsAnyone(Greeter)",
                        Grading.Status.SKIPPED,
                        SolutionResolver.SKIPPED_AFTER_HANG + " (greetsByName(Greeter)); fix that one first",
                        "greets anyone",
                        1),
                new Grading.Outcome(
                        "greetsByName(Greeter)",
                        Grading.Status.FAILED,
                        "hang: greetsByName(Greeter) timed out after 2 seconds; here is what the threads were doing:\n"
                                + "  \"main\" WAITING",
                        "greets by name",
                        0));
        Verdict verdict = Verdict.graded(hello, outcomes, Duration.ZERO);

        assertThat(verdict.line())
                .isEqualTo("01.1 say hello   FAILING (0/2 rules pass). A rule hung: greets by name — hang: "
                        + "greetsByName(Greeter) timed out after 2 seconds.");
        assertThat(verdict.details()).isEqualTo("""
                              here is what the threads were doing:
                                "main" WAITING

                        Not run (1 of 2 rules):
                          · greets anyone — not run (an earlier rule hung)
                        """);
    }

    @Test
    void aMessageSharedByManyBrokenRulesIsShownOnce() {
        String courseRule = "course rule: YourGreeter calls Thread.sleep; pause through a Sleeper";
        Verdict verdict = Verdict.graded(
                hello,
                List.of(
                        new Grading.Outcome(
                                "greetsAnyone(Greeter)", Grading.Status.FAILED, courseRule, "greets anyone", 1),
                        new Grading.Outcome(
                                "greetsByName(Greeter)", Grading.Status.FAILED, courseRule, "greets by name", 0)),
                Duration.ZERO);

        assertThat(verdict.line()).isEqualTo("01.1 say hello   FAILING (0/2 rules pass). " + courseRule);
        assertThat(verdict.details()).isEqualTo("Also broken:\n  ✗ greets anyone\n      (the same message as above)\n");
    }

    @Test
    void theRunnerAndTheGradingAgreeOnEveryImplementation() throws Exception {
        URL[] classes = {
            module.resolve("target/test-classes").toUri().toURL(),
            module.resolve("target/classes").toUri().toURL()
        };
        try (Grader grader = new Grader(course);
                URLClassLoader loader = new URLClassLoader(classes, getClass().getClassLoader())) {
            String fixtures = "dev.threadlab.greeter.exercise.fixtures.";
            List<RunnerAgreement.Agreement> agreements = RunnerAgreement.assertAgrees(
                    grader,
                    hello,
                    loader,
                    List.of(
                            hello.reference(),
                            hello.learner(),
                            fixtures + "Formatted",
                            fixtures + "Rude",
                            fixtures + "OnlyAda",
                            fixtures + "Stuck"));
            assertThat(agreements)
                    .extracting(RunnerAgreement.Agreement::runner)
                    .satisfiesExactly(
                            reference -> assertThat(reference).endsWith("| passed (2/2 rules)"),
                            stub -> assertThat(stub).endsWith("| not started: in YourGreeter.greet, say hello to name"),
                            formatted -> assertThat(formatted).endsWith("| passed (2/2 rules)"),
                            rude -> assertThat(rude)
                                    .contains("| FAILING (0/2 rules pass). Broken rule: greets by name — "),
                            onlyAda -> assertThat(onlyAda)
                                    .contains("| FAILING (1/2 rules pass). Broken rule: greets anyone — "),
                            stuck -> assertThat(stuck)
                                    .contains(
                                            "greetsAnyone(Greeter)=SKIPPED",
                                            "| FAILING (0/2 rules pass). A rule hung: "));
        }
    }

    /**
     * The always-on part of the proof over the real course ({@link RunnerAgreement.OverTheModule},
     * on demand): on this small course, with the runner's side graded in this JVM, every
     * implementation is found (the marked one left out), becomes the learner's file (moved, renamed,
     * with its package-private helper), is compiled by the runner's compiler and graded as the
     * learner's class, and gets the grading's verdict.
     */
    @Test
    void theProofOverTheCourseFindsEveryFixtureAndGradesItAsTheLearnersFile() throws Throwable {
        URL[] classes = {
            module.resolve("target/test-classes").toUri().toURL(),
            module.resolve("target/classes").toUri().toURL()
        };
        try (URLClassLoader loader = new URLClassLoader(classes, getClass().getClassLoader())) {
            java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
            List<org.junit.jupiter.api.DynamicTest> proof = RunnerAgreement.gradeBothWays(
                    course.module("01-greeter").orElseThrow(),
                    loader,
                    true,
                    new java.io.PrintStream(log, true, StandardCharsets.UTF_8));
            assertThat(proof)
                    .extracting(org.junit.jupiter.api.DynamicTest::getDisplayName)
                    .containsExactly(
                            "01.1 exercise.YourGreeter (the learner's file as it is)",
                            "01.1 solution.ReferenceGreeter",
                            "01.1 exercise.fixtures.Formatted",
                            "01.1 exercise.fixtures.OnlyAda",
                            "01.1 exercise.fixtures.Rude",
                            "01.1 exercise.fixtures.Stuck",
                            "01.1 exercise.fixtures.WithAHelper",
                            "01.2 exercise.YourFarewell (the learner's file as it is)",
                            "01.2 solution.ReferenceFarewell");
            for (org.junit.jupiter.api.DynamicTest agreement : proof) {
                agreement.getExecutable().execute();
            }
            assertThat(log.toString(StandardCharsets.UTF_8))
                    .contains(
                            "01.1 exercise.fixtures.WithAHelper: both FAILING (1/2 rules pass). Broken rule: greets anyone",
                            "9 implementations graded by ./threadlab check and by the grading in ",
                            "9 agree, 0 disagree, 0 change from one grading to the next");
        }
    }

    @Test
    void namesFindExercisesAndHints() {
        Progress progress = new Progress(root);
        for (String name : List.of("01.2", "1.2", "01.7", "farewell", "YourFarewell", "FAREWELL", "farew")) {
            assertThat(Lookup.exercise(course, name, progress::passed)).as(name).isEqualTo(goodbye);
        }
        for (String name : List.of("01", "1", "greeter", "01-greeter")) {
            assertThat(Lookup.exercise(course, name, progress::passed))
                    .as(name + ": the module's first unsolved")
                    .isEqualTo(hello);
        }
        assertThatThrownBy(() -> Lookup.exercise(course, "grreter", progress::passed))
                .isInstanceOf(Lookup.UnknownName.class)
                .hasMessageContaining("Did you mean 01.1 (greeter)?")
                .hasMessageContaining("The exercises: 01.1 (greeter), 01.2 (farewell)");
        assertThatThrownBy(() -> Lookup.exercise(course, "01.3", progress::passed))
                .isInstanceOf(Lookup.UnknownName.class);
        assertThat(Hints.read(hello.hints()).count()).isEqualTo(2);
        assertThat(goodbye.hints()).as("found by its topic").hasFileName("01.7.md");
        assertThat(Hints.read(goodbye.hints()).count()).isEqualTo(3);
        assertThat(Names.suggest("tellr", List.of("teller", "Teller", "supervisor")))
                .containsExactly("teller");
        assertThat(Names.suggest("pritn", List.of("print-numbers", "io-bound"))).containsExactly("print-numbers");
        assertThat(Names.kebab("StartAndJoin")).isEqualTo("start-and-join");
        assertThat(RuleWords.of("theTaskRunsOnce(StartAndJoin)")).isEqualTo("the task runs once");
        assertThat(RuleWords.of("1. Every record is in the file after close()"))
                .isEqualTo("1. Every record is in the file after close()");
        assertThat(List.of("02", "01.10", "01.2", "01.1").stream()
                        .sorted(Course.ID_ORDER)
                        .toList())
                .containsExactly("01.1", "01.2", "01.10", "02");
    }

    @Test
    void aMisspeltCommandGetsOneLineASuggestionAndTheCommandsOneLineEach() {
        CliRun run = CliRun.of(new Threadlab(course), "chek", "01.1");

        assertThat(run.exitCode()).isEqualTo(Cli.USAGE);
        List<String> lines = run.err().lines().toList();
        assertThat(lines.get(0)).isEqualTo("threadlab: unknown command 'chek'. Did you mean 'check'?");
        assertThat(lines.get(1)).startsWith("Usage: threadlab ");
        assertThat(lines.subList(2, lines.size()))
                .as("each command on one line")
                .hasSize(new CommandLine(new Threadlab(course)).getSubcommands().size())
                .allSatisfy(line -> assertThat(line).matches("  [a-z-]+ +[A-Z].*\\."));
        assertThat(run.err()).doesNotContain("Unmatched", "Examples");
    }

    @Test
    void theHelpGivesEveryCommandAWholeSentenceAndCheckItsExitCodes() {
        new CommandLine(new Threadlab(course))
                .getSubcommands()
                .forEach((name, command) -> assertThat(
                                command.getCommandSpec().usageMessage().description()[0])
                        .as("%s's first description line, all the command list shows of it", name)
                        .endsWith("."));

        CliRun help = CliRun.of(new Threadlab(course), "check", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out().replaceAll("\\s+", " ")).contains("0 passed", "1 failing or not started", "2 bad usage");
    }

    @Test
    void demoWithoutAModuleListsTheModulesAndAnUnknownModuleListsThemInstead() {
        CliRun modules = CliRun.of(new Threadlab(course), "demo");
        assertThat(modules.exitCode()).isZero();
        assertThat(modules.out()).contains("\n  01  greeter\n");

        CliRun unknown = CliRun.of(new Threadlab(course), "demo", "99");
        assertThat(unknown.exitCode()).isEqualTo(Cli.USAGE);
        assertThat(unknown.err())
                .as("a number is not a misspelt number: no suggestion, the list")
                .startsWith("threadlab: no module '99'. The modules are:\n  01  greeter\n")
                .doesNotContain("Did you mean");
    }

    private static final Map<String, String> SYNOPSIS = Map.of(
            "check",
            "[-hV] [<exercise>]",
            "hint",
            "[-hV] [<exercise>]",
            "reset",
            "[-hVy] <exercise>",
            "solution",
            "[-hV] <exercise>");

    /** Issue 13: an unknown exercise, whatever the command: one line, the closest ids, that command's synopsis. */
    @Test
    void anUnknownExerciseIsNamedWithTheClosestIdsAndOnlyThatCommandsUsage() {
        for (String command : List.of("check", "hint", "reset", "solution")) {
            CliRun run = CliRun.of(new Threadlab(course), command, "nonsense");

            assertThat(run.exitCode()).as(command).isEqualTo(Cli.USAGE);
            assertThat(run.err().lines().toList())
                    .as(command)
                    .containsExactly(
                            "threadlab: unknown exercise 'nonsense'.",
                            "The exercises: 01.1 (greeter), 01.2 (farewell)",
                            "Usage: threadlab " + command + " " + SYNOPSIS.get(command) + "   (more: threadlab "
                                    + command + " --help)");
            assertThat(run.err())
                    .as(command)
                    .startsWith("threadlab: unknown exercise 'nonsense'.\n")
                    .contains("Usage: threadlab " + command + " ");
        }
        assertThat(CliRun.of(new Threadlab(course), "check", "farewlel").err())
                .startsWith("threadlab: unknown exercise 'farewlel'. Did you mean 01.2 (farewell)?\n");
        assertThat(CliRun.of(new Threadlab(course), "hint", "01.9").err())
                .as("an id of the module that does not exist: the module's ids")
                .startsWith("threadlab: unknown exercise '01.9'. Did you mean 01.1 (greeter) or 01.2 (farewell)?\n");
    }

    /** Issue 13: a demo's usage names it as the learner runs it, not by its class's picocli name. */
    @Test
    void aDemosUsageNamesItAsTheRunnerRunsIt() throws Exception {
        assertThat(Demos.of(course.module("01-greeter").orElseThrow()))
                .extracting(Demos.Demo::number, Demos.Demo::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("01", "wave"));
        URL[] classes = {module.resolve("target/classes").toUri().toURL()};
        try (URLClassLoader loader = new URLClassLoader(classes, getClass().getClassLoader())) {
            Object wave = loader.loadClass("dev.threadlab.greeter.Greeter_01_Wave")
                    .getConstructor()
                    .newInstance();

            CliRun bad = CliRun.of(wave, "--times", "9");

            assertThat(bad.exitCode()).isEqualTo(Cli.USAGE);
            assertThat(bad.err())
                    .startsWith("--times must be between 1 and 3, was 9\nUsage: ./threadlab demo 01 wave [-hV]")
                    .doesNotContain("greeter-01");
        }
    }

    /** Issue 13: a pass is remembered; a later failing check (or a reset) does not take the solution back. */
    @Test
    void theSolutionStaysAvailableOnceTheExerciseHasPassedEvenAfterAFailingCheck() {
        CliRun before = CliRun.of(new Threadlab(course), "solution", "01.1");
        assertThat(before.exitCode()).isEqualTo(Threadlab.FAILING);
        assertThat(before.out())
                .startsWith(
                        "The reference for 01.1 say hello is shown once your solution has passed: ./threadlab check 01.1\n")
                .contains("it stays available after that, even if a later check fails");

        Progress progress = new Progress(root);
        progress.record(
                Verdict.graded(hello, List.of(new Grading.Outcome("rule", Grading.Status.PASSED, "")), Duration.ZERO));
        progress.record(Verdict.graded(
                hello, List.of(new Grading.Outcome("rule", Grading.Status.FAILED, "broken")), Duration.ZERO));
        assertThat(new Progress(root).passed(hello)).as("the last check failed").isFalse();

        CliRun after = CliRun.of(new Threadlab(course), "solution", "01.1");
        assertThat(after.exitCode()).isZero();
        assertThat(after.out())
                .startsWith("01.1 say hello has passed before, so its reference stays available (your last check of"
                        + " it did not pass: ./threadlab check 01.1).\n── 01.1 say hello (")
                .contains("return \"Hello, \" + name + \"!\";");

        new Progress(root).forgetVerdict(hello); // what reset does
        assertThat(CliRun.of(new Threadlab(course), "solution", "01.1").exitCode())
                .as("after a reset too")
                .isZero();
    }

    /**
     * After a pass and a reset, the record says "passed once, no check since": the solution stays
     * available and nothing says the last check failed; the list says the exercise was reset.
     */
    @Test
    void afterAPassAndAResetTheSolutionStaysAvailableAndNothingContradictsTheRecord() {
        Progress progress = new Progress(root);
        progress.record(
                Verdict.graded(hello, List.of(new Grading.Outcome("rule", Grading.Status.PASSED, "")), Duration.ZERO));
        progress.forgetVerdict(hello); // what reset does

        CliRun solution = CliRun.of(new Threadlab(course), "solution", "01.1");

        assertThat(solution.exitCode()).isZero();
        assertThat(solution.out())
                .startsWith("01.1 say hello has passed before, so its reference stays available (your file was reset"
                        + " since: ./threadlab check 01.1 grades it again).\n── 01.1 say hello (")
                .doesNotContain("did not pass");
        assertThat(CliRun.of(new Threadlab(course), "list").out())
                .contains("01.1 say hello     reset since it passed\n")
                .doesNotContain("01.1 say hello     not started");
    }

    /** A file that does not compile: each compiler message is printed once (the line, then what follows it). */
    @Test
    void aCompileErrorIsPrintedOnce() throws IOException {
        Files.writeString(hello.learnerSource(), CORRECT.replace("return", "retrun"), StandardCharsets.UTF_8);
        Verdict verdict;
        try (Grader grader = new Grader(course, true)) {
            verdict = grader.grade(hello);
        }
        StringWriter printed = new StringWriter();
        Threadlab.report(new PrintWriter(printed), verdict, course);

        String first = verdict.compileErrors().lines().findFirst().orElseThrow();
        assertThat(first).contains("YourGreeter.java:8: ");
        for (String line : verdict.compileErrors().lines().toList()) {
            assertThat(occurrences(printed.toString(), line))
                    .as("'%s' as often as the compiler says it:%n%s", line, printed)
                    .isEqualTo(occurrences(verdict.compileErrors(), line));
        }
        assertThat(printed.toString())
                .startsWith("01.1 say hello   does not compile: " + first + "\n\n")
                .contains("retrun \"Hello, \"");
    }

    /**
     * {@code check 03.2} while Maven rebuilds module 01 ("YourFetchAll not present"): a spec whose
     * {@code learner} class is not (yet) in the other module's target/classes. Naming an exercise
     * reads its own module only; a command that needs every module says so in one line, exit 1.
     */
    @Test
    void anotherModuleBeingRebuiltIsNotReadAndOtherwiseSaidInOneLine() throws IOException {
        Path course2 = Files.createTempDirectory("threadlab-runner-test-rebuild-");
        try {
            Files.createSymbolicLink(course2.resolve("01-greeter"), module);
            Path rebuilding = course2.resolve("02-rebuilding");
            Files.createDirectories(rebuilding.resolve("target/classes")); // emptied by the build
            Files.writeString(rebuilding.resolve("pom.xml"), "<project/>\n");
            Path spec = Path.of("dev/threadlab/greeter/exercise/GreeterSpec.class");
            Files.createDirectories(
                    rebuilding.resolve("target/test-classes").resolve(spec).getParent());
            Files.copy(
                    module.resolve("target/test-classes").resolve(spec),
                    rebuilding.resolve("target/test-classes").resolve(spec));
            Files.createDirectories(rebuilding.resolve("target/threadlab-runner"));
            Files.writeString(
                    rebuilding.resolve("target/threadlab-runner/class-path"),
                    rebuilding.resolve("target/test-classes") + "\n" + rebuilding.resolve("target/classes") + "\n");
            Course both = new Course(course2);

            CliRun hint = CliRun.of(new Threadlab(both), "hint", "01.1");
            assertThat(hint.err()).isEmpty();
            assertThat(hint.exitCode()).isZero();
            assertThat(hint.out()).startsWith("Hint 1 of 2 (01.1 say hello)");
            assertThat(CliRun.of(new Threadlab(both), "solution", "1.1").exitCode())
                    .as("the id's own module only")
                    .isEqualTo(Threadlab.FAILING);

            CliRun list = CliRun.of(new Threadlab(new Course(course2)), "list");
            assertThat(list.exitCode()).isEqualTo(Threadlab.FAILING);
            assertThat(list.err().lines().toList())
                    .containsExactly("threadlab: the build is changing 02-rebuilding's classes: run again when it has"
                            + " finished");
        } finally {
            RunnerAgreement.delete(course2);
        }
    }

    /**
     * Two runners at once (watch mode, a check in another terminal), each with the progress it read
     * when it started: every change reads the file again before it writes (under a file lock, so
     * that two writes cannot interleave), so none is lost. Shown by the interleaving itself, one
     * runner's save between the other's read and write, not by racing them.
     */
    @Test
    void twoRunnersAtOnceLoseNoneOfEachOthersProgress() throws Exception {
        Progress watching = new Progress(root);
        Progress checking = new Progress(root);
        watching.record(
                Verdict.graded(hello, List.of(new Grading.Outcome("rule", Grading.Status.PASSED, "")), Duration.ZERO));
        checking.record(Verdict.graded(
                goodbye, List.of(new Grading.Outcome("rule", Grading.Status.FAILED, "broken")), Duration.ZERO));
        checking.hintsSeen(goodbye, 1);
        assertThat(new Progress(root).passed(hello))
                .as("the other runner's pass, saved in between, is kept")
                .isTrue();
        assertThat(new Progress(root).passedOnce(hello)).isTrue();
        assertThat(new Progress(root).hintsSeen(goodbye)).isEqualTo(1);
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    /**
     * Issue 13: watch mode without a terminal (here a pipe, as in an IDE's console) reads a letter
     * then Enter, and says so. The runner runs as the learner starts it, in a JVM of its own.
     */
    @Test
    void watchModeThroughAPipeTakesALetterThenEnter() throws Exception {
        Process runner = runner().redirectErrorStream(true).start();
        try {
            StringBuilder screen = new StringBuilder();
            Thread reading = Thread.ofPlatform().daemon().start(() -> {
                try {
                    byte[] bytes = new byte[4096];
                    for (int n; (n = runner.getInputStream().read(bytes)) != -1; ) {
                        synchronized (screen) {
                            screen.append(new String(bytes, 0, n, StandardCharsets.UTF_8));
                        }
                    }
                } catch (IOException e) {
                    // the runner ended
                }
            });
            java.util.function.Supplier<String> shown = () -> {
                synchronized (screen) {
                    return screen.toString();
                }
            };
            await().atMost(Duration.ofSeconds(60)).until(() -> shown.get().contains("[watching: save to check again;"));
            assertThat(shown.get())
                    .as("no terminal: plain lines, and the keys are typed then Enter")
                    .contains("not started: in YourGreeter.greet")
                    .contains("[watching: save to check again; type h hint, l list, q quit, then Enter]");

            java.io.OutputStream keys = runner.getOutputStream();
            keys.write("n\nx\nq\n".getBytes(StandardCharsets.UTF_8)); // each a letter, then Enter
            keys.flush();

            assertThat(runner.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
                    .as("q, then Enter, ends watch mode")
                    .isTrue();
            reading.join(Duration.ofSeconds(10));
            assertThat(runner.exitValue()).isZero();
            assertThat(shown.get())
                    .contains("n moves on once this exercise passes (it has not yet).\n")
                    .contains("keys (type one, then Enter): h hint · l list · n next (once this passes) · c check"
                            + " again · q quit\n");
        } finally {
            runner.descendants().forEach(ProcessHandle::destroyForcibly);
            runner.destroyForcibly();
        }
    }

    @Test
    void checkWithoutAnExerciseOnceEveryOneHasPassedSaysSoAndExits0() {
        Progress progress = new Progress(root);
        for (Exercise e : course.exercises()) {
            progress.record(
                    Verdict.graded(e, List.of(new Grading.Outcome("rule", Grading.Status.PASSED, "")), Duration.ZERO));
        }

        CliRun run = CliRun.of(new Threadlab(course), "check");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .isEqualTo("Every exercise has passed (2 of 2). To check one again, name it: ./threadlab check 01.1\n");
    }

    @Test
    void aHintShowsItsTierTitleOnceAndTheCommandForTheNext() {
        CliRun run = CliRun.of(new Threadlab(course), "hint", "01.2");

        assertThat(run.out())
                .startsWith("Hint 1 of 3 (01.2 say goodbye): a nudge\nsay Bye\n")
                .contains("(the next one, a step further: ./threadlab hint 01.2)");
    }

    /**
     * Ctrl-C during a check: the runner says so in one line, exits 130, and the grading JVM it
     * started is gone. Only the runner gets the signal here (a terminal sends it to the grading JVM
     * too): the runner alone must end it.
     */
    @Test
    void ctrlCDuringACheckSaysStoppedExits130AndLeavesNoGradingJvm() throws Exception {
        Assumptions.assumeFalse(
                sigintIgnored(),
                "SIGINT is ignored by this JVM (started in the background without job control), so by the runner too");
        Files.writeString(
                hello.learnerSource(),
                CORRECT.replace(
                        "return \"Hello, \" + name + \"!\";",
                        "try { new java.util.concurrent.CountDownLatch(1).await(); } catch (InterruptedException e) {"
                                + " Thread.currentThread().interrupt(); } return \"\";"),
                StandardCharsets.UTF_8);
        Path err = root.resolve("runner-err.txt");
        Process runner = runner("check", "01.1")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile())
                .start();
        try {
            ProcessHandle grading = await().atMost(Duration.ofSeconds(60))
                    .until(() -> gradingJvmOf(runner), java.util.Optional::isPresent)
                    .orElseThrow();

            new ProcessBuilder("kill", "-INT", Long.toString(runner.pid()))
                    .start()
                    .waitFor();

            assertThat(runner.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
                    .as("the runner ends")
                    .isTrue();
            assertThat(runner.exitValue()).isEqualTo(Stop.EXIT);
            assertThat(Files.readString(err)).contains(Stop.MESSAGE);
            await("the grading JVM is gone").atMost(Duration.ofSeconds(10)).until(() -> !grading.isAlive());
        } finally {
            runner.descendants().forEach(ProcessHandle::destroyForcibly);
            runner.destroyForcibly();
        }
    }

    /** @return the runner on the small course, in a JVM of its own, as ./threadlab starts it */
    private ProcessBuilder runner(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "-Dthreadlab.root=" + root,
                Threadlab.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private static java.util.Optional<ProcessHandle> gradingJvmOf(Process runner) {
        return runner.descendants()
                .filter(p -> p.info()
                        .commandLine()
                        .map(c -> c.contains(GradeMain.class.getName()))
                        .orElse(false))
                .findFirst();
    }

    /** @return true if this process ignores SIGINT (Linux's /proc says; elsewhere assumed not) */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        return Files.readAllLines(status).stream()
                .filter(l -> l.startsWith("SigIgn:"))
                .map(l -> Long.parseUnsignedLong(l.substring("SigIgn:".length()).strip(), 16))
                .anyMatch(mask -> (mask & (1L << 1)) != 0); // SIGINT is signal 2: bit 1
    }

    /** One compiler call for the small course: main sources into {@code main}, test sources into {@code test}. */
    private static void compile(Map<Path, String> files, Path main, Path test, List<String> classPath)
            throws IOException {
        List<String> mainFiles = new ArrayList<>();
        List<String> testFiles = new ArrayList<>();
        for (Map.Entry<Path, String> file : files.entrySet()) {
            Files.createDirectories(file.getKey().getParent());
            Files.writeString(file.getKey(), file.getValue(), StandardCharsets.UTF_8);
            (file.getKey().toString().contains("/src/main/") ? mainFiles : testFiles)
                    .add(file.getKey().toString());
        }
        Files.createDirectories(main);
        Files.createDirectories(test);
        List<String> all = new ArrayList<>(mainFiles);
        all.addAll(testFiles);
        // Compiled together into the test folder, then the main classes moved to their own folder.
        List<String> arguments = new ArrayList<>(List.of(
                "-d",
                test.toString(),
                "-classpath",
                String.join(File.pathSeparator, classPath),
                "-proc:none",
                "-nowarn",
                "--release",
                "21"));
        arguments.addAll(all);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, System.err, arguments.toArray(String[]::new)))
                .as("the small course compiles")
                .isZero();
        for (String source : mainFiles) {
            String relative = Path.of(source)
                    .toString()
                    .replaceFirst(".*/src/main/java/", "")
                    .replaceFirst("\\.java$", ".class");
            Path target = main.resolve(relative);
            Files.createDirectories(target.getParent());
            Files.move(test.resolve(relative), target);
        }
    }
}
