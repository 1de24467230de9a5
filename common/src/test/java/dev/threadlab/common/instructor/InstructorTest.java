package dev.threadlab.common.instructor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The instructor's commands as the launcher calls them: exit 0 when done, 2 with a clear line on bad usage. */
class InstructorTest {

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Cli.execute(new Instructor(), new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void exportWritesTheStudentEditionAndSaysWhat() throws Exception {
        Path course = MiniCourse.write(temp.resolve("course"));

        int code = run(
                "export",
                "--course",
                course.toString(),
                "--student",
                temp.resolve("student").toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .startsWith("student edition written to " + temp.resolve("student") + ": modules 01-demo,");
        assertThat(temp.resolve("student/01-demo/src/main/java/dev/demo/exercise/YourAdder.java"))
                .isRegularFile();
        assertThat(temp.resolve("student/01-demo/src/main/java/dev/demo/solution"))
                .doesNotExist();
    }

    @Test
    void anUnknownModuleIsAUsageErrorNamingTheModulesThereAre() throws Exception {
        Path course = MiniCourse.write(temp.resolve("course"));

        int code = run(
                "export",
                "--course",
                course.toString(),
                "--student",
                temp.resolve("s").toString(),
                "--modules",
                "07");

        assertThat(code).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).startsWith("threadlab: --modules: no module '07'; the course has 01-demo");
    }

    @Test
    void aCopyInsideTheCourseIsRefused() throws Exception {
        Path course = MiniCourse.write(temp.resolve("course"));

        int code = run(
                "export",
                "--course",
                course.toString(),
                "--student",
                course.resolve("student").toString());

        assertThat(code).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("is inside the course");
    }

    @Test
    void gradeClassChecksItsArgumentsBeforeGradingAnything() throws Exception {
        Path course = MiniCourse.write(temp.resolve("course"));
        Path submissions = Files.createDirectories(temp.resolve("subs"));

        assertThat(run(
                        "grade-class",
                        "--course",
                        course.toString(),
                        temp.resolve("missing").toString()))
                .isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("is not a folder");
        assertThat(run("grade-class", "--course", course.toString(), "--time-limit", "soon", submissions.toString()))
                .isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("--time-limit 'soon': expected a number with s, m or h");
        assertThat(run(
                        "grade-class",
                        "--course",
                        course.toString(),
                        "--out",
                        submissions.resolve("out").toString(),
                        submissions.toString()))
                .isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("is inside SUBMISSIONS");
        assertThat(run("grade-class", "--course", course.toString(), submissions.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("holds no submission");
    }

    @Test
    void withNoCommandTheUsageIsShown() {
        assertThat(run()).isEqualTo(Cli.USAGE);
        assertThat(out.toString()).contains("export", "grade-class", "grade");
    }
}
