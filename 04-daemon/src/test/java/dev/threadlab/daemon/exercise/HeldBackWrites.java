package dev.threadlab.daemon.exercise;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * In the child JVM of {@link AutoSaverProgram}: the saver's file is a named pipe that nobody reads
 * until the program ends, like a disk that stalls. The saver's writer fills the pipe and blocks in
 * {@code write()}; then {@code main} returns (or SIGTERM arrives) and shutdown begins. Only then
 * does this class decide, in its own shutdown hook, whether to let the writes through:
 *
 * <ul>
 *   <li>If one of the saver's shutdown hooks (those registered when {@link #rememberTheSaversHooks}
 *       ran) is seen <em>waiting</em> (parked, blocked on a lock, or in a write to the file), the
 *       pipe is drained into {@code copy} until the saver's hooks have ended. Records written by
 *       then are in {@code copy}.</li>
 *   <li>If the saver registered no hook, or its hooks ended without waiting (one that threw, say),
 *       nothing is drained: the JVM halts with the writer still stuck, and every record not yet
 *       written is lost. A daemon writer with no hook therefore loses records in every run, never
 *       only when it happens to be slow.</li>
 * </ul>
 *
 * <p>Each decision is printed as one line starting with {@value #RELEASED} or {@value #HELD_BACK},
 * for the grading's message. Needs {@code --add-opens java.base/java.lang=ALL-UNNAMED} (to read
 * the registered hooks).
 */
final class HeldBackWrites {

    static final String RELEASED = "HELD-BACK WRITES RELEASED:";
    static final String HELD_BACK = "HELD-BACK WRITES NEVER RELEASED:";

    /**
     * How long the gate looks for a saver's hook that waits or dies; a hook does so within
     * milliseconds, but a loaded machine stalled a dying hook past 5 s once (CI run, 2 cores).
     */
    private static final Duration GATE_BOUND = Duration.ofSeconds(15);
    /** How long, at most, the gate waits for the saver's hooks to end once it has released the writes. */
    private static final Duration HOOKS_BOUND = Duration.ofSeconds(10);

    private final Path fifo;
    private final Path copy;
    private final FileChannel pipe;
    private final Thread gate;
    private volatile Set<Thread> saverHooks = Set.of();

    private HeldBackWrites(Path fifo, Path copy, FileChannel pipe) {
        this.fifo = fifo;
        this.copy = copy;
        this.pipe = pipe;
        this.gate = new Thread(this::atShutdown, "held-back-writes-gate");
    }

