package dev.threadlab.common.instructor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A student's build is bounded in time and output and leaves no process behind. The "build" here is
 * a shell script standing in for {@code mvnw}, so each bound is shown in a second or two.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class StudentBuildTest {

    @TempDir
    Path slot;

    private StudentBuild.Outcome run(String script, Duration time, long outputCap) throws IOException {
        Path mvnw = slot.resolve("mvnw");
        Files.writeString(mvnw, "#!/bin/sh\n" + script + "\n");
        mvnw.toFile().setExecutable(true);
        return StudentBuild.run(
                slot,
                StudentBuild.gradingArguments(List.of("01-demo"), slot.resolve(".repo"), Path.of("/m2")),
                new StudentBuild.Limits(time, 256, outputCap),
                slot.resolve("build.log"));
    }

    @Test
    void aBuildThatNeverEndsIsKilledWithEveryProcessItStartedAtTheTimeLimit() throws IOException {
        Path pids = slot.resolve("pids");
        StudentBuild.Outcome outcome =
                run("sleep 600 & echo $! > " + pids + "; echo started; wait", Duration.ofSeconds(1), 1 << 20);

        assertThat(outcome.timedOut()).isTrue();
        assertThat(outcome.exitCode()).isEqualTo(-1);
        assertThat(outcome.took()).isLessThan(Duration.ofSeconds(20));
        assertThat(outcome.log()).startsWith("started");
        long child = Long.parseLong(Files.readString(pids).strip());
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false))
                .as("the build's own child process (pid %d) is gone too", child)
                .isFalse();
    }

    @Test
    void aFloodOfOutputIsStoppedAtTheCapAndTheLogKeepsItsHeadAndTail() throws IOException {
        StudentBuild.Outcome outcome = run(
                "echo first; yes 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'",
                Duration.ofSeconds(60),
                4 << 20);

        assertThat(outcome.tooMuchOutput()).isTrue();
        assertThat(outcome.timedOut()).isFalse();
        assertThat(outcome.outputBytes()).isGreaterThan(4 << 20).isLessThan(64L << 20);
        assertThat(outcome.log()).startsWith("first\n").contains("bytes of output left out");
        assertThat(outcome.log().length()).isLessThanOrEqualTo(StudentBuild.LOG_HEAD + StudentBuild.LOG_TAIL + 100);
        assertThat(Files.size(slot.resolve("build.log"))).isLessThan(512 * 1024);
    }

    @Test
    void aBuildRunsWithTheMemoryBoundAndAPrivateTemporaryFolderAndItsExitCodeIsKept() throws IOException {
        StudentBuild.Outcome outcome =
                run("echo \"opts=$JAVA_TOOL_OPTIONS args=$*\"; exit 3", Duration.ofSeconds(60), 1 << 20);

        assertThat(outcome.exitCode()).isEqualTo(3);
        Matcher m = Pattern.compile("opts=(.*) args=(.*)").matcher(outcome.log().strip());
        assertThat(m.matches()).as(outcome.log()).isTrue();
        assertThat(m.group(1))
                .isEqualTo("-Xmx256m \"-Djava.io.tmpdir=" + slot.resolve(".tmp").toAbsolutePath() + "\"");
        assertThat(m.group(2))
                .isEqualTo("-o -B -q -T 1 -fae -Dstyle.color=never -Plearn -Dmaven.repo.local="
                        + slot.resolve(".repo").toAbsolutePath() + " -Dmaven.repo.local.tail=/m2 -pl 01-demo verify");
    }
}
