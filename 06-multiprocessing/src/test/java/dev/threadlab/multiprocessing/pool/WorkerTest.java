package dev.threadlab.multiprocessing.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.testsupport.ChildJvm;
import dev.threadlab.multiprocessing.pool.Protocol.Chunk;
import dev.threadlab.multiprocessing.pool.Protocol.Failed;
import dev.threadlab.multiprocessing.pool.Protocol.Hello;
import dev.threadlab.multiprocessing.pool.Protocol.Message;
import dev.threadlab.multiprocessing.pool.Protocol.Results;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The worker's side of the protocol, served in this JVM over byte streams; and its command line, in a child JVM. */
class WorkerTest {

    private final List<Integer> exits = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private List<Message> serve(Message... requests) throws IOException {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(input);
        for (Message request : requests) {
            Protocol.write(out, request);
        }
        return serve(input.toByteArray());
    }

    private List<Message> serve(byte[] input) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Worker.serve(
                new ByteArrayInputStream(input),
                output,
                new PrintStream(log, true, StandardCharsets.UTF_8),
                exits::add);
        DataInputStream answers = new DataInputStream(new ByteArrayInputStream(output.toByteArray()));
        List<Message> messages = new ArrayList<>();
        for (Message m = Protocol.read(answers); m != null; m = Protocol.read(answers)) {
            messages.add(m);
        }
        return messages;
    }

    @Test
    void aWorkerSaysHelloThenAnswersEachChunkInTurn() throws IOException {
        List<Message> answers = serve(new Chunk(1, "square", List.of(1, 2, 3)), new Chunk(2, "echo", List.of("x")));

        assertThat(answers)
                .containsExactly(
                        new Hello(Protocol.VERSION), new Results(1, List.of(1L, 4L, 9L)), new Results(2, List.of("x")));
        assertThat(exits)
                .as("at the end of its input a worker exits with status 0")
                .containsExactly(0);
        assertThat(log.toString(StandardCharsets.UTF_8)).as("nothing to report").isEmpty();
    }

    @Test
    void theFirstItemThatThrowsEndsItsChunkWithTheExceptionsTypeMessageAndFrames() throws IOException {
        List<Message> answers = serve(
                new Chunk(7, "thousandDividedBy", List.of(5, 0, 1)),
                new Chunk(8, "nope", List.of(1)),
                new Chunk(9, "square", List.of(2)));

        assertThat(answers.get(1)).isInstanceOfSatisfying(Failed.class, failed -> {
            assertThat(failed.id()).isEqualTo(7);
            assertThat(failed.index()).as("item 1 (the 0) threw").isEqualTo(1);
            assertThat(failed.type()).isEqualTo("java.lang.ArithmeticException");
            assertThat(failed.message()).isEqualTo("/ by zero");
            assertThat(failed.trace())
                    .as("the worker's stack frames travel too")
                    .anySatisfy(frame -> assertThat(frame.getClassName()).startsWith(Tasks.class.getName()));
        });
        assertThat(answers.get(2)).isInstanceOfSatisfying(Failed.class, failed -> {
            assertThat(failed.type()).isEqualTo("java.lang.IllegalArgumentException");
            assertThat(failed.message()).startsWith("unknown task 'nope'");
        });
        assertThat(answers.get(3)).as("a failed chunk does not stop the worker").isEqualTo(new Results(9, List.of(4L)));
    }

    @Test
    void aMalformedFrameEndsTheWorkerWithTheDataErrorStatus() throws IOException {
        List<Message> answers = serve(new byte[] {0, 0, 0, 1, 'X'});

        assertThat(answers).as("only the hello was written").hasSize(1);
        assertThat(exits).containsExactly(Worker.EXIT_PROTOCOL_ERROR);
        assertThat(log.toString(StandardCharsets.UTF_8))
                .as("the worker says why on its stderr")
                .isEqualTo("worker: protocol error: unknown message kind 0x58" + System.lineSeparator());
    }

    @Test
    void aWorkerStartedByHandWithArgumentsPrintsItsUsageAndExitsWithStatus2() throws Exception {
        try (ChildJvm worker = ChildJvm.start(Worker.class, ProcessPool.DEFAULT_JVM_OPTIONS, "--help")) {
            assertThat(worker.awaitExit(Duration.ofSeconds(60))).isEqualTo(Worker.EXIT_USAGE);
            assertThat(String.join("\n", worker.output())).contains("usage:").contains("no arguments");
        }
    }
}
