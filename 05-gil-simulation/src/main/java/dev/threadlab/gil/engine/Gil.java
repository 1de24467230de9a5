package dev.threadlab.gil.engine;

/**
 * A global interpreter lock as the simulated interpreter ({@link Interpreter}) uses it: a Python
 * thread {@link #attach() attaches} (takes the GIL), runs bytecode one chunk at a time through
 * {@link #runBytecode(Runnable)} (each turn first passes the "eval breaker", where a GIL may be
 * handed over), lets go of it around {@link #withoutGil blocking I/O (or native work)}, and {@link #detach()
 * detaches} when it ends. CPython's names for the same moments: thread bootstrap
 * ({@code PyEval_AcquireThread}), the eval loop's {@code _Py_HandlePending}, the
 * {@code Py_BEGIN_ALLOW_THREADS} / {@code Py_END_ALLOW_THREADS} pair, and the thread's last
 * {@code drop_gil}.
 *
 * <p>Implementations: {@link SwitchIntervalGil} (CPython's design since 3.2),
 * {@link LockPerChunkGil} (naive GILs: a fair or unfair {@code ReentrantLock}, or {@code synchronized}, for contrast), {@link NoGil}
 * (Java: no GIL at all).
 *
 * <p>Implementations are thread-safe; each method is called by the Python thread it concerns.
 */
public interface Gil {

    /**
     * Work done without the GIL: blocking I/O (a simulated {@code time.sleep} or socket read), or
     * native code that releases the GIL around its number crunching (as {@code hashlib} does for
     * large inputs).
     */
    @FunctionalInterface
    interface Blocking {
        /** @throws InterruptedException if the thread is interrupted while blocked */
        void run() throws InterruptedException;
    }

    /**
     * The calling thread starts running Python code: it takes the GIL, waiting as long as it must.
     *
     * @throws InterruptedException  if interrupted while waiting for the GIL
     * @throws IllegalStateException if the calling thread is already attached
     */
    void attach() throws InterruptedException;

    /**
     * One turn of the eval loop: the eval-breaker check (where the GIL may be handed to a thread
     * that asked for it), then {@code chunk}, run while holding the GIL.
     *
     * @param chunk a few "bytecodes" of CPU-bound work
     * @throws InterruptedException  if interrupted while the GIL was being handed over and back
     * @throws IllegalStateException if the calling thread is not attached
     */
    void runBytecode(Runnable chunk) throws InterruptedException;

    /**
     * Runs {@code io} without the GIL, so other threads can run Python code meanwhile, then takes
     * the GIL back.
     *
     * @throws InterruptedException  if interrupted during {@code io} or while taking the GIL back
     * @throws IllegalStateException if the calling thread is not attached
     */
    void withoutGil(Blocking io) throws InterruptedException;

    /**
     * The calling thread is done with Python code (normally or not): it lets go of the GIL for the
     * last time if it holds it.
     */
    void detach();

    /**
     * @return how many times so far a thread took the GIL right after a different thread had it
     *         (CPython's {@code gil->switch_number}); 0 for a GIL that has no holder
     */
    long handOffs();
}
