package dev.threadlab.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.testsupport.ChildJvm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Daemon_01_DiesWithMain} run in a child JVM, as the lesson's claim is about a whole
 * process: with a daemon worker the JVM exits when main returns; with a user worker it waits.
 */
class DiesWithMainTest {

    static final Duration PATIENCE = Duration.ofSeconds(30);
    static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    @Test
    void aDaemonWorkerDiesWithMainAndItsFinallyBlockNeverRuns() throws Exception {
        try (ChildJvm child = ChildJvm.start(Daemon_01_DiesWithMain.class, FAST_START,
                "--kind", "daemon", "--ticks", "3", "--tick-ms", "10")) {
            int exit = child.awaitExit(PATIENCE);
            List<String> out = child.output();

            assertThat(exit).as("the JVM should exit normally once main returns; output:%n%s", out).isZero();
            assertThat(out).anyMatch(l -> l.contains("main returns now"));
            assertThat(out).as("when the JVM began to exit the daemon worker was still running its loop")
                    .anyMatch(l -> l.contains("JVM exits now; worker alive=true, daemon=true"));
            assertThat(out).as("a daemon thread stopped at JVM exit never runs its finally block")
                    .noneMatch(l -> l.contains("finally block ran"));
        }
    }

    @Test
    void aUserWorkerKeepsTheJvmRunningUntilItEndsAfterMain() throws Exception {
        try (ChildJvm child = ChildJvm.start(Daemon_01_DiesWithMain.class, FAST_START,
                "--kind", "user", "--ticks", "3", "--tick-ms", "10")) {
            int exit = child.awaitExit(PATIENCE);
            List<String> out = child.output();

            assertThat(exit).as("output:%n%s", out).isZero();
            assertThat(indexOf(out, "main returns now"))
                    .as("main returned first; the user worker then noticed and went on; output:%n%s", out)
                    .isLessThan(indexOf(out, "main has ended (main.isAlive() = false)"));
            assertThat(indexOf(out, "main has ended")).isLessThan(indexOf(out, "tick 6"));
            assertThat(indexOf(out, "tick 6")).isLessThan(indexOf(out, "finally block ran"));
            assertThat(indexOf(out, "finally block ran"))
                    .as("the JVM began to exit only after the user worker had ended")
                    .isLessThan(indexOf(out, "JVM exits now; worker alive=false, daemon=false"));
        }
    }

    @Test
    void badArgumentsMakeMainExitWithStatus2() throws Exception {
        try (ChildJvm child = ChildJvm.start(Daemon_01_DiesWithMain.class, FAST_START, "--ticks", "0")) {
            assertThat(child.awaitExit(PATIENCE)).isEqualTo(2);
            assertThat(child.output()).anyMatch(l -> l.contains("--ticks must be between 1 and 1000, was 0"))
                    .anyMatch(l -> l.startsWith("Usage:"));
        }
    }

    /** @return the index of the first line containing {@code text}, or fails naming it */
    static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line contains \"" + text + "\" in:\n" + String.join("\n", lines));
    }
}
