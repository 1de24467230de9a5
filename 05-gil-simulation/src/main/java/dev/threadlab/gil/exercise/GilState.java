package dev.threadlab.gil.exercise;

/**
 * What a {@link HandOff} may see and do: the state of one {@code SwitchIntervalGil} and its
 * mechanisms, named after the fields and macros of CPython's {@code Python/ceval_gil.c}
 * ({@code struct _gil_runtime_state}). The GIL gives a hand-off this view; it never needs to make
 * one.
 *
 * <p>Times are in nanoseconds on the GIL's injected clock (a manual clock in the tests, so never
 * read {@code System.nanoTime()} yourself).
 *
 * <p>Thread-safety: every method is safe to call from any Python thread, with the one rule given
 * on each: what may only be called while holding the GIL's mutex, i.e. from
 * {@link HandOff#awaitGil(GilState)}.
 */
public interface GilState {

    /** @return the current time on the GIL's clock, in ns */
    long nanoTime();

    /** @return the switch interval ({@code gil->interval}, {@code sys.getswitchinterval()}), in ns */
    long switchIntervalNanos();

    /** @return whether some thread holds the GIL ({@code gil->locked}) */
    boolean isLocked();

    /**
     * @return how many times the GIL has changed hands ({@code gil->switch_number}): it grows by
     *         one each time a thread takes the GIL that another thread held last
     */
    long switchNumber();

    /**
     * Waits until the GIL is dropped (signalled) or the clock reaches {@code deadlineNanos}:
     * {@code COND_TIMED_WAIT(gil->cond, gil->mutex, ...)}. May return early for no reason, so
     * wait in a loop. Only from {@link HandOff#awaitGil}, where the mutex is held.
     *
     * @param deadlineNanos an absolute time on {@link #nanoTime()}'s clock
     * @return {@code false} if the deadline passed (timed out), {@code true} if woken before it
     * @throws InterruptedException  if the thread is interrupted while waiting
     * @throws IllegalStateException if the calling thread does not hold the GIL's mutex, or if
     *                               {@code deadlineNanos} is the deadline its previous call timed
     *                               out on (it would return at once, forever, holding the mutex)
     */
    boolean awaitDropUntil(long deadlineNanos) throws InterruptedException;

    /** Asks the holder to drop the GIL at its next eval-breaker check: {@code SET_GIL_DROP_REQUEST}. */
    void requestDrop();

    /** @return whether a drop has been requested and not yet reset ({@code gil_drop_request}) */
    boolean dropRequested();

    /**
     * The calling thread, which holds the GIL, lets go of it and signals one waiting thread:
     * the first half of {@code drop_gil}.
     *
     * @throws IllegalStateException if the calling thread does not hold the GIL
     */
    void drop();

    /**
     * The second half of {@code drop_gil} ({@code FORCE_SWITCHING}), for a thread that has just
     * dropped the GIL: if a drop was requested and no other thread has taken the GIL since, resets
     * the request and waits until another thread has taken it. Returns at once otherwise, and also
     * when no thread is waiting to take it.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void awaitTakeover() throws InterruptedException;

    /**
     * Takes the GIL, waiting (through {@link HandOff#awaitGil}) while another thread holds it:
     * {@code take_gil}. Resets a pending drop request once taken.
     *
     * @throws InterruptedException  if the thread is interrupted while waiting
     * @throws IllegalStateException if the calling thread already holds the GIL
     */
    void take() throws InterruptedException;
}
