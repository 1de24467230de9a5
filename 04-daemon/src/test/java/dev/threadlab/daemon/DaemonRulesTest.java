package dev.threadlab.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.daemon.Daemon_04_DaemonRules.Observations;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rules of daemon status, as {@link Daemon_04_DaemonRules} observes them on this JDK. */
class DaemonRulesTest {

    static Observations seen;

    @BeforeAll
    static void observe() throws InterruptedException {
        seen = Daemon_04_DaemonRules.observe();
    }

    @Test
    void daemonStatusCannotBeChangedOnceAThreadHasStarted() {
        assertThat(seen.setDaemonAfterStart()).isEqualTo("IllegalThreadStateException");
    }

    @Test
    void aNewThreadInheritsDaemonStatusFromTheThreadThatCreatesIt() {
        assertThat(seen.madeByDaemonIsDaemon()).as("made by a daemon thread").isTrue();
        assertThat(seen.madeByUserIsDaemon()).as("made by a user thread").isFalse();
    }

    @Test
    void virtualThreadsAreAlwaysDaemons() {
        assertThat(seen.virtualIsDaemon()).isTrue();
        assertThat(seen.virtualSetDaemonFalse()).startsWith("IllegalArgumentException");
    }

    @Test
    void executorsDefaultThreadFactoryMakesUserThreadsEvenWhenADaemonCallsIt() {
        assertThat(seen.defaultFactoryFromDaemonIsDaemon()).isFalse();
    }

    @Test
    void theCommonForkJoinPoolsWorkersAreDaemons() {
        assertThat(seen.commonPoolWorkerIsDaemon()).isTrue();
    }
}
