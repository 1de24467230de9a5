package dev.threadlab.gil.engine;

import net.jcip.annotations.ThreadSafe;

/**
 * No GIL at all: every chunk runs at once, on as many cores as there are threads. This is Java
 * (and CPython 3.13's experimental free-threaded build); in this module, also "the CPU-bound work
 * moved out of the interpreter", as a C extension that releases the GIL would run it.
 *
 * <p>Thread-safety: stateless.
 */
@ThreadSafe
public final class NoGil implements Gil {

    @Override
    public void attach() {
        // nothing to take
    }

    @Override
    public void runBytecode(Runnable chunk) {
        chunk.run();
    }

    @Override
    public void withoutGil(Blocking io) throws InterruptedException {
        io.run();
    }

    @Override
    public void detach() {
        // nothing to drop
    }

    @Override
    public long handOffs() {
        return 0;
    }

    @Override
    public String toString() {
        return "no GIL";
    }
}