    /**
     * Opens the named pipe {@code fifo} for reading and writing (so the saver's open does not wait
     * for a reader) and registers the gate's shutdown hook: call before the saver starts.
     */
    static HeldBackWrites open(Path fifo, Path copy) throws IOException {
        if (Files.isRegularFile(fifo)) {
            throw new IOException(fifo + " is a regular file; the grading gives a named pipe (mkfifo)");
        }
        HeldBackWrites held = new HeldBackWrites(
                fifo, copy, FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE));
        Runtime.getRuntime().addShutdownHook(held.gate);
        return held;
    }

    /** Notes the shutdown hooks registered now, except the gate: call once the saver has started. */
    void rememberTheSaversHooks() {
        Set<Thread> hooks = Collections.newSetFromMap(new IdentityHashMap<>());
        hooks.addAll(registeredHooks());
        hooks.remove(gate);
        saverHooks = hooks;
    }

    /** The shutdown hooks registered now (read from {@code java.lang.ApplicationShutdownHooks}). */
    static List<Thread> registeredHooks() {
        try {
            Class<?> hooksClass = Class.forName("java.lang.ApplicationShutdownHooks");
            Field field = hooksClass.getDeclaredField("hooks");
            field.setAccessible(true);
            synchronized (hooksClass) { // its add and remove are static synchronized
                Map<?, ?> hooks = (Map<?, ?>) field.get(null);
                return hooks == null
                        ? List.of()
                        : hooks.keySet().stream().map(Thread.class::cast).toList();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "cannot read the registered shutdown hooks (run the JVM with "
                            + "--add-opens java.base/java.lang=ALL-UNNAMED): " + e,
                    e);
        }
    }

    private void atShutdown() {
        Set<Thread> hooks = saverHooks;
        String seen = aHookWaiting(hooks);
        if (seen == null) {
            System.out.println(HELD_BACK + " " + describe(hooks));
            System.out.flush();
            return; // the JVM halts; the writer stays stuck in write()
        }
        System.out.println(RELEASED + " " + seen);
        System.out.flush();
        Received received = new Received();
        byte[] end = ("\n<<end of the held-back writes " + System.nanoTime() + ">>\n").getBytes(StandardCharsets.UTF_8);
        Thread drainer =
                Thread.ofPlatform().name("held-back-writes-drainer").daemon().start(() -> drainUntil(end, received));
        long deadline = System.nanoTime() + HOOKS_BOUND.toNanos();
        try {
            for (Thread hook : hooks) {
                hook.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
            try (OutputStream marker = new FileOutputStream(fifo.toFile())) { // after everything the hooks wrote
                marker.write(end);
            }
            drainer.join(GATE_BOUND);
            byte[] all;
            synchronized (received) {
                all = received.toByteArray();
            }
            int cut = received.indexOf(end, 0);
            Files.write(copy, Arrays.copyOf(all, cut < 0 ? all.length : cut));
        } catch (IOException | InterruptedException e) {
            System.out.println("held-back writes: could not copy the file: " + e);
        }
    }

    /**
     * Waits, bounded, until one of {@code hooks} waits, or all have ended (or are dying of an
     * exception); @return a description of the waiting hook, or null if none waited
     */
    private static String aHookWaiting(Set<Thread> hooks) {
        long deadline = System.nanoTime() + GATE_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            boolean anyMayYetWait = false;
            for (Thread hook : hooks) {
                StackTraceElement[] stack = hook.getStackTrace();
                Thread.State state = hook.getState();
                if (state == Thread.State.TERMINATED || dying(stack)) {
                    continue;
                }
                if (state == Thread.State.WAITING
                        || state == Thread.State.TIMED_WAITING
                        || state == Thread.State.BLOCKED
                        || writing(stack)) {
                    return "\"" + hook.getName() + "\" " + state + where(stack);
                }
                anyMayYetWait = true; // not started yet, or running
            }
            if (!anyMayYetWait) {
                // A dying hook is let finish dying first: its uncaught exception, printed as it
                // dies, is what the grading quotes; the JVM halts as soon as this gate returns.
                for (Thread hook : hooks) {
                    try {
                        hook.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }
                return null;
            }
            Thread running = hooks.stream().filter(Thread::isAlive).findFirst().orElse(null);
            if (running != null) { // a short bounded wait, over at once if that hook ends
                try {
                    running.join(Duration.ofMillis(2));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                continue;
            }
            // none alive: a hook not started yet (NEW), which the JVM starts in a moment
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
        return null;
    }

    private static boolean dying(StackTraceElement[] stack) {
        return Arrays.stream(stack).anyMatch(f -> f.getMethodName().equals("dispatchUncaughtException"));
    }

    /** In a native write to a file or pipe (a stuck write shows as RUNNABLE). */
    private static boolean writing(StackTraceElement[] stack) {
        return stack.length > 0
                && stack[0].isNativeMethod()
                && stack[0].getMethodName().startsWith("write");
    }

    private static String where(StackTraceElement[] stack) {
        return Arrays.stream(stack)
                .filter(f -> !f.getClassName().startsWith("java.")
                        && !f.getClassName().startsWith("jdk.")
                        && !f.getClassName().startsWith("sun."))
                .findFirst()
                .map(f -> " in " + f.getClassName() + "." + f.getMethodName())
                .orElse("");
    }

    private static String describe(Set<Thread> hooks) {
        if (hooks.isEmpty()) {
            return "the saver registered no shutdown hook";
        }
        return hooks.stream()
                .map(h -> "\"" + h.getName() + "\" " + h.getState())
                .collect(Collectors.joining(", ", "the saver's shutdown hook(s) ", " never waited for the writer"));
    }

    private void drainUntil(byte[] end, Received received) {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        try {
            while (pipe.read(buffer.clear()) >= 0) {
                synchronized (received) {
                    received.write(buffer.array(), 0, buffer.position());
                    // the marker can only be in the new tail
                    if (received.indexOf(end, Math.max(0, received.size() - buffer.position() - end.length)) >= 0) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            // the JVM is ending
        }
    }

    /** Bytes received so far, searchable without a copy. */
    private static final class Received extends ByteArrayOutputStream {
        synchronized int indexOf(byte[] part, int from) {
            outer:
            for (int i = from; i <= count - part.length; i++) {
                for (int j = 0; j < part.length; j++) {
                    if (buf[i + j] != part[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
