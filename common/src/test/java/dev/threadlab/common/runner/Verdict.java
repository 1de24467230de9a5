package dev.threadlab.common.runner;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.runner.Course.Exercise;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * What one grading found, and how the runner says it: the one-line report (the same wording as
 * the grading report Maven prints, common's {@code GradingReport}) and, on failure, every broken
 * rule's message.
 */
public record Verdict(Exercise exercise, State state, List<Rule> rules, String compileErrors, Duration took) {

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

    /** How one rule (test) of the spec ended. */
    public enum Outcome { PASSED, NOT_STARTED, FAILED, SKIPPED }

    /**
     * @param name    the rule in words, from the test's name
     * @param message the learner-facing message (empty when passed)
     * @param hang    true when the rule failed by timing out (the message then carries the dump)
     */
    public record Rule(String name, Outcome outcome, String message, boolean hang) {}

    /** Classifies a test's failure as the course's grading does (common's {@code Grading.outcome}). */
    static Rule rule(String name, boolean successful, boolean aborted, Throwable failure) {
        if (successful) {
            return new Rule(name, Outcome.PASSED, "", false);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NotImplementedYet) {
                return new Rule(name, Outcome.NOT_STARTED, t.getMessage().strip().lines().findFirst().orElse(""), false);
            }
        }
        String message = failure == null ? "aborted" : failure.getMessage();
        if (message == null || message.isBlank()) {
            message = failure == null ? "aborted" : failure.getClass().getName();
        }
        int stub = message.indexOf(NotImplementedYet.PREFIX);
        if (stub >= 0) {
            return new Rule(name, Outcome.NOT_STARTED, message.substring(stub).lines().findFirst().orElse("").strip(), false);
        }
        if (aborted) {
            return new Rule(name, Outcome.SKIPPED, message, false);
        }
        boolean hang = message.startsWith("hang: ") || message.startsWith("deadlock: ")
                || failure instanceof TimeoutException || failure != null && failure.getCause() instanceof TimeoutException;
        return new Rule(name, Outcome.FAILED, message, hang);
    }

    static Verdict graded(Exercise exercise, List<Rule> rules, Duration took) {
        State state;
        if (!rules.isEmpty() && rules.stream().allMatch(r -> r.outcome() == Outcome.PASSED)) {
            state = State.PASSED;
        } else if (!rules.isEmpty() && rules.stream().allMatch(r -> r.outcome() == Outcome.NOT_STARTED)) {
            state = State.NOT_STARTED;
        } else {
            state = State.FAILING;
        }
        return new Verdict(exercise, state, List.copyOf(rules), "", took);
    }

    static Verdict doesNotCompile(Exercise exercise, String errors, Duration took) {
        return new Verdict(exercise, State.DOES_NOT_COMPILE, List.of(), errors, took);
    }

    public long passed() {
        return rules.stream().filter(r -> r.outcome() == Outcome.PASSED).count();
    }

    public int total() {
        return rules.size();
    }

    /** @return "4/4" */
    public String score() {
        return passed() + "/" + total();
    }

    /**
     * The most telling broken rule: a precise assertion before a timeout (a hang often follows
     * from the same fault, and says less), then a skipped rule, in run order.
     */
    public Optional<Rule> mostTelling() {
        return rules.stream().filter(r -> r.outcome() == Outcome.FAILED && !r.hang()).findFirst()
                .or(() -> rules.stream().filter(r -> r.outcome() == Outcome.FAILED).findFirst())
                .or(() -> rules.stream().filter(r -> r.outcome() != Outcome.PASSED).findFirst());
    }

    /** @return the one-line report, e.g. "01 start, run and join threads   passed (4/4 rules)" */
    public String line() {
        return exercise.title() + "   " + summary();
    }

    /** @return the verdict without the title */
    public String summary() {
        return switch (state) {
            case PASSED -> "passed (" + score() + " rules)";
            case NOT_STARTED -> "not started: " + rules.get(0).message();
            case DOES_NOT_COMPILE -> "does not compile: " + firstLine(compileErrors);
            case FAILING -> {
                Rule first = mostTelling().orElseThrow();
                yield "FAILING (" + score() + " rules pass). First broken rule: " + first.name() + " — "
                        + firstLine(first.message());
            }
        };
    }

    /** @return what the learner needs beyond the line: the compiler's errors, or each broken rule */
    public String details() {
        StringBuilder out = new StringBuilder();
        switch (state) {
            case DOES_NOT_COMPILE -> out.append(compileErrors.stripTrailing()).append('\n');
            case FAILING -> {
                out.append("Broken rules (").append(total() - passed()).append(" of ").append(total()).append("):\n");
                for (Rule rule : rules) {
                    if (rule.outcome() == Outcome.PASSED) {
                        continue;
                    }
                    out.append("  ✗ ").append(rule.name()).append('\n');
                    rule.message().strip().lines().forEach(l -> out.append("      ").append(l).append('\n'));
                }
            }
            default -> { }
        }
        return out.toString();
    }

    static String firstLine(String message) {
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip() + " …";
    }
}
