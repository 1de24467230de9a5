package dev.threadlab.multiprocessing.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The benchmark's summary: the median, and a spread that suits the number of samples. */
class SamplesTest {

    @Test
    void theMedianIsTheMiddleSampleOrTheMeanOfTheMiddleTwo() {
        assertThat(new Samples("odd", new long[] {9, 1, 5}).median()).isEqualTo(5.0);
        assertThat(new Samples("even", new long[] {4, 1, 3, 2}).median()).isEqualTo(2.5);
    }

    @Test
    void aFewSamplesAreSpreadMinToMaxAndManyP10ToP90() {
        assertThat(new Samples("few", new long[] {2_000_000, 1_500_000, 40_000_000}).spread())
                .isEqualTo("min–max 1.5 ms – 40.0 ms");
        Samples many = new Samples(
                "many", LongStream.rangeClosed(1, 100).map(i -> i * 1000).toArray());
        assertThat(many.spread()).isEqualTo("p10–p90 10.0 µs – 90.0 µs");
        assertThat(many.formattedMedian()).isEqualTo("50.5 µs");
    }

    @Test
    void secondsFromPythonBecomeNanoseconds() {
        Samples fromPython = Samples.ofSeconds("py", List.of(1.25, 0.5));
        assertThat(fromPython.nanos()).containsExactly(500_000_000L, 1_250_000_000L);
        assertThat(fromPython.formattedMedian()).isEqualTo("875.0 ms");
        assertThat(Samples.format(2.5e9)).isEqualTo("2.50 s");
    }

    @Test
    void noSamplesIsAnError() {
        assertThatThrownBy(() -> new Samples("empty", new long[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no samples for empty");
    }
}
