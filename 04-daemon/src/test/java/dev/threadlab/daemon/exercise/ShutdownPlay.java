package dev.threadlab.daemon.exercise;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays the JVM's part at exit for the shutdown hooks a solution registered, in this JVM, as
 * {@code java.lang.ApplicationShutdownHooks.runHooks()} does: it takes the registered hooks and
 * marks shutdown as begun (its {@code hooks} map becomes null, so that {@code addShutdownHook} and
 * {@code removeShutdownHook} throw {@code IllegalStateException("Shutdown in progress")}, exactly
 * as during a real exit), starts the solution's hooks and waits for them (bounded here); then it
 * puts back every other hook. What the hooks did not write is what a real exit would lose. Needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}, as the module's tests have.
 */
final class ShutdownPlay {

    /** How a hook ended. */
    record HookRun(Thread hook, boolean ended, Throwable died) {}

    private ShutdownPlay() {}

    /** The hooks registered now. */
    static Set<Thread> registered() {
        return Set.copyOf(HeldBackWrites.registeredHooks());
    }

    /** The hooks registered since {@code before}. */
    static List<Thread> registeredSince(Set<Thread> before) {
        return registered().stream().filter(h -> !before.contains(h)).toList();
    }

    /** Removes the hooks registered since {@code before} (a rule's cleanup); never throws. */
    static void removeSince(Set<Thread> before) {
        try {
            registeredSince(before).forEach(Runtime.getRuntime()::removeShutdownHook);
        } catch (RuntimeException ignored) {
            // best effort
        }
    }

    /**
     * Runs {@code hooks} as the JVM runs hooks at exit, waiting for each at most {@code bound};
     * the other registered hooks are kept and put back.
     */
    @SuppressWarnings("unchecked")
    static List<HookRun> runAsAtExit(List<Thread> hooks, Duration bound) throws InterruptedException {
        Map<Thread, Throwable> died = new ConcurrentHashMap<>();
        Field field;
        Class<?> hooksClass;
        try {
            hooksClass = Class.forName("java.lang.ApplicationShutdownHooks");
            field = hooksClass.getDeclaredField("hooks");
            field.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "cannot play the JVM's shutdown (run the JVM with --add-opens "
                            + "java.base/java.lang=ALL-UNNAMED): " + e,
                    e);
        }
        IdentityHashMap<Thread, Thread> saved;
        synchronized (hooksClass) {
            try {
                saved = (IdentityHashMap<Thread, Thread>) field.get(null);
                field.set(null, null); // shutdown in progress
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        List<HookRun> runs = new ArrayList<>();
        try {
            for (Thread hook : hooks) {
                saved.remove(hook); // a started thread cannot be started again at the real exit
                hook.setUncaughtExceptionHandler((t, e) -> died.put(t, e));
                hook.start();
            }
            long deadline = System.nanoTime() + bound.toNanos();
            for (Thread hook : hooks) {
                boolean ended = hook.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                runs.add(new HookRun(hook, ended, died.get(hook)));
            }
        } finally {
            synchronized (hooksClass) {
                try {
                    field.set(null, saved);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return runs;
    }
}
