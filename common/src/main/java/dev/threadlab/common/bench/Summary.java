package dev.threadlab.common.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a benchmark prints for one row of repeated measurements: the median, and the spread from
 * the smallest to the largest value, e.g. {@code 4.05 s [4.03-4.11]}. With the few repetitions a
 * course benchmark makes (3 to 10), min and max are the honest spread: nothing is hidden.
 *
 * <p>A speed-up is summarised the same way: compute one ratio per repetition, from two
 * measurements taken one after the other in that repetition (same machine load), then
 * {@code Summary.of(ratios)}.
 *
 * <p>Thread-safety: immutable.
 *
 * @param median the middle value (the mean of the two middle ones for an even count)
 * @param min    the smallest value
 * @param max    the largest value
 * @param count  how many values, at least 1
 */
public record Summary(double median, double min, double max, int count) {

    /**
     * @param values the measurements, at least one, none NaN
     * @throws IllegalArgumentException if there are none, or one is NaN
     */
    public static Summary of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no measurements");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        if (Double.isNaN(sorted[sorted.length - 1])) { // NaN sorts last
            throw new IllegalArgumentException("a measurement is NaN: " + Arrays.toString(values));
        }
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Summary(median, sorted[0], sorted[n - 1], n);
    }

    /**
     * @param fraction between 0 and 1, e.g. 0.9
     * @param values   the measurements, at least one
     * @return the value at or below which {@code fraction} of the values lie (nearest rank): for
     *         many values (a round trip measured thousands of times) p10 and p90 are a spread that
     *         single outliers do not stretch
     */
    public static double percentile(double fraction, double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no measurements");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * @param pattern a {@link String#format} pattern for one number, e.g. {@code "%.2f"}
     * @param unit    what follows the median, e.g. {@code "x"} or {@code " ms"}
     * @return {@code median<unit> [min-max]}, e.g. {@code 17.9x [16.2-18.4]}
     */
    public String format(String pattern, String unit) {
        return String.format(Locale.ROOT, pattern + "%s [" + pattern + "-" + pattern + "]", median, unit, min, max);
    }
}
