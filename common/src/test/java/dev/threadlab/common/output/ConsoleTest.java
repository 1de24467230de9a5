package dev.threadlab.common.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.testsupport.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

class ConsoleTest {

    @Test
    void aLineIsTaggedWithElapsedMillisecondsAndTheThreadName() {
        ManualClock clock = new ManualClock();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), clock);

        clock.advance(Duration.ofMillis(12));
        Thread.ofPlatform().name("worker-1").start(() -> console.println("Number: 0"));
        await(console, 1);

        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("[  12 ms] worker-1   Number: 0" + System.lineSeparator());
    }

    @Test
    void linesFromManyThreadsNeverTearAndAreRecordedInPrintedOrder() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), new ManualClock());
        CyclicBarrier start = new CyclicBarrier(4);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().name("t" + t).start(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < 500; i++) {
                    console.println("line " + i);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }

        List<String> printed = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(printed).hasSize(2000).allMatch(l -> l.matches("\\[   0 ms\\] t[0-3] {9}line \\d+"));
        assertThat(printed)
                .isEqualTo(console.lines().stream().map(Console.Line::toString).toList());
    }

    private static void await(Console console, int lines) {
        org.awaitility.Awaitility.await().until(() -> console.lines().size() >= lines);
    }
}
