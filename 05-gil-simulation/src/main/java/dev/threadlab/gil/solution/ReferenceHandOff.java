package dev.threadlab.gil.solution;

import dev.threadlab.gil.exercise.GilState;
import dev.threadlab.gil.exercise.HandOff;

/**
 * The reference solution of exercise 05.3 (spoilers): CPython's drop-request hand-off, line for line
 * after {@code take_gil} and {@code drop_gil} in {@code Python/ceval_gil.c} (CPython's sources as of the 3.13 development cycle), with
 * {@code FORCE_SWITCHING} on. The module's demos and benchmark run on it unless told
 * {@code --solution yours}.
 *
 * <p>Thread-safety: stateless; all state is the GIL's.
 */
public final class ReferenceHandOff implements HandOff {

    /**
     * {@code take_gil}: wait one interval at a time; an interval that passes with the GIL still
     * held by the same thread (no switch in the meantime) means "ask the holder to drop it".
     */
    @Override
    public void awaitGil(GilState gil) throws InterruptedException {
        while (gil.isLocked()) {
            long switchesBefore = gil.switchNumber();
            boolean woken = gil.awaitDropUntil(gil.nanoTime() + gil.switchIntervalNanos());
            // Timed out, and the GIL never changed hands while we waited: the same thread has held
            // it for a whole interval, so ask it to drop the GIL.
            if (!woken && gil.isLocked() && gil.switchNumber() == switchesBefore) {
                gil.requestDrop();
            }
        }
    }

    /**
     * {@code _Py_HandlePending}'s "GIL drop request" branch: drop it, let another thread take it
     * ({@code drop_gil}'s {@code FORCE_SWITCHING} part), take it back.
     */
    @Override
    public void yieldGil(GilState gil) throws InterruptedException {
        gil.drop();
        gil.awaitTakeover();
        gil.take();
    }
}
