package dev.threadlab.common.runner;

import dev.threadlab.common.runner.Course.Exercise;
import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingReport;
import java.time.Duration;
import java.util.List;

/**
 * What one grading found, and how the runner says it. The one-line verdict is common's
 * {@link GradingReport#verdict(List)} of the same outcomes ({@link Grading#outcome}, computed in
 * the grading JVM): the very line {@code ./mvnw verify -Plearn} prints for the exercise. Below it,
 * on failure, every broken rule with its whole message.
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

    /** @return what the learner needs beyond the line: the compiler's errors, or each broken rule */
    public String details() {
        StringBuilder out = new StringBuilder();
        switch (state) {
            case DOES_NOT_COMPILE -> out.append(compileErrors.stripTrailing()).append('\n');
            case FAILING -> {
                out.append("Broken rules (")
                        .append(total() - passed())
                        .append(" of ")
                        .append(total())
                        .append("):\n");
                for (Grading.Outcome o : outcomes) {
                    if (o.status() == Grading.Status.PASSED) {
                        continue;
                    }
                    out.append("  ✗ ").append(Names.words(o.test())).append('\n');
                    o.message()
                            .strip()
                            .lines()
                            .forEach(l -> out.append("      ").append(l).append('\n'));
                }
            }
            default -> {}
        }
        return out.toString();
    }
}
