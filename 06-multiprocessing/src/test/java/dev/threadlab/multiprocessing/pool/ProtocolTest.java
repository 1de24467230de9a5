package dev.threadlab.multiprocessing.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.threadlab.multiprocessing.pool.Protocol.Chunk;
import dev.threadlab.multiprocessing.pool.Protocol.Failed;
import dev.threadlab.multiprocessing.pool.Protocol.Hello;
import dev.threadlab.multiprocessing.pool.Protocol.Message;
import dev.threadlab.multiprocessing.pool.Protocol.ProtocolException;
import dev.threadlab.multiprocessing.pool.Protocol.Results;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames carry five kinds of value and nothing else; anything malformed is refused with what is wrong. */
class ProtocolTest {

    private static byte[] encode(Message... messages) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (Message message : messages) {
            Protocol.write(out, message);
        }
        return bytes.toByteArray();
    }

    private static DataInputStream input(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }

    /** A frame of the given payload bytes. */
    private static byte[] frame(int... payload) {
        byte[] bytes = new byte[4 + payload.length];
        bytes[3] = (byte) payload.length;
        for (int i = 0; i < payload.length; i++) {
            bytes[4 + i] = (byte) payload[i];
        }
        return bytes;
    }

    @Test
    void everyValueTypeSurvivesTheTripAndSmallerNumbersAreWidened() throws IOException {
        List<Object> items = Arrays.asList(null, 42L, 7, (short) 3, (byte) 1, 2.5, 1.5f, true, false, "héllo ✓", "");
        DataInputStream in = input(encode(new Chunk(9, "echo", items)));

        Message read = Protocol.read(in);

        assertThat(read)
                .isEqualTo(new Chunk(
                        9, "echo", Arrays.asList(null, 42L, 7L, 3L, 1L, 2.5, 1.5, true, false, "héllo ✓", "")));
        assertThat(Protocol.read(in))
                .as("a clean end of stream between frames reads as null")
                .isNull();
    }

    @Test
    void helloResultsAndFailuresWithTheirStackFramesSurviveTheTrip() throws IOException {
        StackTraceElement frame = new StackTraceElement("a.B", "c", "B.java", 12);
        StackTraceElement nativeFrame = new StackTraceElement("a.B", "d", null, -2);
        List<Message> sent = List.of(
                new Hello(Protocol.VERSION),
                new Results(1, List.of(1L, "two")),
                new Failed(2, 1, "java.lang.ArithmeticException", "/ by zero", List.of(frame, nativeFrame)),
                new Failed(3, 0, "java.lang.NullPointerException", null, List.of()));
        DataInputStream in = input(encode(sent.toArray(Message[]::new)));

        List<Message> read = new ArrayList<>();
        for (Message m = Protocol.read(in); m != null; m = Protocol.read(in)) {
            read.add(m);
        }

        assertThat(read).isEqualTo(sent);
    }

    @Test
    void aValueThatCannotCrossThePipeIsRefusedNamingTheTypesThatCan() {
        assertThatThrownBy(() -> new Chunk(1, "echo", List.of(new ArrayList<>())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a java.util.ArrayList cannot be sent")
                .hasMessageContaining(
                        "null, Long (Integer, Short, Byte are widened), Double (Float is widened), Boolean or String");
    }

    @Test
    void theSizeOfAChunkIsKnownBeforeItIsEncoded() throws IOException {
        List<Object> items = Arrays.asList(
                null, 42L, 7, 2.5, 1.5f, true, "héllo ✓", "", "emoji \uD83D\uDE00", "lone \uD800 surrogate");

        long predicted = Protocol.chunkBytes("echo", items);

        assertThat(predicted)
                .as("the encoded payload: the frame less its 4-byte length")
                .isEqualTo(encode(new Chunk(3, "echo", items)).length - 4L);
    }

    @Test
    void aChunkTooBigForAFrameIsRefusedBeforeItIsSent() {
        String huge = "x".repeat(Protocol.MAX_FRAME_BYTES);

        assertThatThrownBy(() -> Protocol.checkChunkFits("echo", List.of(huge)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a chunk of 1 item encodes to 16777242 bytes, more than the frame limit of 16777216 bytes:"
                        + " send smaller items, or fewer per chunk");
        Protocol.checkChunkFits("echo", List.of(huge.substring(100))); // just under the limit: fits
    }

    @Test
    void aStreamThatEndsInsideAFrameIsAnEofException() throws IOException {
        byte[] whole = encode(new Results(1, List.of("a long enough value")));

        assertThatThrownBy(() -> Protocol.read(input(Arrays.copyOf(whole, whole.length - 3))))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> Protocol.read(input(Arrays.copyOf(whole, 2))))
                .as("even inside the length prefix")
                .isInstanceOf(EOFException.class);
    }

    @Test
    void aFrameLengthOutsideTheLimitIsRefusedBeforeAnythingIsAllocated() {
        assertThatThrownBy(() -> Protocol.read(input(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff})))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("frame length 2147483647 is not in 1..16777216");
        assertThatThrownBy(() -> Protocol.read(input(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe})))
                .hasMessage("frame length -2 is not in 1..16777216");
        assertThatThrownBy(() -> Protocol.read(input(new byte[] {0, 0, 0, 0})))
                .hasMessage("frame length 0 is not in 1..16777216");
    }

    @Test
    void malformedPayloadsAreProtocolExceptionsSayingWhatIsWrong() {
        assertThatThrownBy(() -> Protocol.read(input(frame('X'))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("unknown message kind 0x58");
        // RESULTS id=0 count=1 value tag 'Q'
        assertThatThrownBy(() -> Protocol.read(input(frame('R', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 'Q'))))
                .hasMessage("unknown value tag 0x51");
        // RESULTS id=0 count=2^24: more values than bytes left
        assertThatThrownBy(() -> Protocol.read(input(frame('R', 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0))))
                .hasMessage("a count of 16777216 does not fit in the 0 bytes left in the frame");
        // RESULTS id=0 count=1 string of 1 byte 0xff: not UTF-8
        assertThatThrownBy(() ->
                        Protocol.read(input(frame('R', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 'S', 0, 0, 0, 1, 0xff))))
                .hasMessage("a string is not valid UTF-8");
        // RESULTS id=0 count=0, then a stray byte
        assertThatThrownBy(() -> Protocol.read(input(frame('R', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7))))
                .hasMessage("1 bytes left over after a Results message");
        // HELLO cut short
        assertThatThrownBy(() -> Protocol.read(input(frame('H', 0, 0))))
                .hasMessage("a frame ended in the middle of a value");
        // CHUNK id=0 with an absent task name
        assertThatThrownBy(() ->
                        Protocol.read(input(frame('C', 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0))))
                .hasMessage("a required string is absent");
    }
}
