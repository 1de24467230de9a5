package dev.threadlab.multiprocessing.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The registry's tasks do what its table says, and a wrong name or argument says what was expected. */
class TasksTest {

    @Test
    void countPrimesCountsThePrimesBelowItsLimit() {
        assertThat(Tasks.countPrimes(2)).as("no primes below 2").isZero();
        assertThat(Tasks.countPrimes(3)).as("2 is the only prime below 3").isEqualTo(1);
        assertThat(Tasks.countPrimes(100)).as("25 primes below 100").isEqualTo(25);
        assertThat(Tasks.countPrimes(100_000)).as("9592 primes below 100000").isEqualTo(9592);
    }

    @Test
    void tasksTakeTheirArgumentAsTheProtocolDeliversIt() throws Exception {
        assertThat(Tasks.lookup("square").run(12L)).isEqualTo(144L);
        assertThat(Tasks.lookup("square").run(12))
                .as("an Integer is widened, as on the pipe")
                .isEqualTo(144L);
        assertThat(Tasks.lookup("echo").run("x")).isEqualTo("x");
        assertThat(Tasks.lookup("thousandDividedBy").run(8L)).isEqualTo(125L);
        assertThat(Tasks.lookup("pid").run(null))
                .isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void failingTasksThrowWhatTheTableSays() {
        assertThatThrownBy(() -> Tasks.lookup("thousandDividedBy").run(0L))
                .isInstanceOf(ArithmeticException.class)
                .hasMessage("/ by zero");
        assertThatThrownBy(() -> Tasks.lookup("fail").run("on purpose"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("on purpose");
        assertThatThrownBy(() -> Tasks.lookup("square").run("seven"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("square takes a whole number, not String seven");
    }

    @Test
    void anUnknownTaskNameIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> Tasks.lookup("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown task 'nope'; the tasks are [echo, square, countPrimes,");
    }

    @Test
    void incrementCounterChangesThisJvmsCounter() throws Exception {
        long before = Tasks.counter();
        Object seen = Tasks.lookup("incrementCounter").run(null);
        assertThat(seen).isEqualTo(before + 1);
        assertThat(Tasks.counter()).isEqualTo(before + 1);
    }
}
