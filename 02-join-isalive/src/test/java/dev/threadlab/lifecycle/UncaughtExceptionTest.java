package dev.threadlab.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.threadlab.common.output.Console;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** An exception in a worker never reaches join(): only the worker's uncaught-exception handler sees it. */
class UncaughtExceptionTest {

    private final Console console = Console.recording();

    @Test
    void joinReturnsNormallyAndTheExceptionGoesToTheWorkersHandler() throws InterruptedException {
        Throwable[] received = new Throwable[1];

        assertThatCode(() -> received[0] = Lifecycle_06_UncaughtException.runFailingWorker("disk full", null, console))
                .as("join() on a thread that died of an exception returns normally").doesNotThrowAnyException();

        assertThat(received[0]).as("the handler received the worker's exception, visible after join()")
                .isInstanceOf(IllegalStateException.class).hasMessage("disk full");
        assertThat(console.texts()).contains("   join() returned normally; isAlive() = false");
    }

    @Test
    void withoutAKeepingHandlerTheTraceIsPrintedAsTheDefaultDoesAndMainLearnsNothing() throws InterruptedException {
        StringWriter out = new StringWriter();

        Throwable learned = Lifecycle_06_UncaughtException.runFailingWorker("disk full",
                Lifecycle_06_UncaughtException.printsLikeTheDefault(new PrintWriter(out)), console);

        assertThat(learned).as("nothing reaches main").isNull();
        assertThat(out.toString()).as("the JVM default's first line, then the worker's stack trace")
                .startsWith("Exception in thread \"worker\" java.lang.IllegalStateException: disk full")
                .contains("\tat ");
    }
}
