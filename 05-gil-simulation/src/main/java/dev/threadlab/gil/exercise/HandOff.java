package dev.threadlab.gil.exercise;

/**
 * <b>Exercise 05.3: the drop-request hand-off</b>, the part of CPython's GIL that makes it fair,
 * and the last step of the module's three: 05.1 holds one lock while running, 05.2 lets go of it
 * around a blocking call, and here a thread that wants the GIL asks its holder to let go.
 * Implement it in {@link YourHandOff}; {@code SwitchIntervalGil} calls it at the two moments
 * below, and the module's demos run on yours with {@code --solution yours}.
 *
 * <p>CPython's rule ({@code Python/ceval_gil.c}, since 3.2): a thread that wants the GIL waits
 * for it at most one switch interval (5 ms by default); if in that time the GIL was neither dropped
 * nor changed hands, it sets a drop request. The holder checks for the request between two chunks
 * of bytecode (the eval breaker), drops the GIL, and does not take it again until another thread
 * has had it ({@code FORCE_SWITCHING}); otherwise, being already on a CPU, it would usually win the
 * race to take it back.
 *
 * <p>The rules the grading checks ({@code HandOffSpec}, in this order, on a manual clock, threads
 * lined up by the test; worker-1 holds the GIL, worker-2 wants it):
 * <ol>
 *   <li><b>A waiter asks only after a full switch interval.</b> A waiter waits one switch interval
 *       at a time: each wait lasts exactly {@link GilState#switchIntervalNanos()} from
 *       {@link GilState#nanoTime()} (so its deadline is
 *       {@code gil.nanoTime() + gil.switchIntervalNanos()}, never a fixed or unbounded time), and it
 *       asks ({@link GilState#requestDrop()}) only once a whole interval has passed, never at
 *       once; an interval that passes with the GIL still held by the same thread makes it ask
 *       (checked with intervals of 1, 5 and 20 ms).</li>
 *   <li><b>Having asked, a waiter waits until a fresh deadline.</b> It goes on waiting until a
 *       fresh deadline, and returns only once the GIL is free.</li>
 *   <li><b>A spurious wake-up is no reason to ask.</b> Woken for no reason ({@code awaitDropUntil}
 *       returned {@code true}, a spurious wake-up), a waiter does not ask before its interval has
 *       passed, and goes on waiting.</li>
 *   <li><b>No drop request after a switch.</b> A waiter does not ask when the GIL changed hands
 *       during its wait ({@link GilState#switchNumber()} moved): it starts a new interval
 *       instead.</li>
 *   <li><b>The holder drops the GIL and gets it back.</b> The holder, asked, drops the GIL at its
 *       next check ({@link #yieldGil}), and returns holding it again once the waiter is done with
 *       it.</li>
 *   <li><b>The holder waits until the waiter has had the GIL.</b> The holder does not take the GIL
 *       back before the waiter has had it, even when the waiter is slow to wake
 *       ({@link GilState#awaitTakeover()}, CPython's {@code FORCE_SWITCHING}).</li>
 * </ol>
 * In every rule, both halves wait through {@link GilState} only, never by spinning: a thread that
 * keeps running without waiting on the GIL's clock (200 ms of CPU, or 3 seconds) is reported as
 * hanging, and the rules after it are not graded.
 *
 * <p>Implementations are stateless (one instance serves every thread of a GIL) and must have a
 * public no-argument constructor.
 *
 * <p>Like every exercise: no {@code Thread.sleep} or {@code TimeUnit.sleep} in your class (wait for
 * an event; where the exercise gives you a {@code Sleeper}, pause through it): the grading refuses
 * it before any rule.
 */
public interface HandOff {

    /**
     * The waiting half, {@code take_gil}'s loop. Called by a thread that wants the GIL while
     * another thread holds it, with the GIL's mutex held. Return only once the GIL is free
     * ({@link GilState#isLocked()} is false); the caller then takes it.
     *
     * @param gil the GIL's state and mechanisms
     * @throws InterruptedException if interrupted while waiting (let it propagate)
     */
    void awaitGil(GilState gil) throws InterruptedException;

    /**
     * The holding half, the GIL part of the eval breaker ({@code _Py_HandlePending}). Called by the
     * thread that holds the GIL, between two chunks of bytecode, when a drop has been requested;
     * the mutex is not held. Return holding the GIL again.
     *
     * @param gil the GIL's state and mechanisms
     * @throws InterruptedException if interrupted while waiting (let it propagate)
     */
    void yieldGil(GilState gil) throws InterruptedException;
}
