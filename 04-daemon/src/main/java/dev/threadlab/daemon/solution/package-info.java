/**
 * SPOILERS: the reference solution of this module's exercise. The default build grades it; try
 * the exercise yourself first ({@code exercise} package, graded with {@code -Plearn}).
 */
package dev.threadlab.daemon.solution;
