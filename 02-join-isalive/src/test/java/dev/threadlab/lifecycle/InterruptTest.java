package dev.threadlab.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.lifecycle.Lifecycle_05_Interrupt.Endings;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An interrupt is a request: a blocked thread is woken with InterruptedException, a busy one stops
 * only because it checks its flag, and a careless one swallows it. The sleeps are scripted to
 * block until interrupted, so each worker is certainly inside its wait when the request arrives
 * (or gets it the moment it starts to wait).
 */
class InterruptTest {

    /** Never counted down: awaiting it lasts until the thread is interrupted. */
    private final CountDownLatch never = new CountDownLatch(1);

    private final AtomicBoolean carelessBlocked = new AtomicBoolean();

    /** "sleeping" and the careless worker's first step block until interrupted; every other pause is instant. */
    private final Sleeper untilInterrupted = duration -> {
        String me = Thread.currentThread().getName();
        if (me.equals("sleeping") || (me.equals("careless") && carelessBlocked.compareAndSet(false, true))) {
            never.await();
        }
    };

    private Endings endings;

    /** Runs the demo inside each test's timeout (JUnit's timeout does not cover a constructor). */
    @BeforeEach
    void interruptTheThreeWorkers() throws InterruptedException {
        endings = Lifecycle_05_Interrupt.demonstrate(3, untilInterrupted, Console.recording());
    }

    @Test
    void aSleepingThreadIsWokenByInterruptedException() {
        assertThat(endings.sleeping()).isEqualTo("woken by InterruptedException, stopped");
    }

    @Test
    void aBusyThreadStopsBecauseItChecksItsInterruptFlag() {
        assertThat(endings.busy()).startsWith("saw isInterrupted() after ").endsWith("rounds of work, stopped");
    }

    @Test
    void aThreadThatCatchesAndCarriesOnSwallowsTheInterruptAndTheFlagIsGone() {
        assertThat(endings.careless())
                .as("it ran every step anyway, and nobody can tell it was asked to stop")
                .isEqualTo("took all 3 steps, swallowed 1 interrupt(s); isInterrupted() = false");
    }
}
