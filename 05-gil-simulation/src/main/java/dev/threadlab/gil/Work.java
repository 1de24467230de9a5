package dev.threadlab.gil;

/**
 * The CPU-bound work of this module: a "bytecode" is one step of a linear congruential generator
 * (Knuth's MMIX constants), a chain of dependent multiply-adds that the JIT can neither skip nor
 * vectorise, about 1 ns each on a current x86 core. The Python lesson's CPU-bound loop,
 * {@code while n > 0: n -= 1}, plays the same role in the shipped Python originals.
 *
 * <p>Thread-safety: stateless.
 */
public final class Work {

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
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }
}
