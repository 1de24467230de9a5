package dev.threadlab.daemon.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.daemon.exercise.fixtures.heartbeat.CorrectDaemonExecutorHeartbeat;
import dev.threadlab.daemon.exercise.fixtures.heartbeat.CorrectSetDaemonHeartbeat;
import dev.threadlab.daemon.exercise.fixtures.heartbeat.CorrectVirtualThreadHeartbeat;
import dev.threadlab.daemon.exercise.fixtures.heartbeat.DaemonPoolNeverShutDownHeartbeat;
import dev.threadlab.daemon.exercise.fixtures.heartbeat.DaemonTooLateHeartbeat;
import dev.threadlab.daemon.exercise.fixtures.heartbeat.DefaultExecutorHeartbeat;
import dev.threadlab.daemon.exercise.fixtures.heartbeat.RunInsteadOfStartHeartbeat;
import dev.threadlab.daemon.exercise.fixtures.heartbeat.SwallowsInterruptHeartbeat;
import dev.threadlab.daemon.exercise.fixtures.heartbeat.UserThreadHeartbeat;
import dev.threadlab.daemon.solution.ReferenceHeartbeat;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** {@link HeartbeatSpec} grades both ways: correct heartbeats in four idioms pass, each wrong one is rejected by its rule. */
@GradingSelfCheck
class HeartbeatGradingTest {

    private static final String STARTS = "startReturnsAtOnceAndTheBeatsRunOnAnotherThread";
    private static final String LOOPS = "itBeatsAndSleepsUntilInterruptedThenEveryThreadItStartedEnds";
    private static final String DAEMON = "everyThreadTheHeartbeatStartsIsADaemon";

    @Test
    void theReferenceAndCorrectHeartbeatsInOtherIdiomsPass() {
        Grading.assertPasses(HeartbeatSpec.class, ReferenceHeartbeat.class);
        Grading.assertPasses(HeartbeatSpec.class, CorrectSetDaemonHeartbeat.class);
        Grading.assertPasses(HeartbeatSpec.class, CorrectVirtualThreadHeartbeat.class);
        Grading.assertPasses(HeartbeatSpec.class, CorrectDaemonExecutorHeartbeat.class);
    }

    @TestFactory
    Stream<DynamicTest> theSpecIsWellFormed() {
        return Grading.wellFormed(HeartbeatSpec.class);
    }

    @Test
    void aUserThreadIsRejectedNamingIt() {
        Grading.assertRejectedBy(
                HeartbeatSpec.class,
                DAEMON,
                UserThreadHeartbeat.class,
                "the heartbeat runs on thread(s) that are not daemons: [\"heartbeat\"]. After main returns");
    }

    @Test
    void aDefaultExecutorsUserThreadIsRejectedNamingIt() {
        Grading.assertRejectedBy(
                HeartbeatSpec.class,
                DAEMON,
                DefaultExecutorHeartbeat.class,
                "the heartbeat runs on thread(s) that are not daemons: [\"pool-");
    }

    @Test
    void settingDaemonAfterStartIsRejected() {
        Grading.assertRejectedBy(
                HeartbeatSpec.class, DAEMON, DaemonTooLateHeartbeat.class, "setDaemon(true) was called after start()");
    }

    @Test
    void callingRunInsteadOfStartIsRejected() {
        Grading.assertRejectedBy(
                HeartbeatSpec.class,
                STARTS,
                RunInsteadOfStartHeartbeat.class,
                "the first beat ran on the thread that called start(), so start() would never return");
    }

    @Test
    void aLoopThatSwallowsTheInterruptIsRejected() {
        Grading.assertRejectedBy(
                HeartbeatSpec.class,
                LOOPS,
                SwallowsInterruptHeartbeat.class,
                "the loop went on after sleeper.sleep(every) threw InterruptedException (it beat again)");
    }

    @Test
    void aDaemonPoolNeverShutDownIsRejectedForTheThreadItLeaves() {
        try {
            Grading.assertRejectedBy(
                    HeartbeatSpec.class,
                    LOOPS,
                    DaemonPoolNeverShutDownHeartbeat.class,
                    "the heartbeat's loop has ended, but thread(s) it started are still running: [\"heartbeat\" WAITING]");
        } finally {
            DaemonPoolNeverShutDownHeartbeat.shutDownEveryPool();
        }
    }

    /**
     * Nothing hangs there: every rule is run, none is reported "not run (an earlier rule hung)". Its
     * threads are daemons, so rule 3's own check passes; the worker it leaves is reported by the
     * course's leak check, as in rule 1.
     */
    @Test
    void aDaemonPoolNeverShutDownGetsEveryRuleRunNoneSaidToHaveHung() {
        try {
            Grading.Report report = Grading.grade(HeartbeatSpec.class, DaemonPoolNeverShutDownHeartbeat.class);
            if (report.outcomes().size() != 3 || report.outcomes().stream().anyMatch(o -> o.notRun() || o.hung())) {
                throw new AssertionError("every rule should run, and none be said to hang:\n" + report);
            }
            Grading.Outcome daemons = report.outcomes().stream()
                    .filter(o -> o.test().startsWith("3. "))
                    .findFirst()
                    .orElseThrow();
            if (daemons.message() == null
                    || !daemons.message().contains("an idle worker of a pool that was never shut down")
                    || daemons.message().contains("not a daemon")) {
                throw new AssertionError("rule 3 should report only the pool's idle worker left running:\n" + report);
            }
        } finally {
            DaemonPoolNeverShutDownHeartbeat.shutDownEveryPool();
        }
    }

    /**
     * The worst case, a solution that hangs in every rule: one bound (5 s), then the other rules
     * are skipped. Opt-in, as it waits out that bound:
     * {@code ./mvnw -q -pl 04-daemon -am verify -Dtest=HeartbeatGradingTest -Dthreadlab.hangcheck=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "threadlab.hangcheck", matches = "true")
    void aSolutionThatHangsInEveryRuleIsToldSoInOneBound() {
        Grading.Report report = Grading.assertHangVerdictWithin(
                Duration.ofSeconds(30),
                HeartbeatSpec.class,
                dev.threadlab.daemon.exercise.fixtures.heartbeat.JoinsHeartbeat.class,
                "start() did not return within 5 s",
                () -> {});
        assertThat(report.outcomes())
                .as("%s", report)
                .anySatisfy(o -> assertThat(o.status()).isEqualTo(Grading.Status.SKIPPED));
    }
}
