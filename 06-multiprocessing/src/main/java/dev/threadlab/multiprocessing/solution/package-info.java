/**
 * SPOILERS: the reference solutions of this module's exercises (06.1 {@code RunAWorker},
 * 06.2 {@code Pool.map}). The demos run the reference {@code Pool.map} unless told
 * {@code --solution yours}, through {@code PoolMapChoice}, the only class outside this package
 * that names it; try the exercises yourself first ({@code exercise} package, graded with
 * {@code ./threadlab check 06.1} or {@code -Plearn}).
 */
package dev.threadlab.multiprocessing.solution;
