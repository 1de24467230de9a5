package dev.threadlab.gil.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.threadlab.gil.solution.ReferenceHandOff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionResult;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.execution.ResultWithClock;
import org.jetbrains.kotlinx.lincheck.util.ValueResult;
import org.jetbrains.kotlinx.lincheck.util.VoidResult;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.verifier.Verifier;
import org.junit.jupiter.api.Test;

/**
 * At most one thread holds the GIL, in every interleaving Lincheck's model checker explores. Two
 * Python threads each run a whole session (attach, two chunks, detach) while a third thread moves
 * the manual clock on twice, so that in some interleavings the waiter times out, sets the drop
 * request, and the holder hands the GIL over at its next check. Each chunk checks that no other
 * chunk is running. Lincheck also fails an interleaving in which every thread waits forever (a lost
 * wake-up, a forced switch that nobody answers).
 *
 * <p>The checker is shown to have teeth: it catches a GIL with a check-then-act race
 * ({@link RacyGil}). And the exploration is shown to reach the hand-off: the verifier counts the
 * interleavings in which the GIL changed hands after a drop request.
 *
 * <p>(The declarative API is used because {@code Lincheck.runConcurrentTest}, with threads started
 * inside the block, explores nothing on JDK 25 with Lincheck 3.7: it passes even a plain lost update.)
 */
public class SwitchIntervalGilModelTest {

    /** Interleavings explored per check. */
    private static final int INVOCATIONS = 300;

    /** What one session saw: chunks that ran while another chunk was running; a hand-off on request. */
    public record Session(int overlaps, boolean handedOverOnRequest) {}

    private final ManualGilClock clock = new ManualGilClock();
    private final SwitchIntervalGil gil =
            new SwitchIntervalGil(clock, Duration.ofMillis(5), new ReferenceHandOff(), null);
    private int inside;
    private int overlaps;
    private final Runnable chunk = () -> {
        if (++inside != 1) {
            overlaps++;
        }
        inside--;
    };

    /** One Python thread's whole life: attach, two turns of the eval loop, detach. */
    @Operation
    public Session session() throws InterruptedException {
        gil.attach();
        try {
            gil.runBytecode(chunk);
            gil.runBytecode(chunk);
        } finally {
            gil.detach();
        }
        return new Session(overlaps, gil.dropRequests() > 0 && gil.handOffs() > 0);
    }

    /** A switch interval passes: waiters time out and ask for the GIL. */
    @Operation
    public void intervalPasses() {
        clock.advance(Duration.ofMillis(5));
    }

    /**
     * Accepts an interleaving when no session saw an overlap and none failed; counts those in which
     * the GIL was handed over on request. (Lincheck resets the tested code's static state between
     * interleavings, so the count lives here, outside it.)
     */
    public static final class NoTwoHolders implements Verifier {
        static final AtomicLong HANDED_OVER = new AtomicLong();

        public NoTwoHolders(Class<?> sequentialSpecification) {
            // the rule needs no sequential specification
        }

        @Override
        public boolean verifyResults(ExecutionScenario scenario, ExecutionResult result) {
            boolean handedOver = false;
            for (List<ResultWithClock> thread : result.getParallelResultsWithClock()) {
                for (ResultWithClock actor : thread) {
                    if (actor.getResult() instanceof ValueResult value && value.getValue() instanceof Session session) {
                        if (session.overlaps() != 0) {
                            return false;
                        }
                        handedOver |= session.handedOverOnRequest();
                    } else if (!(actor.getResult() instanceof VoidResult)) {
                        return false; // an exception, or a session that never ended
                    }
                }
            }
            if (handedOver) {
                HANDED_OVER.incrementAndGet();
            }
            return true;
        }
    }

    private static ModelCheckingOptions twoSessions(Class<?> model, boolean withClock) {
        try {
            Actor session = new Actor(model.getMethod("session"), List.of());
            List<List<Actor>> threads = new ArrayList<>(List.of(List.of(session), List.of(session)));
            if (withClock) {
                Actor tick = new Actor(model.getMethod("intervalPasses"), List.of());
                threads.add(List.of(tick, tick));
            }
            return new ModelCheckingOptions()
                    .addCustomScenario(new ExecutionScenario(List.of(), threads, List.of(), null))
                    .iterations(0)
                    .invocationsPerIteration(INVOCATIONS)
                    .verifier(NoTwoHolders.class);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void atMostOneThreadHoldsTheGilInEveryExploredInterleaving() {
        long before = NoTwoHolders.HANDED_OVER.get();

        twoSessions(SwitchIntervalGilModelTest.class, true).check(SwitchIntervalGilModelTest.class);

        assertThat(NoTwoHolders.HANDED_OVER.get() - before)
                .as("the exploration must reach interleavings where a waiter timed out, asked, and was handed the GIL")
                .isPositive();
    }

    @Test
    void theModelCheckerCatchesAGilWithACheckThenActRace() {
        assertThatThrownBy(() -> twoSessions(RacyGil.class, false).check(RacyGil.class))
                .as("the model checker must find two holders in a GIL that checks 'locked' and sets it in two steps")
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Invalid execution results");
    }

    /** A broken GIL: "while locked, spin; then lock" is two steps, and two threads can pass the check together. */
    public static class RacyGil {
        private volatile boolean locked;
        private int inside;
        private int overlaps;

        @Operation
        public Session session() {
            while (locked) { // the check and the set below are two steps: both threads can pass the check
                Thread.onSpinWait();
            }
            locked = true;
            if (++inside != 1) {
                overlaps++;
            }
            inside--;
            locked = false;
            return new Session(overlaps, false);
        }
    }
}
