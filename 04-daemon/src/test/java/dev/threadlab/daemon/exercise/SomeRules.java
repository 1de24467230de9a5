package dev.threadlab.daemon.exercise;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.threadlab.common.testsupport.Grading;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Grades a correct solution on every rule of a spec but a few, in one run: for the correct-idiom
 * fixtures, whose idiom changes nothing in the rules left out (each left-out rule is passed by the
 * reference, which is graded on every rule); and grades a wrong one the same way where the rules
 * left out cannot change what a self-check asserts ({@link #gradeAllBut}). Module-local: common's
 * {@link Grading} has {@code assertPasses} for all rules and {@code grade} for one; this is the
 * step between (a candidate for common as {@code Grading.assertPassesAllBut}).
 */
final class SomeRules {

    private SomeRules() {}

    /**
     * Grades {@code implementation} on every {@code @Test} rule of {@code spec} not named in
     * {@code leftOut}, one rule at a time (each outcome keeps its place in the spec's order).
     */
    static Grading.Report gradeAllBut(Class<?> spec, Class<?> implementation, String... leftOut) {
        List<String> rules =
                rulesBut(spec, leftOut).stream().map(Method::getName).toList();
        List<Grading.Outcome> outcomes = rules.stream()
                .flatMap(rule -> Grading.grade(spec, rule, implementation).outcomes().stream())
                .toList();
        return new Grading.Report(spec, implementation, outcomes);
    }

    private static List<Method> rulesBut(Class<?> spec, String... leftOut) {
        Set<String> skipped = Set.of(leftOut);
        List<Method> rules = Arrays.stream(spec.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Test.class))
                .toList();
        List<String> unknown = skipped.stream()
                .filter(name -> rules.stream().noneMatch(m -> m.getName().equals(name)))
                .toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(spec.getSimpleName() + " has no rule(s) named " + unknown);
        }
        return rules.stream().filter(m -> !skipped.contains(m.getName())).toList();
    }

    /**
     * @throws AssertionError unless every {@code @Test} rule of {@code spec} not named in
     *                        {@code leftOut} passes for {@code implementation}
     */
    static void assertPassesAllBut(Class<?> spec, Class<?> implementation, String... leftOut) {
        Set<String> skipped = Set.of(leftOut);
        List<DiscoverySelector> selected = rulesBut(spec, leftOut).stream()
                .map(m -> (DiscoverySelector) selectMethod(spec, m))
                .toList();
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(Grading.GRADE_PROPERTY, implementation.getName())
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selected.toArray(DiscoverySelector[]::new))
                .execute();
        List<Event> finished = results.testEvents().finished().list();
        List<String> problems = finished.stream()
                .filter(e -> e.getRequiredPayload(TestExecutionResult.class).getStatus()
                        != TestExecutionResult.Status.SUCCESSFUL)
                .map(e -> e.getTestDescriptor().getDisplayName() + ": "
                        + e.getRequiredPayload(TestExecutionResult.class)
                                .getThrowable()
                                .map(Throwable::getMessage)
                                .orElse("aborted"))
                .toList();
        long skippedByTheEngine = results.testEvents().skipped().count();
        if (!problems.isEmpty()
                || finished.size() != selected.size()
                || skippedByTheEngine > 0
                || results.containerEvents().failed().count() > 0) {
            throw new AssertionError("the spec should accept " + implementation.getSimpleName() + " on "
                    + selected.size() + " rules (all but " + skipped + "), but " + finished.size() + " finished, "
                    + skippedByTheEngine + " were skipped, and these failed:\n  " + String.join("\n  ", problems));
        }
    }
}
