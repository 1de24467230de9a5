/**
 * SPOILERS: the reference solutions of this module's exercises (04.1 {@code ReferenceHeartbeat},
 * 04.2 {@code ReferenceRecordLog}, 04.3 {@code ReferenceAutoSaver}). The default build grades
 * them; try the exercise yourself first ({@code exercise} package, graded with
 * {@code ./threadlab check 04.1}, {@code 04.2} and {@code 04.3}).
 */
package dev.threadlab.daemon.solution;
