/**
 * SPOILERS: the reference solutions of this module's exercises: 05.1 one lock for every thread
 * ({@code ReferenceOneAtATime}), 05.2 the GIL let go around a blocking call
 * ({@code ReferenceAllowThreads}), 05.3 the drop-request hand-off ({@code ReferenceHandOff}). The
 * default build grades them; the demos and the benchmark run on the hand-off unless given
 * {@code --solution yours}. Try the exercises yourself first ({@code exercise} package, graded with
 * {@code -Plearn}).
 */
package dev.threadlab.gil.solution;
