package dev.threadlab.gil.exercise;

/**
 * <b>Exercise 05: the drop-request hand-off</b>, the part of CPython's GIL that makes it fair.
 * Implement it in {@link YourHandOff}; {@code SwitchIntervalGil} calls it at the two moments
 * below, and the module's demos run on yours with {@code --hand-off yours}.
 *
 * <p>CPython's rule ({@code Python/ceval_gil.c}, since 3.2): a thread that wants the GIL waits
 * for it at most one switch interval (5 ms by default); if in that time the GIL was neither dropped
 * nor changed hands, it sets a drop request. The holder checks for the request between two chunks
 * of bytecode (the eval breaker), drops the GIL, and does not take it again until another thread
 * has had it ({@code FORCE_SWITCHING}); otherwise, being already on a CPU, it would usually win the
 * race to take it back.
 *
 * <p>Implementations are stateless (one instance serves every thread of a GIL) and must have a
 * public no-argument constructor.
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
