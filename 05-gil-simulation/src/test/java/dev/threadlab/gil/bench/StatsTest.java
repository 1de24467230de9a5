package dev.threadlab.gil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void theMedianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
        assertThat(Stats.of(3, 1, 2).median()).isEqualTo(2);
        assertThat(Stats.of(4, 1, 3, 2).median()).isEqualTo(2.5);
    }

    @Test
    void itPrintsMedianUnitAndSpread() {
        assertThat(Stats.of(0.95, 1.02, 0.99).format("%.2f", "x")).isEqualTo("0.99x [0.95-1.02]");
    }

    @Test
    void noMeasurementsIsAnError() {
        assertThatThrownBy(Stats::of)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no measurements");
    }
}
