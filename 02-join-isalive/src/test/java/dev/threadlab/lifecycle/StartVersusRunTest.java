package dev.threadlab.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.output.Console;
import dev.threadlab.lifecycle.Lifecycle_01_StartVersusRun.Report;
import org.junit.jupiter.api.Test;

/** {@code run()} is a plain call on the caller's thread; {@code start()} makes a new one, once. */
class StartVersusRunTest {

    @Test
    void runRunsTheBodyOnTheCallersThreadAndStartOnANewOne() throws InterruptedException {
        Console console = Console.recording();

        Report report = Lifecycle_01_StartVersusRun.demonstrate("worker", console);

        assertThat(report.ranOnRun())
                .as("run() is an ordinary call: the body runs on the caller")
                .isEqualTo(Thread.currentThread().getName());
        assertThat(report.ranOnStart())
                .as("start() runs the body on the new thread")
                .isEqualTo("worker");
        assertThat(console.lines())
                .filteredOn(l -> l.text().startsWith("body:"))
                .extracting(Console.Line::thread)
                .as("the body's own lines, tagged with the thread that printed them")
                .containsExactly(Thread.currentThread().getName(), "worker");
    }

    @Test
    void aThreadStartsOnceASecondStartThrowsIllegalThreadStateException() throws InterruptedException {
        Report report = Lifecycle_01_StartVersusRun.demonstrate("worker", Console.recording());

        assertThat(report.secondStart())
                .as("a terminated thread cannot be started again (CPython: RuntimeError)")
                .isInstanceOf(IllegalThreadStateException.class);
    }
}
