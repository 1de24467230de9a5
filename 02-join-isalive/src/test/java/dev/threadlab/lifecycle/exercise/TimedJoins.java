package dev.threadlab.lifecycle.exercise;

import dev.threadlab.common.testsupport.TimedWaitRouting;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.jcip.annotations.ThreadSafe;

/**
 * What "held" means for 02.2's and 02.3's timed joins: a worker whose cleanup a harness holds
 * ({@link Holder}: interrupted, its cleanup held until it is waited for to the end). The solution
 * is loaded again ({@link #reloaded}) with its timed waits routed through {@link TimedWaitRouting}:
 * on a held worker, the first {@code TimedWaitRouting.TRIES - 1} (63) timed joins return at once,
 * the worker alive, as joins whose timeout ran out, however long their timeout; a caller that stops
 * there returns with the worker alive and breaks the rule, every run, with one message: a loop that
 * gives up after fewer than {@code TRIES} (64) tries is a give-up. A caller that joins it for the
 * {@code TRIES}th time (a loop {@code while (t.isAlive()) t.join(...)}) has shown that it waits
 * until the end: the worker is let go ({@link JoinWatch#letGo()}) and the join is made as written.
 * Every other wait (no timeout, a target not held, a zero timeout) is the real call, untouched; so is
 * the untimed {@code join()}, which the hold sees as {@code WAITING}.
 *
 * <p>A class the grading cannot load again runs as it is: its timed joins are then seen only by
 * {@link JoinWatch} (re-entered waits), and one long timed join is waited for as any wait is.
 */
@ThreadSafe
final class TimedJoins {

    private TimedJoins() {}

    /** A harness that holds some threads' cleanup until they are waited for to the end. */
    interface Holder {
        /** @return the watch of {@code target} if it is held (interrupted, cleanup held), else null */
        JoinWatch heldFor(Thread target);
    }

    private static final Set<Holder> HOLDERS = ConcurrentHashMap.newKeySet();

    static void add(Holder holder) {
        HOLDERS.add(holder);
    }

    static void remove(Holder holder) {
        HOLDERS.remove(holder);
    }

    /** @return the watch of {@code target} if a harness holds it, else null */
    private static JoinWatch watchOf(Object target) {
        if (target instanceof Thread thread) {
            for (Holder holder : HOLDERS) {
                JoinWatch watch = holder.heldFor(thread);
                if (watch != null) {
                    return watch;
                }
            }
        }
        return null;
    }

    /** 02's hold: a worker whose cleanup a harness holds; its {@code TRIES}th timed join lets it go, and is made as written. */
    private static final TimedWaitRouting.Hold HELD_WORKERS = new TimedWaitRouting.Hold() {
        @Override
        public boolean holds(Object target) {
            return watchOf(target) != null;
        }

        @Override
        public void waitedForToTheEnd(Object target) {
            JoinWatch watch = watchOf(target);
            if (watch != null) {
                watch.letGo();
            }
        }

        @Override
        public boolean noTimeLimitOnceWaitedFor() {
            return false;
        }
    };

    /**
     * @return a new instance of {@code solution}'s class loaded again with its timed waits, and
     *     those of every class beside it that the grading loads again (a public helper in its
     *     package, say), routed through {@link TimedWaitRouting}; or {@code solution} itself if it
     *     cannot be loaded again
     */
    static <T> T reloaded(T solution, Class<T> type) {
        return TimedWaitRouting.reloaded(solution, type, HELD_WORKERS);
    }
}
