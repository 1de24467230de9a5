package dev.threadlab.basics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the lesson's first program promises, proven without a single real pause: the one-second
 * sleeps go through an injected {@link Sleeper}, which the tests turn into a rendezvous or a
 * scripted order.
 */
class PrintNumbersTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final long PATIENCE_S = 20;

    private static List<String> numbersPrintedBy(Console console, String thread) {
        return console.lines().stream()
                .filter(l -> l.thread().equals(thread))
                .map(Console.Line::text)
                .filter(t -> t.startsWith("Number"))
                .toList();
    }

    @Test
    void everyNumberIsPrintedExactlyOncePerThreadInOrder() throws InterruptedException {
        Console console = Console.recording();

        Basics_01_PrintNumbers.run(3, 5, ONE_SECOND, Sleeper.instant(), console);

        List<String> expected =
                IntStream.range(0, 5).mapToObj(i -> "Number: " + i).toList();
        for (String worker : List.of("worker-1", "worker-2", "worker-3")) {
            assertThat(numbersPrintedBy(console, worker))
                    .as("what %s printed", worker)
                    .isEqualTo(expected);
        }
    }

    @Test
    void threadsCompletedComesLastAndFromTheMainThread() throws InterruptedException {
        Console console = Console.recording();

        Basics_01_PrintNumbers.run(2, 5, ONE_SECOND, Sleeper.instant(), console);

        List<Console.Line> lines = console.lines();
        assertThat(lines).hasSize(11);
        Console.Line last = lines.get(lines.size() - 1);
        assertThat(last.text()).isEqualTo("Threads completed.");
        assertThat(last.thread()).isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void bothThreadsRunConcurrentlyEachSeeingTheOtherMidRun() throws InterruptedException {
        Console console = Console.recording();
        // The "sleep" after each number is a rendezvous: a thread may print its next number only
        // once the other has printed the same one. If the threads ran one after the other, the
        // first would wait here forever (bounded: the barrier breaks and the test fails).
        CyclicBarrier bothHere = new CyclicBarrier(2);
        Sleeper rendezvous = d -> {
            try {
                bothHere.await(PATIENCE_S, TimeUnit.SECONDS);
            } catch (java.util.concurrent.BrokenBarrierException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the other thread never reached the same step: not concurrent", e);
            }
        };

        Basics_01_PrintNumbers.run(2, 5, ONE_SECOND, rendezvous, console);

        List<String> order =
                console.lines().stream().map(l -> l.thread() + " " + l.text()).toList();
        for (int i = 0; i < 4; i++) {
            int next = i + 1;
            int firstOfNext = order.indexOf(order.stream()
                    .filter(s -> s.endsWith("Number: " + next))
                    .findFirst()
                    .orElseThrow());
            for (String worker : List.of("worker-1", "worker-2")) {
                assertThat(order.indexOf(worker + " Number: " + i))
                        .as(
                                "%s printed Number: %d before anyone printed Number: %d (mid-run, side by side)",
                                worker, i, next)
                        .isBetween(0, firstOfNext);
            }
        }
        assertThat(order).hasSize(11);
    }

    @ParameterizedTest(name = "{0} first at every step")
    @CsvSource({"worker-1, worker-2", "worker-2, worker-1"})
    void eitherThreadCanPrintFirstTheSchedulerDecides(String first, String second) throws InterruptedException {
        Console console = Console.recording();

        Basics_01_PrintNumbers.run(2, 5, ONE_SECOND, new ForcedOrder(first, 5), console);

        List<String> order =
                console.lines().stream().map(l -> l.thread() + " " + l.text()).toList();
        for (int i = 1; i < 5; i++) { // step 0 is printed before any sleep, so its order is the scheduler's
            assertThat(order.indexOf(first + " Number: " + i))
                    .as("at step %d, %s prints before %s", i, first, second)
                    .isLessThan(order.indexOf(second + " Number: " + i));
        }
    }

    /**
     * A scripted sleeper for two threads: at every step, {@code first} prints its next number
     * before the other one does. It plays the scheduler, deterministically.
     */
    private static final class ForcedOrder implements Sleeper {
        private final String first;
        private final int steps;
        private final Map<String, Integer> step = new ConcurrentHashMap<>();
        private final CountDownLatch[] firstPrinted;
        private final CountDownLatch[] secondPrinted;

        ForcedOrder(String first, int steps) {
            this.first = first;
            this.steps = steps;
            this.firstPrinted = latches(steps);
            this.secondPrinted = latches(steps);
        }

        private static CountDownLatch[] latches(int n) {
            return IntStream.range(0, n).mapToObj(i -> new CountDownLatch(1)).toArray(CountDownLatch[]::new);
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            String me = Thread.currentThread().getName();
            int k = step.merge(me, 1, Integer::sum) - 1; // this thread has just printed Number: k
            if (me.equals(first)) {
                firstPrinted[k].countDown();
                await(secondPrinted[k]); // let the other print k before we print k+1
            } else {
                secondPrinted[k].countDown();
                if (k + 1 < steps) {
                    await(firstPrinted[k + 1]); // print k+1 only after the first thread has
                }
            }
        }

        private static void await(CountDownLatch latch) throws InterruptedException {
            if (!latch.await(PATIENCE_S, TimeUnit.SECONDS)) {
                throw new AssertionError("scripted order stuck: the other thread did not reach its step");
            }
        }
    }

    @Test
    void eachWorkerGetsItsOwnNumberedName() throws InterruptedException {
        Console console = Console.recording();

        Basics_01_PrintNumbers.run(4, 1, ONE_SECOND, Sleeper.instant(), console);

        assertThat(console.lines().stream().map(Console.Line::thread).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(
                        "worker-1",
                        "worker-2",
                        "worker-3",
                        "worker-4",
                        Thread.currentThread().getName());
    }
}
