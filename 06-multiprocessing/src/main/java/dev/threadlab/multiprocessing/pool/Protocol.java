package dev.threadlab.multiprocessing.pool;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jcip.annotations.ThreadSafe;

/**
 * The wire format between the pool and its worker JVMs: length-prefixed frames on the worker's
 * stdin (requests) and stdout (answers), each holding one message in a tiny explicit encoding.
 * Only five value types cross the pipe (null, long, double, boolean, UTF-8 string), so a worker
 * never runs Java deserialization on bytes it did not write itself: a malformed frame is a
 * {@link ProtocolException}, never an object.
 *
 * <pre>
 * frame   := length:int32 (big-endian, 1..{@value #MAX_FRAME_BYTES}) payload
 * payload := HELLO   'H' version:int32                               worker → pool, once, when ready
 *          | CHUNK   'C' id:int64 task:str count:int32 value*        pool → worker
 *          | RESULTS 'R' id:int64 count:int32 value*                 worker → pool, one value per item
 *          | FAILED  'F' id:int64 index:int32 type:str message:str?  worker → pool, the first item that threw
 *                        frames:int32 (class:str method:str file:str? line:int32)*
 * value   := 'N' | 'J' int64 | 'D' float64 | 'Z' bool | 'S' str
 * str     := length:int32 UTF-8 bytes (length -1 for an absent optional string)
 * </pre>
 *
 * <p>CPython's {@code multiprocessing} pickles the function and its arguments instead
 * ({@code Lib/multiprocessing/connection.py}: {@code send} = a 4-byte length, then a pickle);
 * unpickling runs arbitrary code, which is why its docs warn never to accept connections from
 * untrusted peers. Here a task is a name looked up in {@link Tasks}, and a value is one of the
 * five tags above.
 *
 * <p>Thread-safety: stateless; a stream must not be written or read by two threads at once.
 */
@ThreadSafe
public final class Protocol {

    /** The version a worker announces in its hello; the pool refuses any other. */
    public static final int VERSION = 1;

    /** The largest frame either side accepts, in bytes (16 MiB). */
    public static final int MAX_FRAME_BYTES = 16 << 20;

    private Protocol() {}

    /** One message of the protocol. */
    public sealed interface Message permits Hello, Chunk, Results, Failed {}

    /** Worker → pool, first: the worker is ready, and speaks this protocol version. */
    public record Hello(int version) implements Message {}

    /** Pool → worker: run {@code task} once per item, in order, and answer with the same id. */
    public record Chunk(long id, String task, List<Object> items) implements Message {
        /** @throws IllegalArgumentException if an item is not a value the protocol can carry */
        public Chunk {
            items = Collections.unmodifiableList(new ArrayList<>(items)); // List.copyOf refuses null items
            for (Object item : items) {
                checkValue(item);
            }
        }
    }

    /** Worker → pool: every item's result, in item order. */
    public record Results(long id, List<Object> values) implements Message {
        /** @throws IllegalArgumentException if a result is not a value the protocol can carry */
        public Results {
            values = Collections.unmodifiableList(new ArrayList<>(values));
            for (Object value : values) {
                checkValue(value);
            }
        }
    }

    /**
     * Worker → pool: the item at {@code index} threw; the chunk stops there. The exception
     * travels as its type name, message and stack frames, never as a serialized object.
     */
    public record Failed(long id, int index, String type, String message, List<StackTraceElement> trace)
            implements Message {
        /** Copies the trace. */
        public Failed {
            trace = List.copyOf(trace);
        }

        /** @return the failure of item {@code index}, described from {@code thrown} */
        public static Failed of(long id, int index, Throwable thrown) {
            return new Failed(
                    id, index, thrown.getClass().getName(), thrown.getMessage(), List.of(thrown.getStackTrace()));
        }
    }

    /**
     * Checks that {@code value} can cross the pipe.
     *
     * @throws IllegalArgumentException naming the type and the types that can
     */
    public static void checkValue(Object value) {
        if (!(value == null
                || value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte
                || value instanceof Double
                || value instanceof Float
                || value instanceof Boolean
                || value instanceof String)) {
            throw new IllegalArgumentException("a " + value.getClass().getName() + " cannot be sent to or from "
                    + "a worker: arguments and results are null, Long (Integer, Short, Byte are widened), "
                    + "Double (Float is widened), Boolean or String");
        }
    }

