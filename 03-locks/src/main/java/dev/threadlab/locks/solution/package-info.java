/**
 * SPOILERS: the reference solutions of this module's exercises (03.1 the counter, 03.2 the
 * teller). The default build grades them; try the exercise yourself first ({@code exercise}
 * package, graded with {@code ./threadlab check 03.1} and {@code ./threadlab check 03.2}).
 */
package dev.threadlab.locks.solution;
