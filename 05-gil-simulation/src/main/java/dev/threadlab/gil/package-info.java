/**
 * Module 05, the GIL: the lessons, one runnable class each, in reading order ({@code Gil_01_…}
 * to {@code Gil_05_Benchmark}). Read these. The exercises are in {@code exercise} (edit only the
 * {@code Your…} classes); the simulated interpreter and its GILs are in {@code engine}, the demos'
 * command-line options in {@code cli}, the benchmark's helpers in {@code bench}: machinery you
 * may read but need not change. {@code solution} holds the reference answers (spoilers).
 */
package dev.threadlab.gil;
