package dev.threadlab.lifecycle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The benchmark's report arithmetic: readable ratios (the median is common's {@code Summary}). */
class StartJoinCostTest {

    @Test
    void ratiosReadAsTimesOrAsAFractionWhenTiny() {
        assertThat(Lifecycle_07_StartJoinCost.ratio(11.04)).isEqualTo("11.0×");
        assertThat(Lifecycle_07_StartJoinCost.ratio(1.0 / 45_000)).isEqualTo("1/45000");
    }
}
