package dev.threadlab.multiprocessing.bench;

import dev.threadlab.common.bench.Summary;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measured durations of one benchmark row, summarised as the course prints numbers (common's
 * {@link Summary}, here with a unit chosen per row): the median, and the spread (min–max for a few repetitions; p10–p90 for many, where single outliers say
 * more about the machine than about the code).
 *
 * <p>Thread-safety: immutable.
 *
 * @param row   what was measured
 * @param nanos the samples, in ns, sorted ascending, at least one
 */
public record Samples(String row, long[] nanos) {

    /** From this many samples on, the spread is p10–p90 rather than min–max. */
    public static final int PERCENTILE_SPREAD_FROM = 50;

    /**
     * @throws IllegalArgumentException if there are no samples
     */
    public Samples {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples for " + row);
        }
        nanos = nanos.clone();
        Arrays.sort(nanos);
    }

    /** @return samples given in seconds (as the Python script prints them) */
    public static Samples ofSeconds(String row, List<Double> seconds) {
        return new Samples(
                row, seconds.stream().mapToLong(s -> Math.round(s * 1e9)).toArray());
    }

    /** @return the median in ns (the mean of the middle two for an even count), as common's {@link Summary} */
    public double median() {
        return summary().median();
    }

    /** @return the value below which {@code fraction} of the samples lie (nearest rank), in ns */
    public long percentile(double fraction) {
        return Math.round(Summary.percentile(fraction, asDoubles()));
    }

    /** @return median and min-max of the samples, in ns */
    public Summary summary() {
        return Summary.of(asDoubles());
    }

    private double[] asDoubles() {
        return Arrays.stream(nanos).asDoubleStream().toArray();
    }

    /** @return the spread's label and bounds, e.g. {@code "min–max 31.0 ms – 44.0 ms"} */
    public String spread() {
        if (nanos.length >= PERCENTILE_SPREAD_FROM) {
            return "p10–p90 " + format(percentile(0.10)) + " – " + format(percentile(0.90));
        }
        Summary summary = summary();
        return "min–max " + format(summary.min()) + " – " + format(summary.max());
    }

    /** @return the median, formatted with a unit */
    public String formattedMedian() {
        return format(median());
    }

    /** @return {@code nanos} in µs, ms or s, whichever reads best, with the unit */
    static String format(double nanos) {
        if (nanos < 1e6) {
            return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
        }
        if (nanos < 1e9) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Samples s && s.row.equals(row) && Arrays.equals(s.nanos, nanos);
    }

    @Override
    public int hashCode() {
        return 31 * row.hashCode() + Arrays.hashCode(nanos);
    }

    @Override
    public String toString() {
        return row + ": median " + formattedMedian() + ", " + spread() + ", n=" + nanos.length;
    }
}
