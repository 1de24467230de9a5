package dev.threadlab.common.runner;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.threadlab.common.runner.Course.Exercise;
import dev.threadlab.common.runner.Course.Module;
import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingReport;
import dev.threadlab.common.testsupport.HangsEverywhereOnPurpose;
import dev.threadlab.common.testsupport.UsesAHelperClassBeside;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.TestAbortedException;

/**
 * Proves that {@code ./threadlab check} and the course's grading ({@link Grading}, what
 * {@code ./mvnw verify} runs) give the same verdict. Both must give the same rules the same status
 * and message, and so the same verdict line ({@link GradingReport#verdict}) ({@link #says}: what
 * differs from one JVM to the next by nature, an object's identity or a thread's number, aside).
 * Over the real course, a message may also differ in its numbers only ({@link #withoutNumbers}: a
 * count of lost records, an id from a counter of the JVM); and when the two differ, each side
 * grades again, to tell a disagreement (each side says again what it said) from a verdict that
 * changes from one grading to the next (a rule decided by timing: the test is aborted, saying so).
 *
 * <p>Over the real course, on demand ({@link OverTheModule}, each module's {@code
 * RunnerAgreementTest}, {@value #PROPERTY}{@code =true}; the command is {@link #COMMAND}): every
 * fixture of every exercise, the reference and the learner's file as it is. The runner's side is
 * the real path of a check: the implementation's source becomes the learner's {@code Your…} file
 * (moved into the exercise's package and renamed, with the package-private helpers of its package
 * beside it) in a temporary copy of the module that has only that file and the module's recorded
 * build ({@code target/threadlab-runner/}: class path, JVM options, release); {@link Grader#grade}
 * compiles it ({@link LearnerCompiler}) and grades it in a grading JVM of its own ({@link
 * GradeMain}), as {@code ./threadlab check} does. The grading's side: {@link Grading#grade} of the
 * compiled class, in the module's test JVM, as its {@code *GradingTest} grades it. The names in the
 * grading's messages are read as the learner's (the fixture's class named as {@code Your…}).
 *
 * <p>On the runner's own small course ({@code RunnerTest}, every build): {@link #assertAgrees},
 * every implementation graded by class name in ONE grading JVM; and {@link #gradeBothWays}, the
 * proof over the course itself, with the runner's side in the test's JVM.
 */
public final class RunnerAgreement {

    /** Turns on the proof over the real course: {@code -Dthreadlab.agreement=true}. */
    public static final String PROPERTY = "threadlab.agreement";

    /**
     * The one command that runs it over the whole course, from the root: the runner's build (it
     * records, per module, the class path and JVM options {@code ./threadlab} grades with), then
     * each module's {@code RunnerAgreementTest} only.
     */
    public static final String COMMAND = "./mvnw -q -fae -pl '!.' process-test-classes"
            + " exec:exec@threadlab-runner surefire:test -Dtest=RunnerAgreementTest -Dsurefire.failIfNoSpecifiedTests=false"
            + " -D" + PROPERTY + "=true";

    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(?m)^public\\s+(?:(?:final|abstract|sealed|non-sealed|strictfp)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)");

    private RunnerAgreement() {}

    /** What each side said about one implementation. */
    public record Agreement(String implementation, String runner, String grading) {}

