package dev.threadlab.multiprocessing.exercise;

import static dev.threadlab.multiprocessing.exercise.ScriptedRunner.items;
import static dev.threadlab.multiprocessing.exercise.ScriptedRunner.squares;

import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.multiprocessing.exercise.MapCall.Outcome;
import dev.threadlab.multiprocessing.pool.RemoteTaskException;
import dev.threadlab.multiprocessing.pool.TaskFailedException;
import dev.threadlab.multiprocessing.pool.TaskFailedException.Reason;
import dev.threadlab.multiprocessing.solution.ReferencePoolMap;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The graded specification of {@link PoolMap}: CPython's {@code Pool.map}, on worker JVMs. Most
 * rules are checked on a {@link ScriptedRunner}, whose "workers" keep each chunk until the
 * script ends it, and end chunks in the order the test chooses (last to first), only while
 * {@code map} waits, so that every run checks the same thing; a chunk that is still running
 * when map returns or throws is seen by construction, whatever map did to its future. The last
 * rule runs the map on two real worker JVMs. Each call of map runs on a thread of its own
 * ({@link MapCall}), so a map that hangs is told so within seconds. The rules run in the order
 * {@link PoolMap} lists them.
 */
@GradedExercise(value = "06.2 Pool.map on worker JVMs", learner = YourPoolMap.class, reference = ReferencePoolMap.class)
@Timeout(20) // a correct map needs well under a second per rule on the scripted runner, about 2 s on real JVMs
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoolMapSpec {

    /**
     * The test's own safety net for the rule on real worker JVMs, both maps together. A map there is
     * judged hung when it is quiet ({@link MapCall#QUIET_LIMIT} after its last chunk ended, or before
     * it submits one), never by how long the JVMs take to start and compute on a loaded machine.
     */
    private static final Duration REAL_JVMS_LIMIT = Duration.ofSeconds(80);

    /** Calls map with the task "square" on the scripted runner; the runner then stops, so what still runs is seen. */
    private static Outcome squareEach(PoolMap solution, ScriptedRunner runner, List<Integer> items, int chunkSize)
            throws InterruptedException {
        Outcome outcome = MapCall.call(solution, runner, "square", items, chunkSize, MapCall.SCRIPTED_LIMIT);
        runner.mapEnded(outcome.how());
        return outcome;
    }

    /** Fails with the first rule the map broke while the scripted runner watched (it explains what followed). */
    private void assertNoViolation(ScriptedRunner runner, Outcome outcome) {
        List<String> violations = runner.violations();
        if (!violations.isEmpty()) {
            String violation = violations.get(0);
            String own = Grading.mistakeOfRule(rule, "");
            throw new AssertionError(
                    violation.startsWith(own) ? violation.substring(own.length()) : violation, outcome.thrown());
        }
    }

    /** The number of the rule being graded (its display name starts with it): its own mistakes need no tag. */
    private int rule;

    @BeforeEach
    void whichRule(TestInfo info) {
        String name = info.getDisplayName();
        int dot = name.indexOf('.');
        rule = dot > 0 && name.substring(0, dot).chars().allMatch(Character::isDigit)
                ? Integer.parseInt(name.substring(0, dot))
                : -1;
    }

    private static void check(boolean holds, String brokenRule) {
        if (!holds) {
            throw new AssertionError(brokenRule);
        }
    }

    /** @return the results, or fails with what map threw */
    private static List<Object> resultsOf(Outcome outcome, String why) {
        if (outcome.thrown() != null) {
            throw new AssertionError(
                    "map threw " + outcome.thrown() + " where it should have returned: " + why, outcome.thrown());
        }
        return outcome.results();
    }

    /** Checks that map returned the squares of {@code items}, one per item, in item order. */
    private static void checkSquares(List<Object> results, List<Integer> items, String context) {
        List<Object> expected = squares(items);
        check(results != null, "map returned null: return one result per item" + context);
        check(
                results.size() >= expected.size(),
                "map returned " + results.size() + " results for " + items.size() + " items (" + results
                        + "): one result per item, never fewer; a chunk must never be dropped" + context);
        check(
                results.size() <= expected.size(),
                "map returned " + results.size() + " results for " + items.size() + " items (" + results
                        + "): one result per item; a chunk's results go in once" + context);
        check(
                results.equals(expected),
                new HashSet<>(results).equals(new HashSet<>(expected))
                        ? "results out of order: the chunks finished last to first, and map must put each chunk's results in its"
                                + " place, in item order; it returned " + results + " instead of " + expected + context
                        : "map returned " + results + " where the squares of the items are " + expected
                                + ": return each chunk's own results" + context);
    }

    /**
     * Checks that map threw {@code expected}, itself.
     *
     * @param failed what failed, for the message, e.g. "the task failed on item 4"
     */
    private static void checkThrows(Outcome outcome, TaskFailedException expected, String failed) {
        Throwable thrown = outcome.thrown();
        check(
                thrown != null,
                "map returned " + outcome.results() + " although " + failed + ": a failed chunk must never"
                        + " be dropped silently; throw its TaskFailedException");
        if (thrown == expected) {
            return;
        }
        if ((thrown instanceof CompletionException || thrown instanceof ExecutionException)
                && thrown.getCause() == expected) {
            throw new AssertionError(
                    "map threw a " + thrown.getClass().getSimpleName() + " wrapping the chunk's"
                            + " TaskFailedException (" + failed + "): throw the TaskFailedException itself; unwrap it"
                            + " (ProcessPool.await does, or catch "
                            + thrown.getClass().getSimpleName() + " and throw its cause)",
                    thrown);
        }
        throw new AssertionError(
                "map threw " + thrown + "; " + failed + ", and map must throw that chunk's own"
                        + " TaskFailedException (the one its future completed with: " + expected.getMessage()
                        + "), not a copy or"
                        + " another exception, so the caller learns what the task threw",
                thrown);
    }

    @Test
    @Order(1)
    @DisplayName("1. The items are split into consecutive chunks of chunkSize")
    void theItemsAreSplitIntoConsecutiveChunksOfChunkSize(@Solution PoolMap solution) throws Exception {
        try (ScriptedRunner runner = ScriptedRunner.succeeding(items(10), 3)) {
            Outcome outcome = squareEach(solution, runner, items(10), 3);
            assertNoViolation(runner, outcome);
            resultsOf(outcome, "every chunk succeeded");

            List<List<Object>> expected = List.of(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7, 8, 9), List.of(10));
            check(
                    runner.chunkItems().equals(expected),
                    "the chunks must be the items in order, 3 per chunk, the last" + " one shorter: " + expected
                            + "; map submitted " + runner.chunkItems());
            runner.submitted()
                    .forEach(chunk -> check(
                            chunk.task().equals("square"),
                            "every chunk must run the task map"
                                    + " was given (square); map submitted one with the task " + chunk.task()));
        }
    }

    @Test
    @Order(2)
    @DisplayName("2. Every chunk is submitted before map waits for any")
    void everyChunkIsSubmittedBeforeMapWaitsForAny(@Solution PoolMap solution) throws Exception {
        try (ScriptedRunner runner = ScriptedRunner.succeeding(items(6), 2)) {
            Outcome outcome = squareEach(solution, runner, items(6), 2);

            assertNoViolation(runner, outcome);
            checkSquares(resultsOf(outcome, "every chunk succeeded"), items(6), "");
        }
    }

    @Test
    @Order(3)
    @DisplayName("3. Results in item order")
    void resultsComeBackInItemOrderWhateverOrderTheChunksFinishIn(@Solution PoolMap solution) throws Exception {
        List<Integer> items = items(7);
        try (ScriptedRunner runner = ScriptedRunner.succeeding(items, 2)) {
            Outcome outcome = squareEach(solution, runner, items, 2);
            assertNoViolation(runner, outcome);

            checkSquares(resultsOf(outcome, "every chunk succeeded"), items, "");
        }
    }

    @Test
    @Order(4)
    @DisplayName("4. A failed chunk is thrown, never dropped")
    void aFailedTaskIsThrownNeverDropped(@Solution PoolMap solution) throws Exception {
        try (ScriptedRunner runner = ScriptedRunner.throwing(items(6), 2, Set.of(4), Set.of())) {
            Outcome outcome = squareEach(solution, runner, items(6), 2);

            assertNoViolation(runner, outcome);
            checkThrows(outcome, runner.lastFailureOf(List.of(3, 4)), "the task failed on item 4");
            check(
                    outcome.thrown().getCause() instanceof RemoteTaskException,
                    "the thrown TaskFailedException lost its"
                            + " cause, the RemoteTaskException that tells what the task threw: throw it as the runner gave it");
        }
    }

    @Test
    @Order(5)
    @DisplayName("5. The earliest failure is thrown, later ones suppressed")
    void theEarliestFailureInItemOrderIsThrownAndLaterOnesAreSuppressed(@Solution PoolMap solution) throws Exception {
        try (ScriptedRunner runner = ScriptedRunner.throwing(items(8), 2, Set.of(3, 7), Set.of())) {
            Outcome outcome = squareEach(solution, runner, items(8), 2);

            assertNoViolation(runner, outcome);
            TaskFailedException earliest = runner.lastFailureOf(List.of(3, 4));
            TaskFailedException later = runner.lastFailureOf(List.of(7, 8));
            check(
                    outcome.thrown() != later,
                    "map threw the failure of item 7, which failed first in time; it must throw"
                            + " the failure of the earliest chunk in item order (item 3's), whichever failed first, so the same"
                            + " input fails the same way on every run");
            checkThrows(outcome, earliest, "items 3 and 7 failed, and item 3's chunk comes first in item order");
            List<Throwable> suppressed = List.of(outcome.thrown().getSuppressed());
            // A map that threw without ever looking at the later chunk failed fast: rule 8 states that
            // mistake (here the runner happened to have ended that chunk already).
            check(
                    !suppressed.isEmpty() || runner.lookedAt(List.of(7, 8)),
                    Grading.mistakeOfRule(
                            8,
                            "map threw item 3's failure without ever looking at chunk [7, 8], which failed too: it"
                                    + " failed fast (that chunk had happened to end already, so here its failure was"
                                    + " merely lost; on a real pool its worker would still be busy). Wait until every"
                                    + " chunk has ended, then throw the earliest failure, with the later ones added"
                                    + " to it as suppressed (addSuppressed)"));
            check(
                    suppressed.size() == 1 && suppressed.get(0) == later,
                    "the later failure (item 7's) must be added to"
                            + " the thrown one as suppressed (addSuppressed), itself and once, not dropped; the thrown"
                            + " exception's suppressed list was " + suppressed);
        }
    }

    @Test
    @Order(6)
    @DisplayName("6. At most three retries of a dying worker's chunk")
    void aChunkWhoseWorkerKeepsDyingIsRetriedAtMostThreeTimesThenThrown(@Solution PoolMap solution) throws Exception {
        List<Integer> dead = List.of(3, 4);
        try (ScriptedRunner runner = ScriptedRunner.dying(items(6), 2, 3, ScriptedRunner.FOREVER)) {
            Outcome outcome = squareEach(solution, runner, items(6), 2);

            assertNoViolation(runner, outcome);
            int tries = runner.triesOf(dead);
            String failed = "the worker running chunk " + dead + " died on "
                    + (tries == 1 ? "its only try" : "each of its " + tries + " tries");
            check(
                    outcome.thrown() != null,
                    "map returned " + outcome.results() + " although " + failed + ": a chunk"
                            + " whose worker died is never dropped; retry it at most " + PoolMap.MAX_RETRIES
                            + " times, then"
                            + " throw its last try's TaskFailedException");
            checkThrows(outcome, runner.lastFailureOf(dead), failed + " (throw the last try's failure)");
        }
    }

    @Test
    @Order(7)
    @DisplayName("7. A retried chunk's results take its place")
    void aChunkWhoseWorkerDiedOnceIsRetriedInPlaceOrThrownNeverDropped(@Solution PoolMap solution) throws Exception {
        List<Integer> dead = List.of(3, 4);
        try (ScriptedRunner runner = ScriptedRunner.dying(items(6), 2, 3, 1)) {
            Outcome outcome = squareEach(solution, runner, items(6), 2);

            assertNoViolation(runner, outcome);
            int tries = runner.triesOf(dead);
            if (tries == 1) {
                checkThrows(
                        outcome,
                        runner.lastFailureOf(dead),
                        "the worker running chunk " + dead + " died and map did"
                                + " not retry it (retrying it, at most " + PoolMap.MAX_RETRIES
                                + " times, is fine too)");
            } else {
                checkSquares(
                        resultsOf(
                                outcome,
                                "the worker running chunk " + dead + " died on its first try, map"
                                        + " retried it, and its second try succeeded: put that try's results in its place"),
                        items(6),
                        " (the worker running chunk " + dead + " died on its first try; its second try succeeded)");
            }
        }
    }

    @Test
    @Order(8)
    @DisplayName("8. Every task is accounted for")
    void mapEndsOnlyOnceEveryChunkHasEnded(@Solution PoolMap solution) throws Exception {
        try (ScriptedRunner runner = ScriptedRunner.throwing(items(6), 2, Set.of(1), Set.of(0))) {
            Outcome outcome = squareEach(solution, runner, items(6), 2);

            assertNoViolation(runner, outcome);
            checkThrows(outcome, runner.lastFailureOf(List.of(1, 2)), "item 1's task failed");
        }
    }

    @Test
    @Order(9)
    @DisplayName("9. A chunk size below 1 is refused")
    void aChunkSizeBelowOneIsRefusedBeforeAnythingIsSubmitted(@Solution PoolMap solution) throws Exception {
        try (ScriptedRunner runner = ScriptedRunner.succeeding(List.of(), 1)) {
            Outcome outcome = squareEach(solution, runner, items(3), 0);

            check(
                    outcome.thrown() instanceof IllegalArgumentException,
                    "chunkSize 0 must be refused with an"
                            + " IllegalArgumentException; map "
                            + (outcome.thrown() == null
                                    ? "returned " + outcome.results()
                                    : "threw " + outcome.thrown()));
            check(
                    runner.submitted().isEmpty(),
                    "nothing may be submitted with an invalid chunkSize; map submitted " + runner.chunkItems()
                            + " before refusing it: check chunkSize first");
        }
    }

    @Test
    @Order(10)
    @DisplayName("10. No items, no results")
    void noItemsMeansNoResultsAndNothingSubmitted(@Solution PoolMap solution) throws Exception {
        try (ScriptedRunner runner = ScriptedRunner.succeeding(List.of(), 1)) {
            Outcome outcome = squareEach(solution, runner, List.of(), 4);
            assertNoViolation(runner, outcome);
            List<Object> results = resultsOf(outcome, "no items, no chunks, nothing to fail");

            check(results != null && results.isEmpty(), "no items, no results: map returned " + results);
            check(runner.submitted().isEmpty(), "no items, no chunks: map submitted " + runner.chunkItems());
        }
    }

    @Test
    @Order(11)
    @Timeout(90) // two real JVMs started cold: REAL_JVMS_LIMIT, and a margin
    @DisplayName("11. The same on two real worker JVMs")
    void mapRunsOnTwoRealWorkerJvms(@Solution PoolMap solution) throws Exception {
        long deadline = System.nanoTime() + REAL_JVMS_LIMIT.toNanos();
        try (LazyPool pool = new LazyPool(2)) {
            Outcome counted = MapCall.call(
                    solution,
                    pool,
                    "countPrimes",
                    List.of(10, 100, 1000, 10_000, 100_000),
                    2,
                    Duration.ofNanos(deadline - System.nanoTime()));
            List<Object> counts = resultsOf(counted, "every countPrimes task succeeds");
            check(
                    List.of(4L, 25L, 168L, 1229L, 9592L).equals(counts),
                    "on two worker JVMs, map must return the primes"
                            + " below 10, 100, 1000, 10000, 100000 in that order, [4, 25, 168, 1229, 9592]; it returned "
                            + counts);

            Outcome divided = MapCall.call(
                    solution,
                    pool,
                    "thousandDividedBy",
                    List.of(1, 0, 4),
                    1,
                    Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            check(
                    divided.thrown() instanceof TaskFailedException,
                    "thousandDividedBy(0) threw in a worker, so map must"
                            + " throw its TaskFailedException; it "
                            + (divided.thrown() == null
                                    ? "returned " + divided.results()
                                    : "threw " + divided.thrown()));
            TaskFailedException failure = (TaskFailedException) divided.thrown();
            check(
                    failure.reason() == Reason.TASK_THREW
                            && failure.getCause() instanceof RemoteTaskException remote
                            && remote.remoteType().equals("java.lang.ArithmeticException"),
                    "map must throw the failed chunk's"
                            + " own TaskFailedException, whose cause tells that the task threw an ArithmeticException; it threw "
                            + failure);
        }
    }
}
