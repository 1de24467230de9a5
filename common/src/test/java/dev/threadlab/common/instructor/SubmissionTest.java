package dev.threadlab.common.instructor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is taken from a submission: only what a student writes, wherever the submission nests it. */
class SubmissionTest {

    static final Course.Exercise EXERCISE = new Course.Exercise(
            "01-demo",
            "01 add",
            1,
            "dev.demo.exercise.AdderSpec",
            Path.of("01-demo/src/test/java/dev/demo/exercise/AdderSpec.java"),
            "dev.demo.exercise.YourAdder",
            Optional.empty(),
            List.of());
    static final String LEARNER = "01-demo/src/main/java/dev/demo/exercise/YourAdder.java";
    static final String FOLDER = "01-demo/src/main/java/dev/demo/exercise/";

    @TempDir
    Path temp;

    /** The student edition the files are laid over: it already has the interface. */
    private Path base() throws IOException {
        Path base = temp.resolve("base");
        write(base, FOLDER + "Adder.java", "package dev.demo.exercise;\ninterface Adder {}\n");
        write(base, LEARNER, "package dev.demo.exercise;\nclass YourAdder {}\n");
        return base;
    }

    @Test
    void aZipWithATopFolderGivesTheLearnersClassAndItsNewHelperOnly() throws IOException {
        Path zip = temp.resolve("subs/ada.zip");
        Files.createDirectories(zip.getParent());
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            entry(
                    out,
                    "threadlab-main/" + LEARNER,
                    "package dev.demo.exercise;\nfinal class YourAdder { /* mine */ }\n");
            entry(
                    out,
                    "threadlab-main/" + FOLDER + "Helper.java",
                    "// helper\npackage dev.demo.exercise;\nclass Helper {}\n");
            entry(
                    out,
                    "threadlab-main/" + FOLDER + "Adder.java",
                    "package dev.demo.exercise;\ninterface Adder { int cheat(); }\n");
            entry(
                    out,
                    "threadlab-main/" + FOLDER + "Grading.java",
                    "package dev.threadlab.common.testsupport;\nclass Grading {}\n");
            entry(out, "threadlab-main/01-demo/src/test/java/dev/demo/exercise/AdderSpec.java", "class AdderSpec {}\n");
            entry(out, "../../evil/" + LEARNER, "package dev.demo.exercise;\nclass YourAdder {}\n");
        }
        Submission submission = Submission.of(zip);
        Submission.Taken taken = submission.take(List.of(EXERCISE), base(), temp);

        assertThat(submission.id()).isEqualTo("ada");
        assertThat(taken.files().keySet()).containsExactlyInAnyOrder(Path.of(LEARNER), Path.of(FOLDER + "Helper.java"));
        assertThat(new String(taken.files().get(Path.of(LEARNER)), StandardCharsets.UTF_8))
                .contains("/* mine */");
        assertThat(taken.notes())
                .anyMatch(n ->
                        n.contains("Grading.java: not taken, it declares package 'dev.threadlab.common.testsupport'"));
        assertThat(taken.submittedModules()).containsExactly("01-demo");
    }

    @Test
    void aFolderWithoutTheExerciseSaysSo() throws IOException {
        Path folder = temp.resolve("subs/bob");
        write(folder, "notes.txt", "I did not do it\n");

        Submission.Taken taken = Submission.of(folder).take(List.of(EXERCISE), base(), temp);

        assertThat(taken.files()).isEmpty();
        assertThat(taken.notes()).containsExactly("01 add: no " + LEARNER + " in the submission");
    }

    @Test
    void aBareGitRepositoryGivesItsHeadCommit() throws Exception {
        Path work = temp.resolve("clone");
        write(work, LEARNER, "package dev.demo.exercise;\nfinal class YourAdder { /* committed */ }\n");
        assumeThat(git(work, "init", "-q")).as("git is installed").isZero();
        git(work, "add", ".");
        git(work, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "solution");
        write(work, LEARNER, "package dev.demo.exercise;\nfinal class YourAdder { /* not committed */ }\n");
        Path bare = temp.resolve("subs/cy.git");
        assertThat(git(temp, "clone", "-q", "--bare", work.toString(), bare.toString()))
                .isZero();

        Submission submission = Submission.of(bare);
        Submission.Taken taken =
                submission.take(List.of(EXERCISE), base(), Files.createDirectories(temp.resolve("scratch")));

        assertThat(submission.id()).isEqualTo("cy");
        assertThat(new String(taken.files().get(Path.of(LEARNER)), StandardCharsets.UTF_8))
                .contains("/* committed */");
    }

    @Test
    void theFolderOfSubmissionsListsOneStudentPerEntry() throws IOException {
        Path subs = temp.resolve("subs");
        Files.createDirectories(subs.resolve("ada"));
        Files.createDirectories(subs.resolve(".hidden"));
        Files.writeString(subs.resolve("bob.zip"), "");
        Files.writeString(subs.resolve("readme.txt"), "");

        assertThat(Submission.in(subs)).extracting(Submission::id).containsExactly("ada", "bob");
    }

    private static int git(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process git;
        try {
            git = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return -1;
        }
        if (!git.waitFor(60, TimeUnit.SECONDS)) {
            git.destroyForcibly().waitFor();
            return -1;
        }
        return git.exitValue();
    }

    private static void entry(ZipOutputStream out, String name, String text) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    private static void write(Path root, String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
