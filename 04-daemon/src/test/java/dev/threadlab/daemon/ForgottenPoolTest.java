package dev.threadlab.daemon;

import static dev.threadlab.daemon.ChildRuns.FAST_START;
import static dev.threadlab.daemon.ChildRuns.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.testsupport.ChildJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Daemon_05_ForgottenPool} in a child JVM: a pool never shut down keeps the JVM alive after
 * main returns, and both diagnoses (the in-process watch, and {@code jcmd Thread.print} from
 * outside) name its user threads.
 */
class ForgottenPoolTest {

    @Test
    void aPoolThatIsNeverShutDownKeepsTheJvmAliveAndItsThreadsAreNamed() throws Exception {
        try (ChildJvm child = ChildJvm.start(
                Daemon_05_ForgottenPool.class,
                FAST_START,
                "--tasks",
                "2",
                "--pool-size",
                "2",
                "--grace-ms",
                "0",
                "--give-up-ms",
                "0")) {
            child.awaitLine("Kept alive by 2 non-daemon thread(s)", PATIENCE);
            child.awaitLine("\"pool-1-thread-2\"", PATIENCE); // its state varies: it may not be parked yet
            // main has returned and the JVM has not begun to shut down, yet two user threads are alive:
            // by JLS 12.8 the JVM cannot exit. The view from outside says the same:
            String dump = child.threadDump();
            List<String> poolThreads =
                    dump.lines().filter(l -> l.startsWith("\"pool-1-thread-")).toList();

            assertThat(poolThreads)
                    .as("jcmd Thread.print lists the pool's threads:%n%s", dump)
                    .hasSize(2);
            assertThat(poolThreads)
                    .as("...and they are not daemons (a daemon's line says \"daemon\")")
                    .allMatch(l -> !l.contains(" daemon "));
            assertThat(dump)
                    .as("main has returned: no \"main\" thread in the dump")
                    .doesNotContain("\n\"main\" ");

            child.process().toHandle().destroy(); // SIGTERM still ends it: hooks run, then the JVM halts
            assertThat(child.awaitExit(PATIENCE)).isEqualTo(143);
        }
    }

    @Test
    void shuttingThePoolDownLetsTheJvmExitWhenMainReturns() throws Exception {
        ChildRuns.Ended run = ChildRuns.runToEnd(Daemon_05_ForgottenPool.class, "--shutdown", "--give-up-ms", "0");

        assertThat(run.exit()).as("output:%n%s", run.text()).isZero();
        assertThat(run.output())
                .anyMatch(l -> l.contains("terminated within 5 s: true"))
                .anyMatch(l -> l.contains("all 2 tasks done; main returns now"));
    }
}