    /**
     * @param loader          loads the exercise's module (its spec and the implementations)
     * @param implementations class names of implementations of the exercise
     * @throws AssertionError naming each implementation on which the two disagree
     * @return both verdicts of each implementation
     */
    static List<Agreement> assertAgrees(
            Grader grader, Exercise exercise, ClassLoader loader, List<String> implementations) {
        List<List<Grading.Outcome>> byRunner = grader.gradeEach(exercise, implementations);
        List<Agreement> all = new ArrayList<>();
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < implementations.size(); i++) {
            String implementation = implementations.get(i);
            Grading.Report report;
            try {
                report = Grading.grade(
                        Class.forName(exercise.spec(), true, loader), Class.forName(implementation, true, loader));
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("cannot load " + e.getMessage(), e);
            }
            String runnerSays = says(byRunner.get(i));
            String gradingSays = says(report.outcomes());
            all.add(new Agreement(implementation, runnerSays, gradingSays));
            if (!runnerSays.equals(gradingSays)) {
                disagreements.add(disagreement(implementation, runnerSays, gradingSays));
            }
        }
        if (!disagreements.isEmpty()) {
            throw new AssertionError(
                    "./threadlab and the course's grading disagree:\n" + String.join("\n", disagreements));
        }
        return all;
    }

    private static final Pattern IDENTITY = Pattern.compile("(?<=[\\w$])@[0-9a-f]{1,8}\\b");
    private static final Pattern THREAD_NUMBER = Pattern.compile("\\b(Thread|pool|ForkJoinPool)-\\d+");

    /**
     * @return {@code text} with object identities ({@code Object@1b6d3586}) and the JVM-wide counters
     *         in default thread names ({@code Thread-16}, {@code pool-4-thread-1}) as {@code @…},
     *         {@code Thread-…}, {@code pool-…-thread-1}: the same solution gets other ones in every
     *         JVM, and in a JVM that has run other tests before
     */
    static String withoutIdentities(String text) {
        String t = IDENTITY.matcher(text).replaceAll("@…");
        return THREAD_NUMBER.matcher(t).replaceAll("$1-…");
    }

    /**
     * @return the outcomes with every number in their messages as {@code #}: how many records a
     *         wrong saver lost before close() returned, in what order a wrong fetch's threads added
     *         their results, an account's id from a counter of the JVM, a time in ms, a temporary
     *         folder's name. Those come from the solution's own races or from the JVM, and differ
     *         from run to run; the rules' statuses, the score and the words of every message may not.
     */
    static List<Grading.Outcome> withoutNumbers(List<Grading.Outcome> outcomes) {
        return outcomes.stream()
                .map(o -> new Grading.Outcome(
                        o.test(), o.status(), o.message().replaceAll("\\d+", "#"), o.rule(), o.order()))
                .toList();
    }

    private static String disagreement(String implementation, String runnerSays, String gradingSays) {
        return implementation + ":\n  ./threadlab says:\n" + runnerSays.indent(4) + "  the grading says:\n"
                + gradingSays.indent(4);
    }

    /**
     * Each rule's status and place in the spec's order, in name order, with the first line of a
     * broken rule's message; then the verdict line. A rule not run is compared without its reason,
     * and a message without what differs from one JVM to the next by nature ({@link
     * #withoutIdentities}).
     */
    static String says(List<Grading.Outcome> outcomes) {
        List<Grading.Outcome> normal = outcomes.stream()
                .map(o -> new Grading.Outcome(
                        o.test(),
                        o.status(),
                        o.status() == Grading.Status.SKIPPED ? "" : withoutIdentities(o.message()),
                        o.rule(),
                        o.order()))
                .toList();
        StringBuilder out = new StringBuilder();
        normal.stream().sorted(Comparator.comparing(Grading.Outcome::test)).forEach(o -> {
            out.append(o.test()).append('=').append(o.status()).append('#').append(o.order());
            if (o.status() == Grading.Status.FAILED) {
                out.append(" — ").append(Grading.firstLine(o.message()));
            }
            out.append('\n');
        });
        return out.append("| ")
                .append(Grading.firstLine(GradingReport.verdict(normal)))
                .toString();
    }

    /**
     * The proof over one module of the real course: its test sources extend this class, as
     * {@code RunnerAgreementTest} annotated {@code @EnabledIfSystemProperty(named = PROPERTY, matches
     * = "true")}. Each implementation of each of the module's exercises is graded both ways and
     * gives one dynamic test: the learner's file as it is, the reference, then every fixture (each
     * concrete class under the exercise's {@code exercise.fixtures} packages that implements the
     * exercise's interface, found in the module's test classes; those marked {@link
     * HangsEverywhereOnPurpose} or {@link UsesAHelperClassBeside} left out). Needs the module's recorded build, which {@link #COMMAND}
     * makes first.
     *
     * <p>Everything is graded before the tests, in {@link #gradeEveryImplementationBothWays}: a wrong
     * fixture graded in this JVM may leave threads behind (its verdict says so; its {@code
     * *GradingTest} releases them through the fixture's own hook), and the course's leak check
     * ({@code ThreadGuard}) then counts them as there before the test, not as the proof's. The
     * proof itself leaves nothing running: every grading JVM has ended.
     */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    public abstract static class OverTheModule {

        private List<DynamicTest> agreements = List.of();

        // A long bound: every fixture of the module, graded twice (each rule has its spec's own timeout).
        @BeforeAll
        @Timeout(value = 20, unit = TimeUnit.MINUTES)
        public void gradeEveryImplementationBothWays() {
            Module module = moduleOf(getClass());
            assertRecorded(module);
            agreements = gradeBothWays(module, getClass().getClassLoader(), false, System.out);
        }

        @TestFactory
        public Stream<DynamicTest> theRunnerAndTheGradingAgreeOnEveryFixture() {
            return agreements.stream();
        }
    }

    /** @return the module of the course that {@code test} was compiled in ({@code <module>/target/test-classes}) */
    private static Module moduleOf(Class<?> test) {
        Path testClasses;
        try {
            testClasses = Path.of(
                    test.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path dir = testClasses.getParent().getParent();
        return new Course(dir.getParent())
                .module(dir.getFileName().toString())
                .orElseThrow(() -> new IllegalStateException(dir + " is not a module of the course"));
    }

    /**
     * Grades each implementation of each exercise of {@code module} both ways.
     *
     * @param loader    loads the module's classes, for the grading's side (the module's test JVM)
     * @param inProcess the runner's side in this JVM ({@link Grader}'s mode for the runner's own
     *                  tests) instead of a grading JVM each
     * @param log       one line per implementation, and a summary
     * @return one test per implementation, that fails on a disagreement, and is aborted when the
     *         verdict changes from one grading to the next on the same side
     */
    static List<DynamicTest> gradeBothWays(Module module, ClassLoader loader, boolean inProcess, PrintStream log) {
        List<Case> cases = new ArrayList<>();
        for (Exercise exercise : Course.exercisesOf(module)) {
            cases.add(new Case(exercise, load(exercise.learner(), loader)));
            cases.add(new Case(exercise, load(exercise.reference(), loader)));
            fixturesOf(exercise, module, loader).forEach(f -> cases.add(new Case(exercise, f)));
        }
        if (cases.isEmpty()) {
            throw new AssertionError("no exercise found in " + module.name());
        }
        long start = System.nanoTime();
        List<DynamicTest> tests = new ArrayList<>();
        List<String> disagree = new ArrayList<>();
        List<String> unstable = new ArrayList<>();
        try (Copy copy = new Copy(module, inProcess, log)) {
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                Throwable failure = null;
                try {
                    copy.assertAgrees(c, i + 1 < cases.size() ? cases.get(i + 1) : null, module);
                } catch (TestAbortedException e) {
                    failure = e;
                    unstable.add(c.shortName());
                } catch (AssertionError | RuntimeException | ClassNotFoundException e) {
                    failure = e;
                    disagree.add(c.shortName());
                }
                Throwable result = failure;
                tests.add(dynamicTest(c.exercise().id() + " " + c.shortName(), () -> {
                    if (result != null) {
                        throw result;
                    }
                }));
            }
        }
        log.printf(
                "%s: %d implementations graded by ./threadlab check and by the grading in %d s: %d agree,"
                        + " %d disagree%s, %d change from one grading to the next%s%n",
                module.name(),
                cases.size(),
                (System.nanoTime() - start) / 1_000_000_000L,
                cases.size() - disagree.size() - unstable.size(),
                disagree.size(),
                disagree.isEmpty() ? "" : " " + disagree,
                unstable.size(),
                unstable.isEmpty() ? "" : " " + unstable);
        return tests;
    }

    /** One implementation of one exercise. */
    record Case(Exercise exercise, Class<?> implementation) {

        boolean isTheLearnersFile() {
            return implementation.getName().equals(exercise.learner());
        }

        /** @return the name relative to the module's package: "exercise.fixtures.NoJoin" */
        String shortName() {
            String learnerPackage =
                    exercise.learner().substring(0, exercise.learner().lastIndexOf('.'));
            String modulePackage = learnerPackage.substring(0, learnerPackage.lastIndexOf('.') + 1);
            String name = implementation.getName().replace(modulePackage, "");
            return isTheLearnersFile() ? name + " (the learner's file as it is)" : name;
        }
    }

    /** The fixtures of {@code exercise}, by name. */
    static List<Class<?>> fixturesOf(Exercise exercise, Module module, ClassLoader loader) {
        Class<?> learner = load(exercise.learner(), loader);
        List<Class<?>> interfaces = Arrays.stream(learner.getInterfaces())
                .filter(i -> i.getPackageName().equals(learner.getPackageName()))
                .toList();
        if (interfaces.isEmpty()) {
            throw new IllegalStateException(learner.getName() + " implements no interface of its package");
        }
        String fixtures = learner.getPackageName() + ".fixtures.";
        try (Stream<Path> files = Files.walk(module.testClasses())) {
            return files.map(f -> module.testClasses().relativize(f).toString())
                    .filter(f -> f.endsWith(".class") && !f.contains("$"))
                    .map(f -> f.replace('/', '.').replace('\\', '.').replaceAll("\\.class$", ""))
                    .filter(name -> name.startsWith(fixtures))
                    .sorted()
                    .<Class<?>>map(name -> load(name, loader))
                    .filter(c -> !c.isInterface() && !Modifier.isAbstract(c.getModifiers()))
                    .filter(c -> interfaces.stream().allMatch(i -> i.isAssignableFrom(c)))
                    .filter(c -> !c.isAnnotationPresent(HangsEverywhereOnPurpose.class))
                    .filter(c -> !c.isAnnotationPresent(UsesAHelperClassBeside.class))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot load " + name + " (is the module built?)", e);
        }
    }

    /** @throws AssertionError unless the module's build was recorded for the runner, after its POMs last changed */
    private static void assertRecorded(Module module) {
        Path recorded = module.dir().resolve("target/threadlab-runner/class-path");
        try {
            if (!Files.isRegularFile(recorded)) {
                throw new AssertionError("the runner's build of " + module.name() + " is missing (" + recorded
                        + "). Run the proof" + " with its command, which records it first:\n  " + COMMAND);
            }
            for (Path pom :
                    List.of(module.dir().resolve("pom.xml"), module.dir().resolveSibling("pom.xml"))) {
                if (Files.getLastModifiedTime(pom).compareTo(Files.getLastModifiedTime(recorded)) > 0) {
                    throw new AssertionError("the runner's build of " + module.name() + " is older than " + pom
                            + ". Run the proof with its command, which records it first:\n  " + COMMAND);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!module.classPath().contains(module.testClasses())) {
            throw new AssertionError(recorded + " does not list " + module.testClasses());
        }
    }

    /**
     * A temporary copy of one module, as the runner sees it, with nothing in it but the module's
     * recorded build and the learner's file of the moment; and the runner's grader over it.
     */
    private static final class Copy implements AutoCloseable {
        private final Path root;
        private final Module module;
        private final Grader grader;
        private final PrintStream log;

        Copy(Module real, boolean inProcess, PrintStream log) {
            this.log = log;
            root = real.dir().resolve("target/runner-agreement");
            delete(root);
            Path dir = root.resolve(real.name());
            try {
                Files.createDirectories(dir.resolve("target/threadlab-runner"));
                Files.copy(real.dir().resolve("pom.xml"), dir.resolve("pom.xml"));
                for (String recorded : List.of("class-path", "jvm-args", "release")) {
                    Files.copy(
                            real.dir().resolve("target/threadlab-runner").resolve(recorded),
                            dir.resolve("target/threadlab-runner").resolve(recorded),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Course course = new Course(root);
            module = course.module(real.name()).orElseThrow();
            grader = new Grader(course, inProcess);
        }

        private Exercise inCopy(Exercise e) {
            return new Exercise(module, e.spec(), e.title(), e.learner(), e.reference());
        }

        /**
         * Grades {@code c} both ways and compares; the next case's grading JVM starts (as watch
         * mode's standby) while this JVM grades {@code c} itself. When the two differ, each side
         * grades it once more: if each side says again what it said, they disagree; if a side says
         * something else, the verdict changes from one grading to the next (a rule decided by
         * timing, not by construction), and the test is aborted, saying so.
         */
        void assertAgrees(Case c, Case next, Module real) throws ClassNotFoundException {
            LearnersFile file = LearnersFile.of(c, real);
            delete(module.sources());
            try {
                for (Map.Entry<String, String> source : file.sources().entrySet()) {
                    Path path = module.sources().resolve(source.getKey());
                    Files.createDirectories(path.getParent());
                    Files.writeString(path, source.getValue(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Exercise exercise = inCopy(c.exercise());
            Verdict verdict = grader.grade(exercise);
            if (next != null) {
                grader.standby(inCopy(next.exercise()));
            }
            if (verdict.state() == Verdict.State.DOES_NOT_COMPILE) {
                throw new AssertionError(c.implementation().getName() + " does not compile as the learner's "
                        + c.exercise().learnerSimpleName() + ".java (its source moved into "
                        + packageOf(c.exercise().learner()) + " and renamed):\n" + verdict.compileErrors());
            }
            Class<?> spec =
                    Class.forName(c.exercise().spec(), false, c.implementation().getClassLoader());
            long graded = System.nanoTime();
            List<Grading.Outcome> grading = grade(spec, c.implementation(), file);
            double gradingTook = (System.nanoTime() - graded) / 1e9;
            Match match = Match.of(verdict.outcomes(), grading);
            String runnerSays = says(verdict.outcomes());
            String gradingSays = says(grading);
            if (match == Match.DIFFER) {
                List<Grading.Outcome> runnerAgain = grader.grade(exercise).outcomes();
                List<Grading.Outcome> gradingAgain = grade(spec, c.implementation(), file);
                if (next != null) {
                    grader.standby(inCopy(next.exercise()));
                }
                if (Match.of(verdict.outcomes(), runnerAgain) == Match.DIFFER
                        || Match.of(grading, gradingAgain) == Match.DIFFER
                        || Match.of(runnerAgain, gradingAgain) != Match.DIFFER) {
                    boolean sameRules = Stream.of(runnerAgain, grading, gradingAgain)
                            .allMatch(o -> statuses(o).equals(statuses(verdict.outcomes())));
                    String what = sameRules
                            ? "the words of its messages change from one grading to the next (every grading"
                                    + " breaks the same rules): a message tells a detail the solution's own race decides"
                            : "which rules it breaks changes from one grading to the next: a rule decided by"
                                    + " timing, not by construction; fix the spec";
                    log.printf(
                            "  %s %s: CHANGES FROM ONE GRADING TO THE NEXT (%s)%n",
                            c.exercise().id(), c.shortName(), sameRules ? "a message's words" : "the rules broken");
                    throw new TestAbortedException("./threadlab check and the grading cannot be compared on "
                            + c.implementation().getName() + ": " + what + ".\n  ./threadlab says:\n"
                            + runnerSays.indent(4) + "  and then:\n"
                            + says(runnerAgain).indent(4)
                            + "  the grading says:\n" + gradingSays.indent(4) + "  and then:\n"
                            + says(gradingAgain).indent(4));
                }
            }
            log.printf(
                    "  %s %s: %s (./threadlab check %.1f s, the grading %.1f s)%n",
                    c.exercise().id(),
                    c.shortName(),
                    match == Match.DIFFER
                            ? "DISAGREE"
                            : "both " + verdict.summary()
                                    + (match == Match.BUT_FOR_NUMBERS ? " [a message's numbers differ]" : ""),
                    verdict.took().toMillis() / 1000.0,
                    gradingTook);
            if (match == Match.DIFFER) {
                throw new AssertionError("./threadlab check and the course's grading disagree (each said the same"
                        + " when asked again) on "
                        + disagreement(c.implementation().getName(), runnerSays, gradingSays));
            }
        }

        /** The grading's side, its texts read as if about the learner's file. */
        private static List<Grading.Outcome> grade(Class<?> spec, Class<?> implementation, LearnersFile file) {
            return Grading.grade(spec, implementation).outcomes().stream()
                    .map(o -> new Grading.Outcome(
                            file.asLearners().apply(o.test()),
                            o.status(),
                            file.asLearners().apply(o.message()),
                            file.asLearners().apply(o.rule()),
                            o.order()))
                    .toList();
        }

        @Override
        public void close() {
            grader.close();
            delete(root);
        }
    }

    /** @return each rule's status, in name order: which rules a grading broke, without its words */
    static List<String> statuses(List<Grading.Outcome> outcomes) {
        return outcomes.stream().map(o -> o.test() + "=" + o.status()).sorted().toList();
    }

    /** How two gradings of one implementation compare ({@link #says}). */
    enum Match {
        SAME,
        /** The same but for numbers in messages ({@link #withoutNumbers}). */
        BUT_FOR_NUMBERS,
        DIFFER;

        static Match of(List<Grading.Outcome> one, List<Grading.Outcome> other) {
            if (says(one).equals(says(other))) {
                return SAME;
            }
            return says(withoutNumbers(one)).equals(says(withoutNumbers(other))) ? BUT_FOR_NUMBERS : DIFFER;
        }
    }

    /**
     * The learner's {@code Your…} file that an implementation becomes: its source moved into the
     * exercise's package and its class renamed (the package line also imports its old package, so
     * that every line keeps its number), with the package-private top-level classes of its old
     * package that it uses, moved beside it as a learner's helper classes would be.
     *
     * @param sources    source files by path under {@code src/main/java}
     * @param asLearners reads a text of the grading as if about the learner's file
     */
    record LearnersFile(Map<String, String> sources, UnaryOperator<String> asLearners) {

        static LearnersFile of(Case c, Module module) {
            Exercise exercise = c.exercise();
            Class<?> implementation = c.implementation();
            String learnerPath = exercise.learner().replace('.', '/') + ".java";
            Path source = sourceOf(module, implementation.getName());
            Map<String, String> sources = new LinkedHashMap<>();
            if (c.isTheLearnersFile()) {
                sources.put(learnerPath, read(source));
                return new LearnersFile(sources, UnaryOperator.identity());
            }
            String from = implementation.getPackageName();
            String to = packageOf(exercise.learner());
            String simple = implementation.getSimpleName();
            String learner = exercise.learnerSimpleName();
            sources.put(learnerPath, moved(read(source), from, to).replaceAll("\\b" + simple + "\\b", learner));
            List<String> helpers = new ArrayList<>();
            boolean more = true;
            while (more) { // the helpers it uses, and those they use
                more = false;
                String used = String.join("\n", sources.values());
                for (Path helper : packagePrivateTypes(source.getParent())) {
                    String name = helper.getFileName().toString().replaceAll("\\.java$", "");
                    if (!helpers.contains(name)
                            && Pattern.compile("\\b" + name + "\\b")
                                    .matcher(used)
                                    .find()) {
                        helpers.add(name);
                        sources.put(to.replace('.', '/') + "/" + name + ".java", moved(read(helper), from, to));
                        more = true;
                    }
                }
            }
            UnaryOperator<String> asLearners = text -> {
                String t = text.replace(implementation.getName(), exercise.learner());
                for (String helper : helpers) {
                    t = t.replace(from + "." + helper, to + "." + helper);
                }
                return t.replaceAll("\\b" + simple + "\\b", learner);
            };
            return new LearnersFile(sources, asLearners);
        }

        private static String moved(String text, String from, String to) {
            Matcher line = Pattern.compile("(?m)^package\\s+" + Pattern.quote(from) + "\\s*;")
                    .matcher(text);
            if (!line.find()) {
                throw new IllegalStateException("no 'package " + from + ";' line in:\n" + text);
            }
            return line.replaceFirst(Matcher.quoteReplacement("package " + to + "; import " + from + ".*;"));
        }

        private static List<Path> packagePrivateTypes(Path folder) {
            try (Stream<Path> files = Files.list(folder)) {
                return files.filter(f -> f.toString().endsWith(".java"))
                        .filter(f -> {
                            String name = f.getFileName().toString().replaceAll("\\.java$", "");
                            Matcher type = PUBLIC_TYPE.matcher(read(f));
                            while (type.find()) {
                                if (type.group(1).equals(name)) {
                                    return false;
                                }
                            }
                            return true;
                        })
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Path sourceOf(Module module, String className) {
            String path = className.replace('.', '/') + ".java";
            for (Path root : List.of(module.sources(), module.dir().resolve("src/test/java"))) {
                if (Files.isRegularFile(root.resolve(path))) {
                    return root.resolve(path);
                }
            }
            throw new IllegalStateException("no source for " + className + " in " + module.dir());
        }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
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
