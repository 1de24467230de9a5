package dev.threadlab.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.testsupport.ChildJvm;
import dev.threadlab.daemon.ChildRuns.Ended;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Daemon_01_DiesWithMain} run in a child JVM, as the lesson's claim is about a whole
 * process: with a daemon worker the JVM exits when main returns; with a user worker it waits.
 *
 * <p>The three children start side by side before the first test (a JVM's start is most of each
 * run's cost); each test then waits for its own child to end and reads what it printed.
 */
class DiesWithMainTest {

    private static ChildJvm daemon;
    private static ChildJvm user;
    private static ChildJvm badArguments;

    @BeforeAll
    static void startTheChildren() {
        daemon = ChildJvm.start(
                Daemon_01_DiesWithMain.class,
                ChildRuns.FAST_START,
                "--kind",
                "daemon",
                "--ticks",
                "3",
                "--tick-ms",
                "10");
        user = ChildJvm.start(
                Daemon_01_DiesWithMain.class,
                ChildRuns.FAST_START,
                "--kind",
                "user",
                "--ticks",
                "3",
                "--tick-ms",
                "10");
        badArguments = ChildJvm.start(Daemon_01_DiesWithMain.class, ChildRuns.FAST_START, "--ticks", "0");
    }

    @AfterAll
    static void endTheChildren() {
        for (ChildJvm child : List.of(daemon, user, badArguments)) {
            child.close(); // kills one still running, and waits until it is gone
        }
    }

    @Test
    void aDaemonWorkerDiesWithMainAndItsFinallyBlockNeverRuns() throws Exception {
        Ended run = ChildRuns.awaitEnd(daemon);

        assertThat(run.exit())
                .as("the JVM should exit normally once main returns; output:%n%s", run.text())
                .isZero();
        assertThat(run.output()).anyMatch(l -> l.contains("main returns now"));
        assertThat(run.output())
                .as("when the JVM began to exit the daemon worker was still running its loop")
                .anyMatch(l -> l.contains("JVM exits now; worker alive=true, daemon=true"));
        assertThat(run.output())
                .as("a daemon thread stopped at JVM exit never runs its finally block")
                .noneMatch(l -> l.contains("finally block ran"));
    }

    @Test
    void aUserWorkerKeepsTheJvmRunningUntilItEndsAfterMain() throws Exception {
        Ended run = ChildRuns.awaitEnd(user);

        assertThat(run.exit()).as("output:%n%s", run.text()).isZero();
        assertThat(run.indexOf("main returns now"))
                .as("main returned first; the user worker then noticed and went on; output:%n%s", run.text())
                .isLessThan(run.indexOf("main has ended (main.isAlive() = false)"));
        assertThat(run.indexOf("main has ended")).isLessThan(run.indexOf("tick 6"));
        assertThat(run.indexOf("tick 6")).isLessThan(run.indexOf("finally block ran"));
        assertThat(run.indexOf("finally block ran"))
                .as("the JVM began to exit only after the user worker had ended")
                .isLessThan(run.indexOf("JVM exits now; worker alive=false, daemon=false"));
    }

    @Test
    void badArgumentsMakeMainExitWithStatus2() throws Exception {
        Ended run = ChildRuns.awaitEnd(badArguments);

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output())
                .anyMatch(l -> l.contains("--ticks must be between 1 and 1000, was 0"))
                .anyMatch(l -> l.startsWith("Usage:"));
    }
}
