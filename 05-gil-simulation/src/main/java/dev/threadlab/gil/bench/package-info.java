/**
 * What {@code Gil_05_Benchmark} needs besides the engine: median-and-spread statistics and a runner
 * for the shipped Python originals ({@code src/main/python/}). Candidates for a course-wide benchmark
 * kit in {@code common} (issue 12, item 4).
 */
package dev.threadlab.gil.bench;
