package dev.threadlab.common.testsupport;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.exercise.RuleWords;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The course's one grading mechanism. A spec ({@link GradedExercise}) is an ordinary JUnit test
 * class; this class runs it against a chosen implementation, in-process, through the JUnit
 * Platform Launcher as Maven and the runner do ({@link #execute}), and tells what happened. The module's grading self-checks use it to
 * prove, in every default build, that the spec has teeth:
 *
 * <pre>{@code
 * Grading.assertPasses(StartAndJoinSpec.class, ReferenceStartAndJoin.class);
 * Grading.assertNotImplementedYet(StartAndJoinSpec.class);      // a stub made from the interface
 * Grading.assertRejects(StartAndJoinSpec.class, NeverStarted.class, "only once start() is called");
 * }</pre>
 */
public final class Grading {

    /** Configuration parameter / system property choosing what the specs grade. */
    public static final String GRADE_PROPERTY = "threadlab.grade";

    private Grading() {}

    /** How one test of a spec ended. */
    public enum Status {
        PASSED,
        NOT_IMPLEMENTED_YET,
        FAILED,
        SKIPPED
    }

    /**
     * One test's outcome: its display name, status and failure message (empty when it passed).
     *
     * @param rule  the rule in words, as the reports name it ({@link RuleWords}); a parameterized
     *              rule's case in parentheses: "a waiter asks … (switch interval 5 ms)"
     * @param order the rule's place in the spec's order ({@link SpecOrder}): on a tie, the report
     *              names the broken rule the spec states first
     */
    public record Outcome(String test, Status status, String message, String rule, int order) {

        /** An outcome known by its display name only (its rule in words from that name, no order). */
        public Outcome(String test, Status status, String message) {
            this(test, status, message, RuleWords.of(test), SpecOrder.UNKNOWN);
        }

        /** @return true if the rule was not run (an earlier rule hung, or it is disabled) */
        public boolean notRun() {
            return status == Status.SKIPPED;
        }

        /** @return true if the rule hit its timeout (ThreadGuard's "hang:" / "deadlock:" failure) */
        public boolean hung() {
            return status == Status.FAILED && (message.startsWith("hang: ") || message.startsWith("deadlock: "));
        }

        /**
         * How much this outcome tells a learner, lower first: a precise broken rule, then threads
         * left running after a rule (the guard's, which says what was left but not which rule's
         * mistake left it), then a hang (with its dump), then "not implemented yet", then a rule
         * not run.
         */
        int rank() {
            return switch (status) {
                case FAILED -> hung() ? 3 : ThreadGuard.isLeak(message) ? 2 : anotherRulesMistake() ? 1 : 0;
                case NOT_IMPLEMENTED_YET -> 4;
                case SKIPPED -> 5;
                case PASSED -> 6;
            };
        }

        /**
         * @return true if this failure is a mistake that another rule states ({@link #mistakeOfRule}),
         *         seen while this rule was graded: that rule's own failure tells it better
         */
        boolean anotherRulesMistake() {
            java.util.regex.Matcher m = MISTAKE_OF_RULE.matcher(message);
            if (!m.lookingAt()) {
                return false;
            }
            java.util.regex.Matcher own = RULE_NUMBER.matcher(test); // "2. Every chunk …": the rule's number
            return !own.lookingAt() || !own.group(1).equals(m.group(1));
        }

        @Override
        public String toString() {
            return test + ": " + status + (message.isEmpty() ? "" : " — " + firstLine(message));
        }
    }

    /** The outcome of grading one implementation with one spec. */
    public record Report(Class<?> spec, Class<?> implementation, List<Outcome> outcomes) {

        /** @return true if every test passed (and there was at least one) */
        public boolean passed() {
            return !outcomes.isEmpty() && outcomes.stream().allMatch(o -> o.status() == Status.PASSED);
        }

        /** @return the first test that did not pass */
        public Optional<Outcome> firstProblem() {
            return outcomes.stream().filter(o -> o.status() != Status.PASSED).findFirst();
        }

        /** @return the problem that tells the learner most (see {@link Outcome#rank()}), first in the spec's order on a tie */
        public Optional<Outcome> mostTellingProblem() {
            return mostTelling(outcomes);
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder(spec.getSimpleName() + " grading " + implementation.getName() + ":");
            outcomes.forEach(o -> out.append("\n  ").append(o));
            return out.toString();
        }
    }

    /** {@value #GRADE_PROPERTY} value that grades the learner's class (the default). */
    public static final String LEARNER = "learner";

    /** {@value #GRADE_PROPERTY} value that grades the reference solution. */
    public static final String REFERENCE = "reference";

    /**
     * {@value #GRADE_PROPERTY} value that grades a stub made on the spot from the exercise's
     * interface, every method throwing {@link NotImplementedYet}: what the learner's class is before
     * it is touched. The self-checks grade it instead of the learner's live file, so solving an
     * exercise never breaks the build.
     */
    public static final String UNTOUCHED_STUB = "untouched-stub";

    /**
     * What a spec grades in this run, from {@value #GRADE_PROPERTY}: the learner's class unless told
     * otherwise, so that running a spec (from the IDE, or {@code ./mvnw verify}) grades yours.
     *
     * @return the class to instantiate, or empty for {@link #UNTOUCHED_STUB}
     */
    static Optional<Class<?>> implementationUnderTest(Class<?> spec, ExtensionContext context) {
        GradedExercise exercise = findAnnotation(spec);
        String choice = context.getConfigurationParameter(GRADE_PROPERTY).orElse(LEARNER);
        return switch (choice) {
            case REFERENCE -> Optional.of(exercise.reference());
            case LEARNER -> Optional.of(exercise.learner());
            case UNTOUCHED_STUB -> Optional.empty();
            default -> {
                try {
                    yield Optional.of(Class.forName(choice, true, spec.getClassLoader()));
                } catch (ClassNotFoundException e) {
                    throw new IllegalArgumentException(
                            GRADE_PROPERTY + " is '" + choice + "': expected learner, reference, " + UNTOUCHED_STUB
                                    + " or a class name",
                            e);
                }
            }
        };
    }

    static GradedExercise findAnnotation(Class<?> spec) {
        for (Class<?> c = spec; c != null; c = c.getEnclosingClass()) {
            GradedExercise exercise = c.getAnnotation(GradedExercise.class);
            if (exercise != null) {
                return exercise;
            }
        }
        throw new IllegalArgumentException(spec.getName() + " is not annotated @GradedExercise");
    }

    /**
     * Runs {@code selector}'s rules on what {@value #GRADE_PROPERTY}={@code choice} names, exactly as
     * {@code ./mvnw verify} and {@code ./threadlab check} run a spec: through the JUnit Platform
     * Launcher, with the course's test defaults ({@code junit-platform.properties}: the timeouts and
     * their thread mode), and classified by one listener ({@link Recorder}). The runner's grading
     * JVM calls this too, so a fixture graded here and the same class graded by the runner get the
     * same outcomes by construction; the only difference left is the JVM they run in.
     *
     * @param recorder receives each rule's outcome as the rule ends
     * @param loader   loads the spec and what it grades (the context class loader while it runs)
     */
    public static void execute(DiscoverySelector selector, String choice, Recorder recorder, ClassLoader loader) {
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false) // no GradingReport banner per grading
                .build());
        Thread current = Thread.currentThread();
        ClassLoader before = current.getContextClassLoader();
        current.setContextClassLoader(loader);
        try {
            launcher.execute(
                    LauncherDiscoveryRequestBuilder.request()
                            .selectors(selector)
                            .configurationParameter(GRADE_PROPERTY, choice)
                            .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                            .build(),
                    recorder);
        } finally {
            current.setContextClassLoader(before);
        }
    }

    /**
     * Turns JUnit's events into the course's outcomes, one per rule: the one classification the
     * grading report ({@code ./mvnw verify}), the runner's grading JVM and {@link #grade} share. A
     * rule is a test (a parameterized rule's cases each count); a failed container (a spec that
     * cannot start) is one outcome; a rule not run is {@link Status#SKIPPED}.
     */
    public static class Recorder implements TestExecutionListener {
        private final BiConsumer<TestIdentifier, Outcome> each;
        private volatile TestPlan plan;

        public Recorder(BiConsumer<TestIdentifier, Outcome> each) {
            this.each = each;
        }

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            this.plan = testPlan;
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                return;
            }
            if (!id.isTest() && id.getParentId().isEmpty()) {
                return; // the engine itself; its failure shows in its children
            }
            each.accept(id, named(id, outcome(id.getDisplayName(), result)));
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            boolean wholeRule = !id.isTest()
                    && id.getSource().filter(MethodSource.class::isInstance).isPresent();
            if (id.isTest() || wholeRule) {
                each.accept(
                        id,
                        named(
                                id,
                                new Outcome(id.getDisplayName(), Status.SKIPPED, reason == null ? "not run" : reason)));
            }
        }

        /** The outcome with its rule in words and its place in the spec's order. */
        private Outcome named(TestIdentifier id, Outcome outcome) {
            String rule = outcome.rule();
            int order = SpecOrder.UNKNOWN;
            Optional<MethodSource> method =
                    id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast);
            if (method.isPresent()) {
                TestPlan testPlan = plan;
                Optional<TestIdentifier> parent = testPlan == null ? Optional.empty() : testPlan.getParent(id);
                if (id.isTest()
                        && parent.isPresent()
                        && parent.get()
                                .getSource()
                                .filter(MethodSource.class::isInstance)
                                .isPresent()) {
                    // one case of a parameterized rule: the rule, then the case
                    rule = RuleWords.of(parent.get().getDisplayName()) + " (" + id.getDisplayName() + ")";
                }
                try {
                    order = SpecOrder.of(
                            method.get().getJavaClass(), method.get().getMethodName());
                } catch (RuntimeException | LinkageError e) {
                    order = SpecOrder.UNKNOWN;
                }
            }
            return new Outcome(outcome.test(), outcome.status(), outcome.message(), rule, order);
        }
    }

    /** Runs {@code spec} against {@code implementation} and reports every test's outcome. */
    public static Report grade(Class<?> spec, Class<?> implementation) {
        return grade(spec, implementation, selectClass(spec));
    }

    /**
     * Runs one rule (test method) of {@code spec} against {@code implementation}.
     *
     * @throws IllegalArgumentException if {@code spec} declares no test method named {@code rule}
     */
    public static Report grade(Class<?> spec, String rule, Class<?> implementation) {
        Method method = Arrays.stream(spec.getDeclaredMethods())
                .filter(m -> m.getName().equals(rule))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(spec.getSimpleName() + " has no rule named " + rule));
        return grade(spec, implementation, selectMethod(spec, method));
    }

    private static Report grade(Class<?> spec, Class<?> implementation, DiscoverySelector selector) {
        return grade(spec, implementation, implementation.getName(), selector);
    }

    private static Report grade(Class<?> spec, Class<?> shownAs, String choice, DiscoverySelector selector) {
        List<Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        execute(selector, choice, new Recorder((id, outcome) -> outcomes.add(outcome)), spec.getClassLoader());
        return new Report(spec, shownAs, List.copyOf(outcomes));
    }

    public static Outcome outcome(String name, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
            return new Outcome(name, Status.PASSED, "");
        }
        Throwable failure = result.getThrowable().orElse(null);
        String message = failure == null ? "aborted" : messageOf(failure);
        int stub = message.indexOf(NotImplementedYet.PREFIX);
        if (stub >= 0) { // whatever wraps it (an assertion about the wrong exception type), say what to do
            String todo = message.substring(stub).lines().findFirst().orElse("").strip();
            return new Outcome(name, Status.NOT_IMPLEMENTED_YET, todo);
        }
        return new Outcome(name, Status.FAILED, message);
    }

    /** The learner-facing message of a failure: its own message, or its cause's, or its type. */
    static String messageOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NotImplementedYet) {
                return t.getMessage();
            }
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getName() : message;
    }

    /** @throws AssertionError unless every test of {@code spec} passes for {@code implementation} */
    public static Report assertPasses(Class<?> spec, Class<?> implementation) {
        Report report = grade(spec, implementation);
        if (!report.passed()) {
            throw new AssertionError(
                    "the spec should accept " + implementation.getSimpleName() + ", but it did not.\n" + report);
        }
        return report;
    }

    /**
     * @throws AssertionError unless every test of {@code spec} fails with "not implemented yet" for
     *                        the untouched stub: proof that each rule calls the solution before
     *                        anything that could fail differently. Graded on a stub made from the
     *                        exercise's interface ({@link #UNTOUCHED_STUB}), never on the learner's
     *                        file, which a learner at work has changed.
     */
    public static Report assertNotImplementedYet(Class<?> spec) {
        Class<?> stub = findAnnotation(spec).learner();
        Report report = grade(spec, stub, UNTOUCHED_STUB, selectClass(spec));
        boolean allNotImplemented = !report.outcomes().isEmpty()
                && report.outcomes().stream().allMatch(o -> o.status() == Status.NOT_IMPLEMENTED_YET);
        if (!allNotImplemented) {
            throw new AssertionError("every test should fail with \"" + NotImplementedYet.PREFIX
                    + "...\" for an untouched stub of " + stub.getSimpleName()
                    + ": a rule must call the solution before anything that could fail differently.\n" + report);
        }
        return report;
    }

    /**
     * The three checks every exercise's self-check makes on its spec, as tests of their own: the
     * untouched stub is "not started" in every rule ({@link #assertNotImplementedYet}), each rule of
     * the interface's javadoc has one test under its title ({@link JavadocRules}), and the stub
     * declares what its interface declares ({@link UntouchedStub}). In a self-check:
     * {@code @TestFactory Stream<DynamicTest> theSpecIsWellFormed() { return Grading.wellFormed(SPEC); }}
     */
    public static Stream<DynamicTest> wellFormed(Class<?> spec) {
        return Stream.of(
                dynamicTest(
                        "the untouched stub fails every rule with NotImplementedYet",
                        () -> assertNotImplementedYet(spec)),
                dynamicTest(
                        "each rule of the javadoc has one test, in order, under its title",
                        () -> JavadocRules.assertOneTestPerRule(spec)),
                dynamicTest(
                        "the untouched stub declares what its interface declares",
                        () -> UntouchedStub.assertDeclaresWhatItsInterfaceDeclares(spec)));
    }

    /**
     * The worst case for the time to a verdict, run on demand ({@code -Dthreadlab.hangcheck=true}):
     * grades {@code hangs}, a solution that hangs in every rule, expects it rejected with
     * {@code expected}, then lets its threads go ({@code release}, also when the grading fails), so
     * that nothing outlives the test.
     *
     * @throws AssertionError unless rejected with {@code expected} within {@code limit}
     * @return the report, for checks of its own
     */
    public static Report assertHangVerdictWithin(
            Duration limit, Class<?> spec, Class<?> hangs, String expected, Runnable release) {
        long start = System.nanoTime();
        Report report;
        try {
            report = assertRejects(spec, hangs, expected);
        } finally {
            release.run();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println(hangs.getSimpleName() + " (" + findAnnotation(spec).value() + ") graded in "
                + took.toMillis() + " ms:\n" + report);
        if (took.compareTo(limit) > 0) {
            throw new AssertionError("a solution that hangs in every rule took " + took.toSeconds()
                    + " s to grade, more than " + limit.toSeconds() + " s:\n" + report);
        }
        return report;
    }

    /**
     * @param expected a fragment of the message the spec must give for this wrong solution
     * @throws AssertionError unless some test of {@code spec} fails for {@code implementation}
     *                        with a message containing {@code expected}, and none says "not implemented yet"
     */
    public static Report assertRejects(Class<?> spec, Class<?> implementation, String expected) {
        return rejects(grade(spec, implementation), implementation, expected);
    }

    /**
     * Like {@link #assertRejects(Class, Class, String)}, but runs only the one rule that must catch
     * this wrong solution: more precise, and cheaper where a spec's rules are expensive (model checking).
     */
    public static Report assertRejectedBy(Class<?> spec, String rule, Class<?> implementation, String expected) {
        return rejects(grade(spec, rule, implementation), implementation, expected);
    }

    private static Report rejects(Report report, Class<?> implementation, String expected) {
        Class<?> spec = report.spec();
        boolean saysIt = report.outcomes().stream()
                .anyMatch(o -> o.status() == Status.FAILED && o.message().contains(expected));
        if (!saysIt) {
            throw new AssertionError("the spec should reject " + implementation.getSimpleName()
                    + " with a message containing \"" + expected + "\", but it did not.\n" + report);
        }
        return report;
    }

    /**
     * @return the outcome that tells most, of those that did not pass (a precise failure, then
     *         another rule's mistake seen in a rule, then threads left running, then a hang, then "not implemented yet", then a rule not run); on a tie, the rule the spec
     *         states first ({@link Outcome#order()}), then the first to end
     */
    public static Optional<Outcome> mostTelling(List<Outcome> outcomes) {
        return outcomes.stream()
                .filter(o -> o.status() != Status.PASSED)
                .min(Comparator.comparingInt(Outcome::rank).thenComparingInt(Outcome::order));
    }

    private static final java.util.regex.Pattern MISTAKE_OF_RULE = java.util.regex.Pattern.compile("\\[rule (\\d+)] ");

    /** A rule's number, as its display name starts: "2. Every chunk is submitted …". */
    private static final java.util.regex.Pattern RULE_NUMBER = java.util.regex.Pattern.compile("(\\d+)\\. ");

    /**
     * A failure message for a mistake that rule {@code rule} (the number its display name starts with) states, which any
     * rule may see (a map that spins, that ends while its work still runs): "[rule 2] map is
     * spinning …". Failed in another rule, it ranks below that rule's own failure in the report's
     * headline ({@link Outcome#rank()}), so the headline names the rule that states the mistake.
     */
    public static String mistakeOfRule(int rule, String message) {
        return "[rule " + rule + "] " + message;
    }

    /**
     * A grading's verdict in one line, to pin a fixture's whole verdict (a self-check that it is the
     * same every grading): "7=FAILED 8=PASSED | " and the verdict's first line (k of n rules pass,
     * the headline).
     *
     * @param rules the rules (their numbers) whose status to show
     */
    public static String pinned(Report report, int... rules) {
        StringBuilder statuses = new StringBuilder();
        for (int rule : rules) {
            String status = report.outcomes().stream()
                    .filter(o -> o.test().startsWith(rule + ". "))
                    .map(o -> o.status().toString())
                    .findFirst()
                    .orElse("MISSING");
            statuses.append(statuses.isEmpty() ? "" : " ")
                    .append(rule)
                    .append('=')
                    .append(status);
        }
        return statuses + " | " + firstLine(GradingReport.verdict(report.outcomes()));
    }

    public static String firstLine(String message) {
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip() + " …";
    }
}
