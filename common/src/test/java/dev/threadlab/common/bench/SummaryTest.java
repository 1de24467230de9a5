package dev.threadlab.common.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void theMedianOfAnOddCountIsTheMiddleValueAndTheSpreadIsMinToMax() {
        Summary summary = Summary.of(4.11, 4.03, 4.05);

        assertThat(summary).isEqualTo(new Summary(4.05, 4.03, 4.11, 3));
        assertThat(summary.format("%.2f", " s")).isEqualTo("4.05 s [4.03-4.11]");
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertThat(Summary.of(1, 10, 2, 3).median()).isEqualTo(2.5);
    }

    @Test
    void thereIsNoSummaryOfNothingNorOfNaN() {
        assertThatThrownBy(Summary::of)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no measurements");
        assertThatThrownBy(() -> Summary.of(1, Double.NaN)).hasMessageContaining("NaN");
    }

    @Test
    void aPercentileIsTheNearestRank() {
        double[] hundred = java.util.stream.IntStream.rangeClosed(1, 100)
                .mapToDouble(i -> 101 - i)
                .toArray();
        assertThat(Summary.percentile(0.10, hundred)).isEqualTo(10);
        assertThat(Summary.percentile(0.90, hundred)).isEqualTo(90);
        assertThat(Summary.percentile(0.5, 7)).isEqualTo(7);
    }
}
