package dev.threadlab.multiprocessing.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.ThreadDumps;
import dev.threadlab.multiprocessing.pool.ChunkRunner;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Calls a {@code map} on a thread of its own, so that a map that hangs is told so in seconds,
 * with where it hangs, instead of holding the test until its timeout. The runner says when the
 * last chunk ended ({@link Watched#quietSince()}): a map still running {@link #QUIET_LIMIT} after
 * that waits for something that will never come (a correct map returns within microseconds).
 */
final class MapCall {

    /** How long a map may go on once every chunk it submitted has ended (or before it submits any). */
    static final Duration QUIET_LIMIT = Duration.ofSeconds(2);

    /** How long one call of map may take on the scripted runner, whatever it does. */
    static final Duration SCRIPTED_LIMIT = Duration.ofSeconds(10);

    private MapCall() {}

    /** A map that did not return: its thread is still there, so the spec's later rules are skipped (common's {@code SolutionResolver}: a {@link Hung} is a {@code SolutionHung}). */
    static final class Hung extends dev.threadlab.common.testsupport.SolutionHung {
        private static final long serialVersionUID = 1L;

        Hung(String message) {
            super(message);
        }
    }

    /** A runner that tells when its chunks ended. */
    interface Watched {
        /** Called with the thread that will call map, before it starts. */
        void callerIs(Thread mapThread);

        /** @return the {@code System.nanoTime()} since which no chunk has been running, or -1 while one runs */
        long quietSince();
    }

    /** What one call of map did: its results, or what it threw. */
    record Outcome(List<Object> results, Throwable thrown) {
        /** @return "returned" or "threw" and what */
        String how() {
            return thrown == null ? "returned" : "threw " + thrown.getClass().getSimpleName();
        }
    }

    /**
     * Calls {@code solution.map(runner, task, items, chunkSize)} on a new thread and waits for it.
     *
     * @param limit the longest the call may take
     * @return what map returned or threw; an untouched stub's {@link NotImplementedYet} is rethrown
     * @throws Hung if map hangs: still running {@link #QUIET_LIMIT} after its last chunk
     *                        ended, or after {@code limit}
     */
    static <R extends ChunkRunner & Watched> Outcome call(
            PoolMap solution, R runner, String task, List<?> items, int chunkSize, Duration limit)
            throws InterruptedException {
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        Thread mapThread = Thread.ofPlatform().name("map-caller").daemon(true).unstarted(() -> {
            try {
                outcome.set(new Outcome(solution.map(runner, task, items, chunkSize), null));
            } catch (Throwable thrown) {
                outcome.set(new Outcome(null, thrown));
            }
        });
        runner.callerIs(mapThread);
        long start = System.nanoTime();
        mapThread.start();
        while (!mapThread.join(Duration.ofMillis(5))) {
            long now = System.nanoTime();
            long quiet = runner.quietSince();
            if (quiet >= 0) {
                quiet = Math.max(quiet, start); // quiet since before this call (a pool used again): from its start
            }
            if (quiet >= 0 && now - quiet >= QUIET_LIMIT.toNanos()) {
                throw hung(
                        mapThread,
                        "map has not returned although every chunk it submitted had ended "
                                + QUIET_LIMIT.toSeconds()
                                + " s before (or it submitted none): it waits for something that will"
                                + " never come. Wait only for the chunks' futures, then return or throw");
            }
            if (now - start >= limit.toNanos()) {
                throw hung(
                        mapThread,
                        "map has not returned after " + limit.toSeconds() + " s: return or throw once"
                                + " every chunk has ended");
            }
        }
        Outcome ended = outcome.get();
        if (ended.thrown() instanceof NotImplementedYet stub) {
            throw stub;
        }
        return ended;
    }

    private static Hung hung(Thread mapThread, String what) throws InterruptedException {
        String where = ThreadDumps.describe(mapThread);
        mapThread.interrupt(); // it is a daemon: if it ignores the interrupt, it cannot keep the JVM alive
        mapThread.join(Duration.ofMillis(200));
        return new Hung(what + ". Where map was: " + where);
    }
}