    /**
     * The size of the payload a chunk of {@code task} on {@code items} encodes to, computed
     * without encoding it.
     *
     * @throws IllegalArgumentException if an item is not a value the protocol can carry
     */
    public static long chunkBytes(String task, List<?> items) {
        long bytes = 1 + 8 + 4 + utf8Length(task) + 4; // kind, id, task, count
        for (Object item : items) {
            checkValue(item);
            if (item == null) {
                bytes += 1;
            } else if (item instanceof Boolean) {
                bytes += 2;
            } else if (item instanceof String text) {
                bytes += 1 + 4 + utf8Length(text);
            } else {
                bytes += 9; // a long or a double
            }
        }
        return bytes;
    }

    /**
     * Checks that a chunk of {@code task} on {@code items} fits in one frame, before it is sent.
     *
     * @throws IllegalArgumentException if it would exceed {@link #MAX_FRAME_BYTES}, or an item
     *                                  is not a value the protocol can carry
     */
    public static void checkChunkFits(String task, List<?> items) {
        long bytes = chunkBytes(task, items);
        if (bytes > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("a chunk of " + items.size() + (items.size() == 1 ? " item" : " items")
                    + " encodes to " + bytes + " bytes, more than the frame limit of " + MAX_FRAME_BYTES
                    + " bytes: send smaller items, or fewer per chunk");
        }
    }

