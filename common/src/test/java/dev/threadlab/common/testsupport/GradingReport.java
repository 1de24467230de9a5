package dev.threadlab.common.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints the short grading report at the end of a test run: one line per exercise, passed / not
 * implemented yet / failing with the first broken rule. Registered for every module through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener} in common's
 * test-jar. Prints nothing when the run graded no exercise.
 *
 * <pre>
 * ── threadlab grading: your solutions (-Plearn) ──
 *   01 start and join two threads     not implemented yet: start one thread per ...
 * </pre>
 */
public final class GradingReport implements TestExecutionListener {

    private static final class Tally {
        int passed;
        int total;
        Grading.Outcome firstProblem;
        boolean allNotImplemented = true;
    }

    private final Map<String, Tally> exercises = new LinkedHashMap<>();

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!id.isTest()) {
            return;
        }
        Optional<GradedExercise> exercise = id.getSource()
                .filter(MethodSource.class::isInstance)
                .map(MethodSource.class::cast)
                .flatMap(GradingReport::exerciseOf);
        if (exercise.isEmpty()) {
            return;
        }
        Tally tally = exercises.computeIfAbsent(exercise.get().value(), k -> new Tally());
        tally.total++;
        Grading.Outcome outcome = Grading.outcome(id.getDisplayName(), result);
        if (outcome.status() == Grading.Status.PASSED) {
            tally.passed++;
            tally.allNotImplemented = false;
        } else {
            if (outcome.status() != Grading.Status.NOT_IMPLEMENTED_YET) {
                tally.allNotImplemented = false;
            }
            if (tally.firstProblem == null) {
                tally.firstProblem = outcome;
            }
        }
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest()) {
            id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                    .flatMap(GradingReport::exerciseOf)
                    .ifPresent(e -> {
                        Tally tally = exercises.computeIfAbsent(e.value(), k -> new Tally());
                        tally.total++;
                        tally.allNotImplemented = false;
                        if (tally.firstProblem == null) {
                            tally.firstProblem = new Grading.Outcome(id.getDisplayName(), Grading.Status.SKIPPED, reason);
                        }
                    });
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        if (exercises.isEmpty()) {
            return;
        }
        String graded = System.getProperty(Grading.GRADE_PROPERTY, "reference");
        StringBuilder out = new StringBuilder("\n── threadlab grading: ")
                .append(switch (graded) {
                    case "learner" -> "your solutions (-Plearn)";
                    case "reference" -> "the reference solutions (grade yours with -Plearn)";
                    default -> graded;
                })
                .append(" ──\n");
        int width = exercises.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        exercises.forEach((title, tally) -> {
            String verdict;
            if (tally.firstProblem == null) {
                verdict = "passed (" + tally.passed + "/" + tally.total + " rules)";
            } else if (tally.allNotImplemented) {
                verdict = Grading.firstLine(tally.firstProblem.message());
            } else {
                verdict = "FAILING (" + tally.passed + "/" + tally.total + " rules pass). First broken rule: "
                        + tally.firstProblem.test() + " — " + Grading.firstLine(tally.firstProblem.message());
            }
            out.append(String.format("  %-" + width + "s %s%n", title, verdict));
        });
        if (graded.equals("learner")) {
            out.append("  (the course's own grading self-checks, tagged ").append(GradingSelfCheck.TAG)
                    .append(", are not run under -Plearn: they check the untouched stubs)\n");
        }
        System.out.print(out);
        System.out.flush();
    }

    private static Optional<GradedExercise> exerciseOf(MethodSource source) {
        try {
            Class<?> spec = source.getJavaClass();
            for (Class<?> c = spec; c != null; c = c.getEnclosingClass()) {
                GradedExercise exercise = c.getAnnotation(GradedExercise.class);
                if (exercise != null) {
                    return Optional.of(exercise);
                }
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
