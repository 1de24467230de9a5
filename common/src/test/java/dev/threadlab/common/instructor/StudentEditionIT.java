package dev.threadlab.common.instructor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The student edition of the whole course builds green on the untouched stubs with the README's
 * {@code ./mvnw verify}, every exercise reported "not started"; a solved exercise then grades
 * "passed" with the learner's command; and the build leaves no class of a solution package.
 *
 * <p>Slow (it builds the whole copy with Maven: 345 s on the 2-core machine loaded by other builds,
 * load average 20), so it is not part of {@code ./mvnw verify} (the name ends in IT). Run it with:
 * <pre>./mvnw -q -pl common verify -Dtest=StudentEditionIT -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class StudentEditionIT {

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 40, unit = TimeUnit.MINUTES) // two Maven builds of the whole course on a loaded 2-core machine
    void theEditionBuildsGreenOnTheStubsAndGradesASolvedExerciseWithTheLearnersCommand() throws Exception {
        Course course = Course.read(StudentEditionTest.COURSE);
        Path copy = temp.resolve("student");
        StudentEdition.export(course, copy, List.of());

        Maven.Run verify = Maven.run(copy, Duration.ofMinutes(30), "-o", "-q", "verify");
        assertThat(verify.exitCode())
                .as("./mvnw verify in the student edition:\n%s", verify.tail())
                .isZero();
        for (Course.Exercise exercise : course.exercises()) {
            assertThat(verify.output())
                    .as("the grading report of %s", exercise.title())
                    .containsPattern("\\Q" + exercise.title() + "\\E +not started: ");
        }

        Course.Exercise first = course.exercises().get(0);
        Files.writeString(copy.resolve(first.learnerFile()), SyntheticClass.referenceAsLearner(course, first));
        Maven.Run grade =
                Maven.run(copy, Duration.ofMinutes(10), "-o", "-q", "-pl", first.module(), "-am", "verify", "-Plearn");
        assertThat(grade.exitCode())
                .as("grading a solved exercise:\n%s", grade.tail())
                .isZero();
        assertThat(grade.output()).containsPattern("\\Q" + first.title() + "\\E +passed \\(\\d+/\\d+ rules\\)");

        List<String> solutionClasses = new ArrayList<>();
        try (Stream<Path> all = Files.walk(copy)) {
            all.filter(p -> p.toString().endsWith(".class") && p.toString().contains("/solution/"))
                    .forEach(p -> solutionClasses.add(copy.relativize(p).toString()));
        }
        assertThat(solutionClasses)
                .as("class files of a solution package in the built copy")
                .isEmpty();
    }

    /** Runs the copy's own Maven wrapper. */
    static final class Maven {
        record Run(int exitCode, String output, Duration took) {
            String tail() {
                return output.length() < 6000 ? output : "…" + output.substring(output.length() - 6000);
            }
        }

        static Run run(Path dir, Duration limit, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(dir.resolve("mvnw").toString()));
            command.addAll(List.of(args));
            Path log = Files.createTempFile(dir.getParent(), "maven", ".log");
            long start = System.nanoTime();
            Process maven = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!maven.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                StudentBuild.killTree(maven.toHandle());
                throw new AssertionError(
                        "Maven did not finish within " + limit + " in " + dir + ":\n" + Files.readString(log));
            }
            StudentBuild.killTree(maven.toHandle());
            return new Run(maven.exitValue(), Files.readString(log), Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
