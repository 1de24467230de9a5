package dev.threadlab.gil.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The median and the spread (min to max) of repeated measurements, as the benchmark prints them:
 * {@code 0.99x [0.95-1.02]}.
 *
 * @param median the middle value (the mean of the two middle ones for an even count)
 * @param min    the smallest value
 * @param max    the largest value
 * @param count  how many values
 */
public record Stats(double median, double min, double max, int count) {

    /**
     * @param values at least one measurement
     * @throws IllegalArgumentException if {@code values} is empty
     */
    public static Stats of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no measurements");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Stats(median, sorted[0], sorted[n - 1], n);
    }

    /**
     * @param pattern a {@link String#format} pattern for one number, e.g. {@code "%.2f"}
     * @param unit    what follows the median, e.g. {@code "x"} or {@code " ms"}
     * @return {@code median<unit> [min-max]}, e.g. {@code 0.99x [0.95-1.02]}
     */
    public String format(String pattern, String unit) {
        return String.format(Locale.ROOT, pattern + "%s [" + pattern + "-" + pattern + "]", median, unit, min, max);
    }
}
