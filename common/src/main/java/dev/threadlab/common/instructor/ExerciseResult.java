package dev.threadlab.common.instructor;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.exercise.RuleWords;
import dev.threadlab.common.instructor.Course.Exercise;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One student's verdict on one exercise, as the grading report (common's {@code GradingReport})
 * words it, plus what the class report adds: an exercise that did not compile, ran out of time or
 * output, or whose JVM stopped.
 *
 * @param exercise the exercise
 * @param verdict  the kind of verdict
 * @param rules    each rule's outcome, in the spec's source order (empty when no rule ran)
 * @param headline one line: what the verdict says
 * @param details  the whole diagnosis (a failure's full message, the compiler's errors), may be empty
 */
public record ExerciseResult(Exercise exercise, Verdict verdict, List<Rule> rules, String headline, String details) {

    /** The kinds of verdict, with the word the CSV and the report use. */
    public enum Verdict {
        PASSED("passed"),
        FAILING("failing"),
        NOT_STARTED("not started"),
        NOT_SUBMITTED("not submitted"),
        DOES_NOT_COMPILE("does not compile"),
        TIMED_OUT("timed out"),
        TOO_MUCH_OUTPUT("too much output"),
        CRASHED("JVM stopped"),
        ERROR("not graded");

        private final String word;

        Verdict(String word) {
            this.word = word;
        }

        /** @return the verdict as the report writes it */
        public String word() {
            return word;
        }

        /** @return true if no rule could run: the whole exercise is an error in results.json */
        public boolean noRuleRan() {
            return this == DOES_NOT_COMPILE
                    || this == TIMED_OUT
                    || this == TOO_MUCH_OUTPUT
                    || this == CRASHED
                    || this == ERROR;
        }
    }

    /** How one rule ended. */
    public enum Status {
        PASSED,
        FAILED,
        HUNG,
        NOT_IMPLEMENTED,
        SKIPPED
    }

    /** One rule (test method) of the spec and how it ended, with its whole message (empty if it passed). */
    public record Rule(String name, Status status, String message) {

        /** Lower first: a precise broken rule, then a hang, then "not implemented yet", then a rule not run. */
        int rank() {
            return switch (status) {
                case FAILED -> 0;
                case HUNG -> 1;
                case NOT_IMPLEMENTED -> 2;
                case SKIPPED -> 3;
                case PASSED -> 4;
            };
        }
    }

    /** @return the number of rules that passed */
    public long passedRules() {
        return rules.stream().filter(r -> r.status() == Status.PASSED).count();
    }

    /**
     * The verdict from the rules' outcomes, worded like the grading report: passed (n/n rules), not
     * started (every rule met the untouched stub), or failing with the most telling broken rule (a
     * precise rule before a hang, a hang before "not implemented yet"; the first in source order on a tie).
     */
    static ExerciseResult fromRules(Exercise exercise, List<Rule> rules) {
        if (rules.isEmpty()) {
            return new ExerciseResult(exercise, Verdict.ERROR, rules, "the spec ran no rule", "");
        }
        long passed = rules.stream().filter(r -> r.status() == Status.PASSED).count();
        Optional<Rule> problem =
                rules.stream().filter(r -> r.status() != Status.PASSED).min(Comparator.comparingInt(Rule::rank));
        if (problem.isEmpty()) {
            return new ExerciseResult(
                    exercise, Verdict.PASSED, rules, "passed (" + passed + "/" + rules.size() + " rules)", "");
        }
        Rule rule = problem.get();
        if (rules.stream().allMatch(r -> r.status() == Status.NOT_IMPLEMENTED)) {
            return new ExerciseResult(
                    exercise,
                    Verdict.NOT_STARTED,
                    rules,
                    "not started: " + firstLine(rule.message()).replace(NotImplementedYet.PREFIX, ""),
                    "");
        }
        String message = rule.message().strip();
        return new ExerciseResult(
                exercise,
                Verdict.FAILING,
                rules,
                "FAILING (" + passed + "/" + rules.size() + " rules pass). "
                        + (rule.status() == Status.HUNG ? "A rule hung: " : "Broken rule: ")
                        + RuleWords.of(rule.name()) + " — "
                        + firstLine(message),
                message);
    }

    /** A verdict reached without any rule's outcome. */
    static ExerciseResult without(Exercise exercise, Verdict verdict, String headline, String details) {
        return new ExerciseResult(exercise, verdict, List.of(), headline, details);
    }

    /** @return the CSV cell: the verdict word and, where it helps, the rule counts and the first line */
    public String cell() {
        return switch (verdict) {
            case PASSED -> "passed (" + passedRules() + "/" + rules.size() + ")";
            case FAILING ->
                "failing (" + passedRules() + "/" + rules.size() + " pass): "
                        + headline.substring(headline.indexOf(". ") + 2);
            case NOT_STARTED, NOT_SUBMITTED -> verdict.word();
            default -> headline;
        };
    }

    static String firstLine(String message) {
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip() + " …";
    }
}
