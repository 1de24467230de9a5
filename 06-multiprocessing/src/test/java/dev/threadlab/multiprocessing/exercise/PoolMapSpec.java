package dev.threadlab.multiprocessing.exercise;

import static dev.threadlab.multiprocessing.exercise.ScriptedRunner.items;
import static dev.threadlab.multiprocessing.exercise.ScriptedRunner.squares;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.multiprocessing.pool.ChunkRunner;
import dev.threadlab.multiprocessing.pool.RemoteTaskException;
import dev.threadlab.multiprocessing.pool.TaskFailedException;
import dev.threadlab.multiprocessing.pool.TaskFailedException.Reason;
import dev.threadlab.multiprocessing.solution.ReferencePoolMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The graded specification of {@link PoolMap}: CPython's {@code Pool.map}, on worker JVMs. Most
 * rules are checked on a {@link ScriptedRunner}, which finishes the chunks in the order the test
 * chooses (last to first), only while {@code map} waits, so that every run checks the same thing;
 * the last rule runs the map on two real worker JVMs. The rules run in the order {@link PoolMap}
 * lists them, so the grading report's "first broken rule" is the first one to work on.
 */
@GradedExercise(value = "06 Pool.map on worker JVMs", learner = YourPoolMap.class, reference = ReferencePoolMap.class)
@Timeout(30)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoolMapSpec {

    /** What one call of map did: its results, or what it threw. */
    record Outcome(List<Object> results, Throwable thrown) {}

    /** Calls map with the task "square"; an untouched stub's NotImplementedYet goes straight out. */
    private static Outcome squareEach(PoolMap solution, ChunkRunner runner, List<Integer> items, int chunkSize) {
        try {
            return new Outcome(solution.map(runner, "square", items, chunkSize), null);
        } catch (NotImplementedYet stub) {
            throw stub;
        } catch (Throwable thrown) {
            return new Outcome(null, thrown);
        }
    }

    /** Fails with the first rule the map broke while the scripted runner watched (it explains what followed). */
    private static void assertNoViolation(ScriptedRunner runner) {
        if (!runner.violations().isEmpty()) {
            fail(runner.violations().get(0));
        }
    }

    /** @return the results, or fails with what map threw */
    private static List<Object> resultsOf(Outcome outcome) {
        if (outcome.thrown() != null) {
            throw new AssertionError("map threw where it should have returned: " + outcome.thrown(), outcome.thrown());
        }
        return outcome.results();
    }

    @Test
    @Order(3)
    void resultsComeBackInItemOrderWhateverOrderTheChunksFinishIn(@Solution PoolMap solution) throws Exception {
        List<Integer> items = items(7);
        try (ScriptedRunner runner = ScriptedRunner.succeeding(items, 2)) {
            Outcome outcome = squareEach(solution, runner, items, 2);
            assertNoViolation(runner);
            List<Object> results = resultsOf(outcome);

            assertThat(results)
                    .as("results out of order: the chunks finished last to first, and map must put each chunk's"
                            + " results in its place, in item order")
                    .containsExactlyElementsOf(squares(items));
        }
    }

    @Test
    @Order(1)
    void theItemsAreSplitIntoConsecutiveChunksOfChunkSize(@Solution PoolMap solution) throws Exception {
        try (ScriptedRunner runner = ScriptedRunner.succeeding(items(10), 3)) {
            Outcome outcome = squareEach(solution, runner, items(10), 3);
            assertNoViolation(runner);
            resultsOf(outcome);

            assertThat(runner.chunkItems())
                    .as("the chunks must be the items in order, 3 per chunk, the last one shorter")
                    .isEqualTo(List.of(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7, 8, 9), List.of(10)));
            assertThat(runner.submitted()).as("every chunk runs the task map was given")
                    .allSatisfy(chunk -> assertThat(chunk.task()).isEqualTo("square"));
        }
    }

    @Test
    @Order(2)
    void everyChunkIsSubmittedBeforeMapWaitsForAny(@Solution PoolMap solution) throws Exception {
        try (ScriptedRunner runner = ScriptedRunner.succeeding(items(6), 2)) {
            Outcome outcome = squareEach(solution, runner, items(6), 2);

            assertNoViolation(runner);
            assertThat(resultsOf(outcome)).as("results out of order: map must return the squares in item order")
                    .containsExactlyElementsOf(squares(items(6)));
        }
    }

    @Test
    @Order(4)
    void aFailedTaskIsThrownNeverDropped(@Solution PoolMap solution) throws Exception {
        try (ScriptedRunner runner = new ScriptedRunner(items(6), 2, Set.of(4), Set.of())) {
            Outcome outcome = squareEach(solution, runner, items(6), 2);

            assertNoViolation(runner);
            assertThat(outcome.thrown())
                    .as("map returned %s although the task failed on item 4: a failed task must never be dropped"
                            + " silently; throw its TaskFailedException", outcome.results())
                    .isNotNull();
            assertThat(outcome.thrown())
                    .as("map must throw the failed chunk's own TaskFailedException, whose cause tells what the task threw")
                    .isSameAs(runner.failureOf(1));
            assertThat(outcome.thrown().getCause()).isInstanceOf(RemoteTaskException.class);
        }
    }

    @Test
    @Order(6)
    void mapEndsOnlyOnceEveryChunkHasEnded(@Solution PoolMap solution) throws Exception {
        try (ScriptedRunner runner = new ScriptedRunner(items(6), 2, Set.of(1), Set.of(0))) {
            Outcome outcome = squareEach(solution, runner, items(6), 2);
            List<ScriptedRunner.Submitted> stillRunning = runner.unfinished();
            assertNoViolation(runner);

            assertThat(stillRunning)
                    .as("map %s while %d of its 3 chunks were still running on workers: every task must be accounted"
                            + " for before map ends (wait for every chunk, then throw)",
                            outcome.thrown() == null ? "returned" : "threw", stillRunning.size())
                    .isEmpty();
            assertThat(outcome.thrown()).as("item 1's task failed, so map must throw its TaskFailedException")
                    .isSameAs(runner.failureOf(0));
        }
    }

    @Test
    @Order(5)
    void theEarliestFailureInItemOrderIsThrownAndLaterOnesAreSuppressed(@Solution PoolMap solution) throws Exception {
        try (ScriptedRunner runner = new ScriptedRunner(items(8), 2, Set.of(3, 7), Set.of())) {
            Outcome outcome = squareEach(solution, runner, items(8), 2);

            assertNoViolation(runner);
            assertThat(outcome.thrown()).as("items 3 and 7 failed, so map must throw").isNotNull();
            assertThat(outcome.thrown())
                    .as("map threw %s; it must throw the failure of the earliest chunk in item order (item 3's),"
                            + " whichever failed first, so the same input fails the same way on every run", outcome.thrown())
                    .isSameAs(runner.failureOf(1));
            assertThat(List.of(outcome.thrown().getSuppressed()))
                    .as("the later failure (item 7's) must be added to the thrown one as suppressed, not dropped")
                    .hasSize(1).first().isSameAs(runner.failureOf(3));
        }
    }

    @Test
    @Order(7)
    void aChunkSizeBelowOneIsRefusedBeforeAnythingIsSubmitted(@Solution PoolMap solution) throws Exception {
        try (ScriptedRunner runner = ScriptedRunner.succeeding(List.of(), 1)) {
            Outcome outcome = squareEach(solution, runner, items(3), 0);

            assertThat(outcome.thrown()).as("chunkSize 0 must be refused with an IllegalArgumentException")
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(runner.submitted()).as("nothing may be submitted with an invalid chunkSize").isEmpty();
        }
    }

    @Test
    @Order(8)
    void noItemsMeansNoResultsAndNothingSubmitted(@Solution PoolMap solution) throws Exception {
        try (ScriptedRunner runner = ScriptedRunner.succeeding(List.of(), 1)) {
            Outcome outcome = squareEach(solution, runner, List.of(), 4);
            assertNoViolation(runner);
            List<Object> results = resultsOf(outcome);

            assertThat(results).as("no items, no results").isEmpty();
            assertThat(runner.submitted()).as("no items, no chunks").isEmpty();
        }
    }

    @Test
    @Order(9)
    void mapRunsOnTwoRealWorkerJvms(@Solution PoolMap solution) throws Exception {
        try (LazyPool pool = new LazyPool(2)) {
            List<Object> counts = solution.map(pool, "countPrimes", List.of(10, 100, 1000, 10_000, 100_000), 2);
            assertThat(counts).as("the primes below 10, 100, 1000, 10000, 100000, in that order")
                    .containsExactly(4L, 25L, 168L, 1229L, 9592L);

            TaskFailedException failure = null;
            try {
                solution.map(pool, "thousandDividedBy", List.of(1, 0, 4), 1);
            } catch (TaskFailedException e) {
                failure = e;
            }
            assertThat(failure).as("thousandDividedBy(0) threw in a worker, so map must throw").isNotNull();
            assertThat(failure.reason()).isEqualTo(Reason.TASK_THREW);
            assertThat(failure.getCause()).isInstanceOfSatisfying(RemoteTaskException.class,
                    remote -> assertThat(remote.remoteType()).isEqualTo("java.lang.ArithmeticException"));
        }
    }
}
