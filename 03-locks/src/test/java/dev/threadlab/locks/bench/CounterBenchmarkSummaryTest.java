package dev.threadlab.locks.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's arithmetic (median, spread, ratio), on made-up scores: no timing is asserted. */
class CounterBenchmarkSummaryTest {

    @Test
    void theMedianOfAnOddNumberOfScoresIsTheMiddleOne() {
        Locks_06_CounterBenchmark.Row row = Locks_06_CounterBenchmark.row("atomic", List.of(30.0, 10.0, 20.0));

        assertThat(row.median()).isEqualTo(20.0);
        assertThat(row.min()).isEqualTo(10.0);
        assertThat(row.max()).isEqualTo(30.0);
        assertThat(row.samples()).isEqualTo(3);
    }

    @Test
    void theMedianOfAnEvenNumberOfScoresIsTheMeanOfTheMiddleTwo() {
        assertThat(Locks_06_CounterBenchmark.row("locked", List.of(4.0, 1.0, 3.0, 2.0))
                        .median())
                .isEqualTo(2.5);
    }

    @Test
    void aCounterWithoutScoresIsAnError() {
        assertThatThrownBy(() -> Locks_06_CounterBenchmark.row("locked", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("locked: no measured iterations");
    }

    @Test
    void eachRatioIsAMedianOverTheLockedMedian() {
        StringWriter text = new StringWriter();
        Locks_06_CounterBenchmark.print(
                new PrintWriter(text),
                List.of(
                        new Locks_06_CounterBenchmark.Row("atomic", 10, 90.0, 80.0, 100.0),
                        new Locks_06_CounterBenchmark.Row("locked", 10, 30.0, 25.0, 35.0)));

        assertThat(text.toString().lines().toList())
                .containsExactly(
                        "counter               samples  median ops/us      spread (min-max)  vs locked",
                        "atomic                     10           90.0      80.0 - 100.0          3.00x",
                        "locked                     10           30.0      25.0 - 35.0           1.00x");
    }
}
