package dev.threadlab.lifecycle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The benchmark's report arithmetic: a median of unsorted iterations, and readable ratios. */
class StartJoinCostTest {

    @Test
    void theMedianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
        assertThat(Lifecycle_07_StartJoinCost.median(new double[] {9, 1, 5})).isEqualTo(5);
        assertThat(Lifecycle_07_StartJoinCost.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void ratiosReadAsTimesOrAsAFractionWhenTiny() {
        assertThat(Lifecycle_07_StartJoinCost.ratio(11.04)).isEqualTo("11.0×");
        assertThat(Lifecycle_07_StartJoinCost.ratio(1.0 / 45_000)).isEqualTo("1/45000");
    }
}
