package dev.threadlab.common.runner;

import dev.threadlab.common.runner.Course.Exercise;
import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingReport;
import dev.threadlab.common.testsupport.SolutionResolver;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one grading found, and how the runner says it. The one-line verdict is common's
 * {@link GradingReport#verdict(List)} of the same outcomes ({@link Grading#outcome}, computed in
 * the grading JVM): the very line {@code ./mvnw verify -Plearn} prints for the exercise. Below it,
 * on failure, the rest of that rule's message, the other broken rules with theirs, and the rules
 * not run.
 */
public record Verdict(
        Exercise exercise, State state, List<Grading.Outcome> outcomes, String compileErrors, Duration took) {

    /** Where the learner stands on an exercise. */
    public enum State {
        NOT_STARTED("not started"),
        DOES_NOT_COMPILE("does not compile"),
        FAILING("failing"),
        PASSED("passed");

        final String words;

        State(String words) {
            this.words = words;
        }
    }

    static Verdict graded(Exercise exercise, List<Grading.Outcome> outcomes, Duration took) {
        State state;
        if (!outcomes.isEmpty() && outcomes.stream().allMatch(o -> o.status() == Grading.Status.PASSED)) {
            state = State.PASSED;
        } else if (!outcomes.isEmpty()
                && outcomes.stream().allMatch(o -> o.status() == Grading.Status.NOT_IMPLEMENTED_YET)) {
            state = State.NOT_STARTED;
        } else {
            state = State.FAILING;
        }
        return new Verdict(exercise, state, List.copyOf(outcomes), "", took);
    }

    static Verdict doesNotCompile(Exercise exercise, String errors, Duration took) {
        return new Verdict(exercise, State.DOES_NOT_COMPILE, List.of(), errors, took);
    }

    public long passed() {
        return outcomes.stream()
                .filter(o -> o.status() == Grading.Status.PASSED)
                .count();
    }

    public int total() {
        return outcomes.size();
    }

    /** @return "4/4" */
    public String score() {
        return passed() + "/" + total();
    }

    /** @return the one-line report, e.g. "01.1 start, run and join threads   passed (4/4 rules)" */
    public String line() {
        return exercise.title() + "   " + summary();
    }

    /** @return the verdict without the title: the first line of what Maven's grading report says */
    public String summary() {
        if (state == State.DOES_NOT_COMPILE) {
            return "does not compile: " + Grading.firstLine(compileErrors).replaceFirst(" …$", "");
        }
        if (outcomes.isEmpty()) {
            return "FAILING: the spec ran no rule";
        }
        String verdict = GradingReport.verdict(outcomes);
        int newline = verdict.indexOf('\n');
        return newline < 0 ? verdict : verdict.substring(0, newline);
    }

    /**
     * @return what the learner needs beyond the line: the compiler's errors after the first line
     *         (which is in the line); or, on failure, the rest
     *         of the headline rule's message (its first line is in the line), then every other
     *         broken rule with its message (a message already shown is not shown again), then the
     *         rules not run, each once, in the spec's order
     */
    public String details() {
        StringBuilder out = new StringBuilder();
        switch (state) {
            case DOES_NOT_COMPILE -> {
                // The first error's message is the verdict's line already: here what follows it
                // (its source line and caret, the other errors), so that no message shows twice.
                String errors = compileErrors.strip();
                int newline = errors.indexOf('\n');
                if (newline >= 0) {
                    out.append(errors.substring(newline + 1).stripTrailing()).append('\n');
                }
            }
            case FAILING -> {
                String verdict = GradingReport.verdict(outcomes);
                int newline = verdict.indexOf('\n');
                if (newline >= 0) {
                    out.append(verdict.substring(newline + 1).stripTrailing()).append('\n');
                }
                Grading.Outcome headline = Grading.mostTelling(outcomes).orElseThrow();
                List<Grading.Outcome> inOrder = outcomes.stream()
                        .sorted(Comparator.comparingInt(Grading.Outcome::order))
                        .toList();
                List<Grading.Outcome> broken = inOrder.stream()
                        .filter(o -> o != headline && o.status() != Grading.Status.PASSED && !o.notRun())
                        .toList();
                List<Grading.Outcome> notRun = inOrder.stream()
                        .filter(o -> o != headline && o.notRun())
                        .toList();
                Set<String> shown = new HashSet<>();
                shown.add(headline.message().strip());
                if (!broken.isEmpty()) {
                    if (!out.isEmpty()) {
                        out.append('\n');
                    }
                    out.append(broken.size() == 1 ? "Also broken:\n" : "Also broken (" + broken.size() + " rules):\n");
                    for (Grading.Outcome o : broken) {
                        out.append("  ✗ ").append(o.rule()).append('\n');
                        String message = o.message().strip();
                        if (!shown.add(message)) {
                            out.append("      (the same message as above)\n");
                            continue;
                        }
                        message.lines()
                                .forEach(l -> out.append("      ").append(l).append('\n'));
                    }
                }
                if (!notRun.isEmpty()) {
                    if (!out.isEmpty()) {
                        out.append('\n');
                    }
                    out.append("Not run (")
                            .append(notRun.size())
                            .append(" of ")
                            .append(total())
                            .append(" rules):\n");
                    for (Grading.Outcome o : notRun) {
                        out.append("  · ")
                                .append(o.rule())
                                .append(" — ")
                                .append(whyNotRun(o))
                                .append('\n');
                    }
                }
            }
            default -> {}
        }
        return out.toString();
    }

    /** @return "not run (an earlier rule hung)", or the reason JUnit gave */
    static String whyNotRun(Grading.Outcome o) {
        return o.message().startsWith(SolutionResolver.SKIPPED_AFTER_HANG)
                ? "not run (an earlier rule hung)"
                : "not run (" + Grading.firstLine(o.message()) + ")";
    }
}
