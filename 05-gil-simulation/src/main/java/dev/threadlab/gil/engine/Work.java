package dev.threadlab.gil.engine;

/**
 * The CPU-bound work of this module. A "bytecode" is one step of a multiply-shift mix,
 * {@code x = x * K + (x >>> 31)}: a chain of dependent operations, about 1.5 ns a step on a current
 * x86 core, that the JIT can neither skip nor fold. (A plain linear congruential step,
 * {@code x = a * x + c}, it does fold: C2 unrolls the loop and rewrites {@code a * (a * x + c) + c}
 * as {@code a² * x + (a * c + c)}, so eight steps cost one multiply; measured here at 0.02 ns a
 * step.) The Python lesson's CPU-bound loop, {@code while n > 0: n -= 1}, plays the same role in
 * the shipped Python originals.
 *
 * <p>Thread-safety: stateless.
 */
public final class Work {

    private static final long K = 6364136223846793005L; // Knuth's MMIX multiplier

    private Work() {}

    /**
     * Runs {@code bytecodes} steps from {@code seed}.
     *
     * @param seed      where to start; pass the previous result to chain calls
     * @param bytecodes how many steps, at least 0
     * @return the value after the last step (use it, or the JIT may drop the work)
     */
    public static long spin(long seed, long bytecodes) {
        long x = seed;
        for (long i = 0; i < bytecodes; i++) {
            x = x * K + (x >>> 31);
        }
        return x;
    }
}
