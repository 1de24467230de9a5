package dev.threadlab.common.testsupport;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.threadlab.common.exercise.NotImplementedYet;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The course's one grading mechanism. A spec ({@link GradedExercise}) is an ordinary JUnit test
 * class; this class runs it against a chosen implementation, in-process, with JUnit's
 * {@link EngineTestKit}, and tells what happened. The module's grading self-checks use it to
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

    /** One test's outcome: its display name, status and failure message (empty when it passed). */
    public record Outcome(String test, Status status, String message) {

        /** @return true if the rule hit its timeout (ThreadGuard's "hang:" / "deadlock:" failure) */
        public boolean hung() {
            return status == Status.FAILED && (message.startsWith("hang: ") || message.startsWith("deadlock: "));
        }

        /**
         * How much this outcome tells a learner, lower first: a precise broken rule, then a hang
         * (with its dump), then "not implemented yet", then a rule not run.
         */
        int rank() {
            return switch (status) {
                case FAILED -> hung() ? 1 : 0;
                case NOT_IMPLEMENTED_YET -> 2;
                case SKIPPED -> 3;
                case PASSED -> 4;
            };
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

        /** @return the problem that tells the learner most (see {@link Outcome#rank()}), first in run order on a tie */
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
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(GRADE_PROPERTY, choice)
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selector)
                .execute();
        List<Outcome> outcomes = new ArrayList<>();
        for (Event event : results.testEvents().finished().list()) {
            TestExecutionResult result = event.getRequiredPayload(TestExecutionResult.class);
            String name = event.getTestDescriptor().getDisplayName();
            outcomes.add(outcome(name, result));
        }
        for (Event event : results.testEvents().skipped().list()) {
            outcomes.add(new Outcome(
                    event.getTestDescriptor().getDisplayName(),
                    Status.SKIPPED,
                    "skipped: " + event.getPayload(String.class).orElse("")));
        }
        for (Event event : results.containerEvents().failed().list()) {
            outcomes.add(outcome(
                    event.getTestDescriptor().getDisplayName(), event.getRequiredPayload(TestExecutionResult.class)));
        }
        return new Report(spec, shownAs, outcomes);
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

    /** @return the outcome that tells most, of those that did not pass; first in run order on a tie */
    public static Optional<Outcome> mostTelling(List<Outcome> outcomes) {
        return outcomes.stream()
                .filter(o -> o.status() != Status.PASSED)
                .min(java.util.Comparator.comparingInt(Outcome::rank));
    }

    public static String firstLine(String message) {
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip() + " …";
    }
}
