package dev.threadlab.basics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Sleeper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaysToStartAThreadTest {

    @Test
    void eachWayRunsTheBodyOnItsOwnNamedThreadsAndWaitsBeforeTheNext() throws InterruptedException {
        Console console = Console.recording();

        Basics_02_WaysToStartAThread.run(2, Duration.ofSeconds(1), Sleeper.instant(), console);

        List<String> threads =
                console.lines().stream().map(Console.Line::thread).toList();
        List<String> texts = console.texts();
        String main = Thread.currentThread().getName();
        int[] headers = {
            texts.indexOf("1. new Thread(runnable, name), start(), join()"),
            texts.indexOf("2. Thread.ofPlatform(): a builder that names and starts"),
            texts.indexOf("3. Thread.ofVirtual(): virtual threads, same API"),
            texts.indexOf("4. ExecutorService in try-with-resources: close() waits for the tasks"),
            texts.indexOf("Threads completed.")
        };
        assertThat(headers).as("the sections, in order").isSorted().doesNotContain(-1);
        List<List<String>> expectedWorkers = List.of(
                List.of("classic-1", "classic-2"),
                List.of("platform-1", "platform-2"),
                List.of("virtual-1", "virtual-2"));
        for (int section = 0; section < 4; section++) {
            List<String> workers = threads.subList(headers[section] + 1, headers[section + 1]);
            assertThat(workers)
                    .as("section %d: two numbers from each of two threads, none from main", section + 1)
                    .hasSize(4)
                    .doesNotContain(main);
            if (section < 3) {
                assertThat(workers)
                        .containsExactlyInAnyOrderElementsOf(List.of(
                                expectedWorkers.get(section).get(0),
                                        expectedWorkers.get(section).get(0),
                                expectedWorkers.get(section).get(1),
                                        expectedWorkers.get(section).get(1)));
            } else {
                assertThat(workers).allMatch(name -> name.matches("pool-\\d+-thread-[12]"));
            }
        }
        assertThat(threads.get(threads.size() - 1)).isEqualTo(main);
    }
}
