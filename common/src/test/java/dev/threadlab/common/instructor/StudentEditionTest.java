package dev.threadlab.common.instructor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The student edition gives no reference solution away: no solution package, no text of one, no
 * class that names or extends one; and the course's own instructor material stays behind. (That
 * the copy then builds green and grades: {@code StudentEditionIT}, which runs Maven in it.)
 */
class StudentEditionTest {

    /** The course this test is part of: the tests run in common/. */
    static final Path COURSE = Course.findRoot(Path.of("")).orElseThrow();

    @TempDir
    Path temp;

    /** The whole course's student edition, written once for the tests that only read it. */
    @TempDir
    static Path shared;

    private static Path wholeEdition;

    @BeforeAll
    static void exportTheWholeCourse() {
        wholeEdition = shared.resolve("student");
        StudentEdition.export(Course.read(COURSE), wholeEdition, List.of());
    }

    @Test
    void theWholeCoursesEditionHoldsNoReferenceCodeAndNoSelfCheckOrFixture() throws IOException {
        Course course = Course.read(COURSE);
        Path copy = wholeEdition;

        List<String> files = filesIn(copy);
        assertThat(files).as("no solution package").noneMatch(f -> f.matches(".*/src/main/java/.*/solution/.*"));
        assertThat(files)
                .as("no wrong-solution fixture, no grading self-check")
                .noneMatch(f -> f.contains("/fixtures/"))
                .noneMatch(f -> f.endsWith("GradingTest.java"));
        assertThat(files)
                .as("the instructor tools' tests and the course's CI stay with the course")
                .noneMatch(f -> f.startsWith(StudentEdition.INSTRUCTOR_TESTS))
                .noneMatch(f -> f.startsWith(".ci/"));
        for (Course.Exercise exercise : course.exercises()) {
            assertThat(files)
                    .as("what a student needs for %s", exercise.title())
                    .contains(SourceTree.slashes(exercise.learnerFile()), SourceTree.slashes(exercise.specFile()));
        }

        // Checked here without LeakCheck: no line of the copy is a line of 25+ characters of a reference
        // source, unless the course's shipped sources have that line too (an interface's signature, a
        // common idiom such as "Thread.currentThread().interrupt();").
        Set<String> shipped = new HashSet<>();
        for (String f : files) {
            if (f.endsWith(".java") && Files.isRegularFile(COURSE.resolve(f))) {
                Files.readAllLines(COURSE.resolve(f)).forEach(l -> shipped.add(l.strip()));
            }
        }
        List<String> referenceLines = new ArrayList<>();
        List<String> referenceNames = new ArrayList<>();
        for (String f : SourceTree.files(COURSE)) {
            if (f.matches("\\d+-.*/src/main/java/.*/solution/[^/]+\\.java")) {
                referenceNames.add(f.substring(f.lastIndexOf('/') + 1, f.length() - 5));
                Files.readAllLines(COURSE.resolve(f)).stream()
                        .map(String::strip)
                        .filter(l -> l.length() >= 25 && !l.startsWith("import ") && !shipped.contains(l))
                        .forEach(referenceLines::add);
            }
        }
        referenceNames.removeIf("package-info"::equals);
        assertThat(referenceLines)
                .as("the course has reference solutions to keep out")
                .isNotEmpty();
        for (String f : files) {
            String text = new String(Files.readAllBytes(copy.resolve(f)), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(text.lines().map(String::strip))
                    .as("%s quotes a reference solution", f)
                    .doesNotContainAnyElementsOf(referenceLines);
            for (String name : referenceNames) {
                assertThat(text).as("%s names a reference class", f).doesNotContainPattern("\\b" + name + "\\b");
            }
        }
    }

    @Test
    void specsAndDemosNameTheLearnersClassWhereTheyNamedTheReference() throws IOException {
        Course course = Course.read(COURSE);
        Path copy = wholeEdition;
        for (Course.Exercise exercise : course.exercises()) {
            String spec = Files.readString(copy.resolve(exercise.specFile()));
            assertThat(spec)
                    .as(exercise.specSimpleName())
                    .contains("reference = " + exercise.learnerSimpleName() + ".class")
                    .doesNotContain(".solution.");
        }
        String rootReadme = Files.readString(copy.resolve("README.md"));
        assertThat(rootReadme).contains("**Student edition**").doesNotContain("## For instructors");
    }

    @Test
    void anEditionOfSomeModulesListsOnlyThoseBesideCommon() throws IOException {
        Path copy = temp.resolve("student");
        StudentEdition.Result result = StudentEdition.export(Course.read(COURSE), copy, List.of("03", "4"));

        assertThat(result.modules()).containsExactly("03-locks", "04-daemon");
        try (Stream<Path> top = Files.list(copy)) {
            assertThat(top.filter(Files::isDirectory).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(".mvn", "common", "03-locks", "04-daemon");
        }
        String pom = Files.readString(copy.resolve("pom.xml"));
        assertThat(pom)
                .contains("<module>common</module>", "<module>03-locks</module>", "<module>04-daemon</module>")
                .doesNotContain("<module>01-basic-threads</module>", "<module>05-gil-simulation</module>");
        assertThat(Files.readString(copy.resolve("README.md")))
                .doesNotContain("](01-basic-threads/README.md)")
                .contains("](03-locks/README.md)");
        assertThat(Files.isExecutable(copy.resolve("mvnw")))
                .as("mvnw stays executable")
                .isTrue();
    }

    @Test
    void anExportNeverWritesIntoAFolderThatHoldsSomethingElse() throws IOException {
        Path target = Files.createDirectories(temp.resolve("busy"));
        Files.writeString(target.resolve("thesis.tex"), "mine");

        assertThatThrownBy(() -> StudentEdition.export(Course.read(COURSE), target, List.of("01")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not empty");
        assertThat(Files.readString(target.resolve("thesis.tex"))).isEqualTo("mine");
    }

    @Test
    void anEarlierEditionIsReplaced() throws IOException {
        Path course = MiniCourse.write(temp.resolve("course"));
        Path copy = temp.resolve("student");
        StudentEdition.export(Course.read(course), copy, List.of());
        Files.writeString(copy.resolve("01-demo/stale.txt"), "from the earlier export");
        StudentEdition.export(Course.read(course), copy, List.of());

        assertThat(copy.resolve("01-demo/stale.txt")).doesNotExist();
        assertThat(copy.resolve("01-demo/src/main/java/dev/demo/exercise/YourAdder.java"))
                .isRegularFile();
    }

    // --- a small course made on the spot: how each kind of leftover is handled ---

    @Test
    void aReadmeThatQuotesTheReferenceLosesTheQuoteAndItsIntroduction() throws IOException {
        Path course = MiniCourse.write(temp.resolve("course"));
        MiniCourse.append(course, "01-demo/README.md", """

                The solution, as the reference writes it:
                ```java
                return List.of(first, second).stream().mapToInt(Integer::intValue).sum();
                ```

                Then grade it.
                """);

        Path copy = temp.resolve("student");
        StudentEdition.export(Course.read(course), copy, List.of());

        String readme = Files.readString(copy.resolve("01-demo/README.md"));
        assertThat(readme)
                .doesNotContain("mapToInt")
                .doesNotContain("as the reference writes it")
                .contains("Then grade it.");
    }

    @Test
    void aDemoThatRunsTheReferenceRunsTheLearnersClassInstead() throws IOException {
        Path course = MiniCourse.write(temp.resolve("course"));
        Path copy = temp.resolve("student");
        StudentEdition.export(Course.read(course), copy, List.of());

        String demo = Files.readString(copy.resolve("01-demo/src/main/java/dev/demo/Demo.java"));
        assertThat(demo)
                .contains("import dev.demo.exercise.YourAdder;", "new YourAdder()")
                .doesNotContain("ReferenceAdder")
                .doesNotContain("solution");
    }

    @Test
    void aFileTheExportCannotCleanFailsItNamingFileAndLine() throws IOException {
        Path course = MiniCourse.write(temp.resolve("course"));
        MiniCourse.append(
                course,
                "01-demo/docs/notes.txt",
                "return List.of(first, second).stream().mapToInt(Integer::intValue).sum();\n");

        Path copy = temp.resolve("student");
        assertThatThrownBy(() -> StudentEdition.export(Course.read(course), copy, List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("01-demo/docs/notes.txt:1: quotes the reference");
        assertThat(copy).as("nothing is left behind").doesNotExist();
    }

    @Test
    void aSourceUsingASolutionClassWithNoLearnerCounterpartFailsTheExport() throws IOException {
        Path course = MiniCourse.write(temp.resolve("course"));
        MiniCourse.append(
                course,
                "01-demo/src/main/java/dev/demo/solution/Helper.java",
                "package dev.demo.solution;\npublic final class Helper {}\n");
        MiniCourse.append(
                course,
                "01-demo/src/main/java/dev/demo/UsesHelper.java",
                "package dev.demo;\nimport dev.demo.solution.Helper;\nfinal class UsesHelper { Helper h; }\n");

        assertThatThrownBy(() -> StudentEdition.export(Course.read(course), temp.resolve("student"), List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("01-demo/src/main/java/dev/demo/UsesHelper.java uses dev.demo.solution.Helper");
    }

    static List<String> filesIn(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile)
                    .map(p -> SourceTree.slashes(root.relativize(p)))
                    .sorted()
                    .toList();
        }
    }
}
