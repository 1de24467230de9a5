package dev.threadlab.common.instructor;

import dev.threadlab.common.instructor.ExerciseResult.Verdict;
import java.time.Duration;
import java.util.List;

/**
 * One student's grading.
 *
 * @param id        the student (the submission's name)
 * @param source    the submission
 * @param exercises one result per exercise graded, in course order
 * @param notes     what was noticed while taking the submission (files missing, too big, not taken)
 * @param build     how the grading build ended, or null when there was nothing to build
 * @param took      wall time for this student, from taking the files to the last report read
 */
public record StudentResult(
        String id,
        String source,
        List<ExerciseResult> exercises,
        List<String> notes,
        StudentBuild.Outcome build,
        Duration took) {

    /** @return true if every exercise passed */
    public boolean passed() {
        return !exercises.isEmpty() && exercises.stream().allMatch(e -> e.verdict() == Verdict.PASSED);
    }

    /** @return how many exercises passed */
    public long exercisesPassed() {
        return exercises.stream().filter(e -> e.verdict() == Verdict.PASSED).count();
    }

    /** The console report, as common's grading report prints it: a heading, then one line per exercise. */
    public String summaryLines() {
        StringBuilder out = new StringBuilder("── threadlab grading: " + id + " ──\n");
        int width = exercises.stream()
                        .mapToInt(e -> e.exercise().title().length())
                        .max()
                        .orElse(0)
                + 2;
        for (ExerciseResult e : exercises) {
            out.append(String.format("  %-" + width + "s %s%n", e.exercise().title(), e.headline()));
        }
        return out.toString();
    }
}
