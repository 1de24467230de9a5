/**
 * SPOILERS: the reference solutions of this module's exercise. The default build grades these; try
 * the exercise yourself first ({@code exercise} package, graded with {@code -Plearn}).
 */
package dev.threadlab.basics.solution;
