package dev.threadlab.common.instructor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.instructor.ExerciseResult.Verdict;
import dev.threadlab.common.instructor.SyntheticClass.Student;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The done-when of class grading: a class of synthetic students on exercise 01 (solved, untouched,
 * wrong, hangs in every rule, does not compile, calls System.exit, writes 1 GiB of output), handed in
 * as a zip, folders and a bare git repository, is graded in one run; each gets the right verdict;
 * the hung student costs only their own slot, at most their time bound.
 *
 * <p>Slow (Maven builds, one per student, two at a time), so not part of {@code ./mvnw verify} (the
 * name ends in IT). Measured on the 2-core machine loaded by other builds (load average 20): the test
 * 342 s; the class 338 s, of which grading the students 292 s, where the six others alone on the same
 * two slots would have taken 212 s and the hung student's slot took 130 s. Run it with:
 * <pre>./mvnw -q -pl common verify -Dtest=GradeClassIT -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * The per-student bound is 150 s unless {@code -Dthreadlab.it.bound=SECONDS} says otherwise; it must
 * exceed one normal student's build on the machine (on a 2-core machine loaded by other builds that
 * took up to 116 s).
 */
class GradeClassIT {

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 40, unit = TimeUnit.MINUTES) // seven Maven builds, two at a time, on a loaded 2-core machine
    void aSyntheticClassIsGradedInOneRunEachStudentCostingOnlyTheirOwnSlot() throws Exception {
        Course course = Course.read(StudentEditionTest.COURSE);
        Path submissions = temp.resolve("submissions");
        SyntheticClass.write(course, submissions, Files.createDirectories(temp.resolve("scratch")));
        Duration bound = Duration.ofSeconds(Long.getLong("threadlab.it.bound", 150));
        int jobs = 2;
        StudentBuild.Limits limits = new StudentBuild.Limits(bound, 768, 16L << 20);
        StringWriter console = new StringWriter();

        ClassGrader.Summary summary = new ClassGrader(
                        course, List.of("01"), limits, jobs, false, new PrintWriter(console, true))
                .gradeClass(submissions, temp.resolve("graded"));
        System.out.print(console);

        Map<String, StudentResult> by =
                summary.students().stream().collect(Collectors.toMap(StudentResult::id, Function.identity()));
        assertThat(by.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(Student.values()).map(Student::id).toList());
        assertThat(verdict(by, Student.SOLVED).verdict()).isEqualTo(Verdict.PASSED);
        assertThat(verdict(by, Student.UNTOUCHED).verdict()).isEqualTo(Verdict.NOT_STARTED);
        assertThat(verdict(by, Student.WRONG).verdict()).isEqualTo(Verdict.FAILING);
        assertThat(verdict(by, Student.WRONG).headline()).contains("start() makes a new thread");
        ExerciseResult hangs = verdict(by, Student.HANGS);
        assertThat(hangs.verdict() == Verdict.TIMED_OUT
                        || (hangs.verdict() == Verdict.FAILING
                                && hangs.headline().contains("A rule hung")))
                .as(
                        "the hung student: timed out at their bound, or a hang reported by the spec; was %s",
                        hangs.headline())
                .isTrue();
        assertThat(verdict(by, Student.BROKEN).verdict()).isEqualTo(Verdict.DOES_NOT_COMPILE);
        assertThat(verdict(by, Student.BROKEN).headline())
                .contains(
                        "01-basic-threads/src/main/java/dev/threadlab/basics/exercise/YourStartAndJoin.java:8",
                        "';' expected");
        assertThat(verdict(by, Student.EXITS).verdict()).isEqualTo(Verdict.CRASHED);
        assertThat(verdict(by, Student.FLOODS).verdict()).isEqualTo(Verdict.TOO_MUCH_OUTPUT);
        assertThat(by.get("floods").build().outputBytes()).isLessThan(64L << 20);

        Path graded = temp.resolve("graded");
        assertThat(Files.readAllLines(graded.resolve("grades.csv"))).hasSize(1 + Student.values().length);
        String html = Files.readString(graded.resolve("report.html"));
        for (Student s : Student.values()) {
            assertThat(html).contains("id=\"student-" + s.id() + "\"");
            assertThat(graded.resolve("students/" + s.id() + "/results.json")).exists();
        }
        assertThat(Files.readString(graded.resolve("students/solved/results.json")))
                .contains("\"status\": \"pass\"");
        assertThat(Files.readString(graded.resolve("students/untouched/results.json")))
                .contains("\"status\": \"fail\"");
        assertThat(Files.readString(graded.resolve("students/broken/results.json")))
                .contains("\"status\": \"error\"");
        assertThat(sizeOf(graded))
                .as("the report folder, after a student printed 1 GiB")
                .isLessThan(20L << 20);
        assertThat(graded.resolve("work"))
                .as("each student's build folder is deleted once graded")
                .doesNotExist();

        // The hung student's slot lasted at most their bound (plus the kill); the class took at most
        // that much longer than the others alone would have, scheduled the same way on the same slots.
        StudentResult hung = by.get(Student.HANGS.id());
        assertThat(hung.took()).isLessThan(bound.plusSeconds(20));
        List<Duration> others = new ArrayList<>();
        summary.students().stream().filter(s -> s != hung).forEach(s -> others.add(s.took()));
        Duration withoutHung = makespan(others, jobs);
        System.out.printf(
                "class graded in %d s (students: %d s; the others alone on %d slots: %d s; hung student's slot %d s, "
                        + "bound %d s)%n",
                summary.took().toSeconds(),
                summary.gradingStudents().toSeconds(),
                jobs,
                withoutHung.toSeconds(),
                hung.took().toSeconds(),
                bound.toSeconds());
        assertThat(summary.gradingStudents()).isLessThan(withoutHung.plus(bound).plusSeconds(30));
    }

    private static ExerciseResult verdict(Map<String, StudentResult> by, Student s) {
        return by.get(s.id()).exercises().get(0);
    }

    /** How long {@code durations} take as a pool of {@code slots} threads runs them, in order. */
    static Duration makespan(List<Duration> durations, int slots) {
        long[] free = new long[slots];
        for (Duration d : durations) {
            int first = 0;
            for (int i = 1; i < slots; i++) {
                if (free[i] < free[first]) {
                    first = i;
                }
            }
            free[first] += d.toMillis();
        }
        return Duration.ofMillis(Arrays.stream(free).max().orElse(0));
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }
}