    /** The length of {@code text} in UTF-8 as {@link String#getBytes} encodes it (an unpaired surrogate becomes '?'). */
    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Encodes {@code message} as one frame, writes it and flushes.
     *
     * @throws IOException if the stream fails (a dead worker: "Broken pipe")
     */
    public static void write(DataOutputStream out, Message message) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        DataOutputStream payload = new DataOutputStream(bytes);
        // if/else rather than a pattern switch: a worker JVM runs this first, and a type switch's
        // bootstrap (java.lang.runtime.SwitchBootstraps) costs tens of ms of start-up.
        if (message instanceof Hello h) {
            payload.writeByte('H');
            payload.writeInt(h.version());
        } else if (message instanceof Chunk c) {
            payload.writeByte('C');
            payload.writeLong(c.id());
            writeString(payload, c.task());
            writeValues(payload, c.items());
        } else if (message instanceof Results r) {
            payload.writeByte('R');
            payload.writeLong(r.id());
            writeValues(payload, r.values());
        } else if (message instanceof Failed f) {
            payload.writeByte('F');
            payload.writeLong(f.id());
            payload.writeInt(f.index());
            writeString(payload, f.type());
            writeString(payload, f.message());
            payload.writeInt(f.trace().size());
            for (StackTraceElement e : f.trace()) {
                writeString(payload, e.getClassName());
                writeString(payload, e.getMethodName());
                writeString(payload, e.getFileName());
                payload.writeInt(e.getLineNumber());
            }
        }
        if (bytes.size() > MAX_FRAME_BYTES) {
            throw new ProtocolException("a " + message.getClass().getSimpleName() + " message of " + bytes.size()
                    + " bytes exceeds the frame limit of " + MAX_FRAME_BYTES + " bytes");
        }
        out.writeInt(bytes.size());
        bytes.writeTo(out);
        out.flush();
    }

    /**
     * Reads one frame and decodes its message.
     *
     * @return the message, or {@code null} at a clean end of stream (between frames)
     * @throws EOFException      if the stream ends inside a frame
     * @throws ProtocolException if the frame is malformed (bad length, unknown tag, bad UTF-8,
     *                           bytes left over)
     * @throws IOException       if the stream fails
     */
    public static Message read(DataInputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int length =
                (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        if (length < 1 || length > MAX_FRAME_BYTES) {
            throw new ProtocolException("frame length " + length + " is not in 1.." + MAX_FRAME_BYTES);
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return decode(ByteBuffer.wrap(payload));
    }

    private static Message decode(ByteBuffer in) throws ProtocolException {
        try {
            byte kind = in.get();
            Message message = switch (kind) {
                case 'H' -> new Hello(in.getInt());
                case 'C' -> new Chunk(in.getLong(), readRequiredString(in), readValues(in));
                case 'R' -> new Results(in.getLong(), readValues(in));
                case 'F' -> {
                    long id = in.getLong();
                    int index = in.getInt();
                    String type = readRequiredString(in);
                    String text = readString(in);
                    int frames = readCount(in, 13);
                    List<StackTraceElement> trace = new ArrayList<>(frames);
                    for (int i = 0; i < frames; i++) {
                        trace.add(new StackTraceElement(
                                readRequiredString(in), readRequiredString(in), readString(in), in.getInt()));
                    }
                    yield new Failed(id, index, type, text, trace);
                }
                default -> throw new ProtocolException(String.format("unknown message kind 0x%02x", kind));
            };
            if (in.hasRemaining()) {
                throw new ProtocolException(in.remaining() + " bytes left over after a "
                        + message.getClass().getSimpleName() + " message");
            }
            return message;
        } catch (BufferUnderflowException e) {
            throw new ProtocolException("a frame ended in the middle of a value");
        }
    }

    private static void writeValues(DataOutputStream out, List<Object> values) throws IOException {
        out.writeInt(values.size());
        for (Object value : values) {
            if (value == null) {
                out.writeByte('N');
            } else if (value instanceof Long
                    || value instanceof Integer
                    || value instanceof Short
                    || value instanceof Byte) {
                out.writeByte('J');
                out.writeLong(((Number) value).longValue());
            } else if (value instanceof Double || value instanceof Float) {
                out.writeByte('D');
                out.writeDouble(((Number) value).doubleValue());
            } else if (value instanceof Boolean z) {
                out.writeByte('Z');
                out.writeBoolean(z);
            } else if (value instanceof String text) {
                out.writeByte('S');
                writeString(out, text);
            } else {
                checkValue(value); // throws; the records check their values, so not reached
            }
        }
    }

    private static List<Object> readValues(ByteBuffer in) throws ProtocolException {
        int count = readCount(in, 1);
        List<Object> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte tag = in.get();
            values.add(
                    switch (tag) {
                        case 'N' -> null;
                        case 'J' -> in.getLong();
                        case 'D' -> in.getDouble();
                        case 'Z' ->
                            switch (in.get()) {
                                case 0 -> false;
                                case 1 -> true;
                                default -> throw new ProtocolException("a boolean is neither 0 nor 1");
                            };
                        case 'S' -> readString(in);
                        default -> throw new ProtocolException(String.format("unknown value tag 0x%02x", tag));
                    });
        }
        return values;
    }

    /** A count of things each at least {@code minBytes} long: it cannot exceed what is left. */
    private static int readCount(ByteBuffer in, int minBytes) throws ProtocolException {
        int count = in.getInt();
        if (count < 0 || (long) count * minBytes > in.remaining()) {
            throw new ProtocolException(
                    "a count of " + count + " does not fit in the " + in.remaining() + " bytes left in the frame");
        }
        return count;
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        if (text == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readRequiredString(ByteBuffer in) throws ProtocolException {
        String text = readString(in);
        if (text == null) {
            throw new ProtocolException("a required string is absent");
        }
        return text;
    }

    private static String readString(ByteBuffer in) throws ProtocolException {
        int length = in.getInt();
        if (length == -1) {
            return null;
        }
        if (length < -1 || length > in.remaining()) {
            throw new ProtocolException("a string of " + length + " bytes does not fit in the " + in.remaining()
                    + " bytes left in the frame");
        }
        ByteBuffer utf8 = in.slice(in.position(), length);
        in.position(in.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(utf8).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("a string is not valid UTF-8");
        }
    }

    /** A frame that does not follow the protocol: the peer is broken or is not a worker. */
    public static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        /** @param message what is wrong with the frame */
        public ProtocolException(String message) {
            super(message);
        }
    }
}
