package dev.threadlab.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import dev.threadlab.common.output.Console;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** An exception in a worker never reaches join(): only the worker's uncaught-exception handler sees it. */
class UncaughtExceptionTest {

    private final Console console = Console.recording();

    @Test
    void joinReturnsNormallyAndTheExceptionGoesToTheWorkersHandler() throws InterruptedException {
        Throwable[] received = new Throwable[1];

        assertThatCode(() -> received[0] = Lifecycle_06_UncaughtException.runFailingWorker("disk full", null, console))
                .as("join() on a thread that died of an exception returns normally")
                .doesNotThrowAnyException();

        assertThat(received[0])
                .as("the handler received the worker's exception, visible after join()")
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("disk full");
        assertThat(console.texts()).contains("   join() returned normally; isAlive() = false");
    }

    @Test
    void withoutAKeepingHandlerTheTraceIsPrintedAsTheDefaultDoesAndMainLearnsNothing() throws InterruptedException {
        StringWriter out = new StringWriter();

        Throwable learned = Lifecycle_06_UncaughtException.runFailingWorker(
                "disk full", Lifecycle_06_UncaughtException.printsLikeTheDefault(new PrintWriter(out)), console);

        assertThat(learned).as("nothing reaches main").isNull();
        assertThat(out.toString())
                .as("the JVM default's first line, then the worker's stack trace")
                .startsWith("Exception in thread \"worker\" java.lang.IllegalStateException: disk full")
                .contains("\tat ");
    }

    @Test
    void theHandlerRunsOnTheDyingWorkerAndHasRunOnceJoinReturns() throws InterruptedException {
        // A mock handler, called from another thread: join() is what makes verify() safe without a timeout.
        Thread.UncaughtExceptionHandler handler = mock(Thread.UncaughtExceptionHandler.class);
        AtomicReference<String> ranOn = new AtomicReference<>();
        doAnswer(call -> {
                    ranOn.set(Thread.currentThread().getName());
                    return null;
                })
                .when(handler)
                .uncaughtException(any(), any());

        Lifecycle_06_UncaughtException.runFailingWorker("disk full", handler, console);

        verify(handler)
                .uncaughtException(
                        argThat(t -> t.getName().equals("worker")),
                        argThat(e -> e instanceof IllegalStateException && "disk full".equals(e.getMessage())));
        assertThat(ranOn.get())
                .as("the handler runs on the thread that died, not on main")
                .isEqualTo("worker");
    }
}
