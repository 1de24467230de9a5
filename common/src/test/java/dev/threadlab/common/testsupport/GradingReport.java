package dev.threadlab.common.testsupport;

import dev.threadlab.common.exercise.NotImplementedYet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints the short grading report at the end of a test run: one line per exercise, passed / not
 * started / failing with the most telling broken rule (a precise rule before a hang, a hang
 * before "not implemented yet"; among equals, the one the spec states first), named in words,
 * and under it the rest of that rule's diagnosis (a hang's thread dump is kept, not cut).
 * Registered for every module through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener} in common's
 * test-jar. Prints nothing when the run graded no exercise.
 *
 * <pre>
 * ── threadlab grading: your solutions ──
 *   01.1 start, run and join threads   not started: in YourStartAndJoin.runAll, create `threads` threads ...
 *   01.2 fetch every URL at the same time   FAILING (3/4 rules pass). Broken rule: the fetches overlap — ...
 * </pre>
 */
public final class GradingReport implements TestExecutionListener {

    private final Map<String, List<Grading.Outcome>> exercises = new TreeMap<>(); // by title: 01.1 before 01.2

    /** The course's one classification of JUnit's events ({@link Grading.Recorder}), grouped by exercise. */
    private final Grading.Recorder recorder = new Grading.Recorder((id, outcome) -> exerciseOf(id)
            .ifPresent(e ->
                    exercises.computeIfAbsent(e.value(), k -> new ArrayList<>()).add(outcome)));

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan plan) {
        recorder.testPlanExecutionStarted(plan);
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        recorder.executionFinished(id, result);
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
        recorder.executionSkipped(id, reason);
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        if (exercises.isEmpty()) {
            return;
        }
        String graded = System.getProperty(Grading.GRADE_PROPERTY, Grading.LEARNER);
        StringBuilder out = new StringBuilder("\n── threadlab grading: ")
                .append(
                        switch (graded) {
                            case Grading.LEARNER -> "your solutions";
                            case Grading.REFERENCE -> "the reference solutions";
                            default -> graded;
                        })
                .append(" ──\n");
        int width = exercises.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        exercises.forEach(
                (title, outcomes) -> out.append(String.format("  %-" + width + "s %s%n", title, verdict(outcomes))));
        System.out.print(out);
        System.out.flush();
    }

    /**
     * One exercise's verdict: "passed (n/n rules)", "not started: …" when every rule met the
     * untouched stub, or "FAILING (k/n rules pass)", n every rule of the spec (those not run
     * included), with the most telling broken rule in words and its message's first line, and
     * below, the rest of that message.
     */
    public static String verdict(List<Grading.Outcome> outcomes) {
        long passed = outcomes.stream()
                .filter(o -> o.status() == Grading.Status.PASSED)
                .count();
        Grading.Outcome problem = Grading.mostTelling(outcomes).orElse(null);
        if (problem == null) {
            return "passed (" + passed + "/" + outcomes.size() + " rules)";
        }
        if (outcomes.stream().allMatch(o -> o.status() == Grading.Status.NOT_IMPLEMENTED_YET)) {
            return "not started: " + Grading.firstLine(problem.message()).replace(NotImplementedYet.PREFIX, "");
        }
        String message = problem.message().strip();
        int newline = message.indexOf('\n');
        String headline = newline < 0 ? message : message.substring(0, newline).strip();
        String below = newline < 0
                ? ""
                : message.substring(newline + 1).stripTrailing().replaceFirst("^(\\s*\\n)+", "");
        int cut = Math.max(headline.lastIndexOf(". "), headline.lastIndexOf("; "));
        if (headline.endsWith(":") && cut > 0 && balanced(headline.substring(cut + 2))) {
            // "… within 10 s. Where the threads were:" then the dump: the headline ends on its
            // sentence, and what introduces the dump goes below with the dump
            below = headline.substring(cut + 2) + "\n" + below;
            headline = headline.substring(0, cut) + ".";
        }
        String rest = below.isEmpty() ? "" : below.indent(6).stripTrailing();
        boolean courseRule = message.startsWith("course rule: ");
        String kind;
        if (courseRule) {
            kind = ""; // the message names the course rule itself
        } else if (problem.hung()) {
            kind = "A rule hung: " + problem.rule() + " — ";
        } else if (problem.notRun()) {
            kind = "A rule was not run: " + problem.rule() + " — ";
        } else {
            kind = "Broken rule: " + problem.rule() + " — ";
        }
        return "FAILING (" + passed + "/" + outcomes.size() + " rules pass). " + kind
                + headline
                + (rest.isEmpty() ? "" : "\n" + rest);
    }

    private static boolean balanced(String clause) {
        return clause.chars().filter(c -> c == '(').count()
                == clause.chars().filter(c -> c == ')').count();
    }

    private static Optional<GradedExercise> exerciseOf(TestIdentifier id) {
        return id.getSource()
                .filter(MethodSource.class::isInstance)
                .map(MethodSource.class::cast)
                .flatMap(GradingReport::exerciseOf);
    }

    private static Optional<GradedExercise> exerciseOf(MethodSource source) {
        try {
            return Optional.of(Grading.findAnnotation(source.getJavaClass()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
