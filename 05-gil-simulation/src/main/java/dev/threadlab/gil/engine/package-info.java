/**
 * The machinery the lessons run on: a toy Python interpreter ({@link dev.threadlab.gil.engine.Interpreter})
 * whose threads are real platform threads, the GILs it can run on (CPython's design,
 * {@link dev.threadlab.gil.engine.SwitchIntervalGil}; naive lock-per-chunk ones; none), the CPU-bound
 * work, and the experiments the demos and the benchmark share. Read it if you are curious; the
 * exercises need none of it (05.3 sees it only through {@code exercise.GilState}).
 */
package dev.threadlab.gil.engine;
