package dev.threadlab.common.runner;

import dev.threadlab.common.runner.Course.Exercise;
import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Proves that {@code ./threadlab check} and the course's grading ({@link Grading}, what
 * {@code ./mvnw verify} runs) give the same verdict. The runner's side: every implementation is
 * graded by the runner's grading JVM ({@link GradeMain}, started by {@link Grader} as for a check:
 * the module's recorded class path and JVM options), all of them in ONE such JVM, one after the
 * other. The grading's side: {@link Grading#grade} in this JVM. Both must give the same rules the
 * same status, and so the same verdict line ({@link GradingReport#verdict}).
 */
public final class RunnerAgreement {

    private RunnerAgreement() {}

    /** What each side said about one implementation. */
    public record Agreement(String implementation, String runner, String grading) {}

    /**
     * @param loader          loads the exercise's module (its spec and the implementations)
     * @param implementations class names of implementations of the exercise
     * @throws AssertionError naming each implementation on which the two disagree
     * @return both verdicts of each implementation
     */
    static List<Agreement> assertAgrees(
            Grader grader, Exercise exercise, ClassLoader loader, List<String> implementations) {
        List<List<Grading.Outcome>> byRunner = grader.gradeEach(exercise, implementations);
        List<Agreement> all = new ArrayList<>();
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < implementations.size(); i++) {
            String implementation = implementations.get(i);
            Grading.Report report;
            try {
                report = Grading.grade(
                        Class.forName(exercise.spec(), true, loader), Class.forName(implementation, true, loader));
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("cannot load " + e.getMessage(), e);
            }
            String runnerSays = says(byRunner.get(i));
            String gradingSays = says(report.outcomes());
            all.add(new Agreement(implementation, runnerSays, gradingSays));
            if (!runnerSays.equals(gradingSays)) {
                disagreements.add(implementation + ":\n  ./threadlab says: " + runnerSays + "\n  the grading says: "
                        + gradingSays);
            }
        }
        if (!disagreements.isEmpty()) {
            throw new AssertionError(
                    "./threadlab and the course's grading disagree:\n" + String.join("\n", disagreements));
        }
        return all;
    }

    /** Each rule's status, in name order, then the verdict line (a skipped rule's reason aside). */
    private static String says(List<Grading.Outcome> outcomes) {
        List<Grading.Outcome> normal = outcomes.stream()
                .map(o -> o.status() == Grading.Status.SKIPPED
                        ? new Grading.Outcome(o.test(), o.status(), "", o.rule(), o.order())
                        : o)
                .toList();
        StringBuilder out = new StringBuilder();
        normal.stream()
                .sorted(Comparator.comparing(Grading.Outcome::test))
                .forEach(o -> out.append(o.test())
                        .append('=')
                        .append(o.status())
                        .append('#')
                        .append(o.order())
                        .append(' '));
        return out.append("| ")
                .append(Grading.firstLine(GradingReport.verdict(normal)))
                .toString();
    }

    static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
