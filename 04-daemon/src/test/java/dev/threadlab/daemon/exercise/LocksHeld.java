package dev.threadlab.daemon.exercise;

import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Which locks a thread of a graded log holds, named from the log itself (rule 5 of 04.2 asks each
 * thread at each of its steps, {@link Steps#watch}): the log's own monitor ({@code this}: a
 * {@code synchronized} method, or {@code synchronized (X.this)}), the class's monitor, the monitor
 * of the object in one of its fields ({@code synchronized (writer)}), or the {@code ReentrantLock} /
 * {@code ReentrantReadWriteLock} in one of its fields. A monitor held on anything else is named by
 * its class only. So the verdict can say which lock {@code append()} holds and which the hook holds
 * (or that it holds none): what the class does, not a guess.
 */
final class LocksHeld {

    private LocksHeld() {}

    /** The log's own monitor. */
    static final String THIS = "monitor this";

    /** The class's monitor. */
    static final String CLASS = "monitor class";

    /**
     * @param log the graded log whose code the calling thread runs
     * @return the locks the calling thread holds now, in a stable order (THIS, CLASS, "monitor field
     *         f", "lock field f", "monitor of C" for a monitor of an object of class C named otherwise)
     */
    static Set<String> ofTheCallingThread(Object log) {
        Map<Object, String> candidates = new IdentityHashMap<>();
        candidates.put(log, THIS);
        candidates.put(log.getClass(), CLASS);
        for (Field field : log.getClass().getDeclaredFields()) {
            if (field.getType().isPrimitive() || field.isSynthetic()) {
                continue;
            }
            try {
                field.setAccessible(true);
                Object value = field.get(Modifier.isStatic(field.getModifiers()) ? null : log);
                if (value != null) {
                    candidates.putIfAbsent(value, field.getName());
                }
            } catch (IllegalAccessException | InaccessibleObjectException | SecurityException e) {
                // a field the grading cannot read names no lock
            }
        }
        Set<String> held = new LinkedHashSet<>();
        Set<Object> heldMonitors = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        candidates.forEach((value, name) -> {
            String field = name.startsWith("monitor ") ? null : name;
            if (value instanceof ReentrantLock lock && lock.isHeldByCurrentThread()) {
                held.add("lock field " + field);
            } else if (value instanceof ReentrantReadWriteLock lock
                    && (lock.isWriteLockedByCurrentThread() || lock.getReadHoldCount() > 0)) {
                held.add("lock field " + field);
            }
            if (Thread.holdsLock(value)) {
                heldMonitors.add(value);
                held.add(field == null ? name : "monitor field " + field);
            }
        });
        ThreadInfo[] info = ManagementFactory.getThreadMXBean()
                .getThreadInfo(new long[] {Thread.currentThread().threadId()}, true, false);
        if (info.length == 1 && info[0] != null) {
            for (MonitorInfo monitor : info[0].getLockedMonitors()) {
                boolean named = heldMonitors.stream()
                        .anyMatch(v -> System.identityHashCode(v) == monitor.getIdentityHashCode());
                if (!named) {
                    held.add("monitor of " + monitor.getClassName());
                }
            }
        }
        List<String> sorted = new ArrayList<>(held);
        sorted.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        return new LinkedHashSet<>(sorted);
    }

    private static int rank(String lock) {
        return lock.equals(THIS) ? 0 : lock.equals(CLASS) ? 1 : lock.startsWith("lock field") ? 2 : 3;
    }

    /** @return the lock in words, for a message */
    static String describe(String lock, String simpleName) {
        if (lock.equals(THIS)) {
            return "the log's own monitor (" + simpleName + ".this, which a synchronized method holds)";
        }
        if (lock.equals(CLASS)) {
            return "the class's monitor (" + simpleName + ".class)";
        }
        if (lock.startsWith("monitor field ")) {
            String f = lock.substring("monitor field ".length());
            return "the monitor of the object in the field " + f + " (synchronized (" + f + "))";
        }
        if (lock.startsWith("lock field ")) {
            return "the lock in the field " + lock.substring("lock field ".length());
        }
        String type = lock.substring("monitor of ".length());
        return "the monitor of a " + type.substring(type.lastIndexOf('.') + 1) + " that is neither the log nor in"
                + " one of its fields";
    }

    /** @return how a piece of code takes {@code lock}, for a message ("synchronized (writer) { … }") */
    static String howToTake(String lock, String simpleName) {
        if (lock.equals(THIS)) {
            return "synchronized (" + simpleName + ".this) { … }";
        }
        if (lock.equals(CLASS)) {
            return "synchronized (" + simpleName + ".class) { … }";
        }
        if (lock.startsWith("monitor field ")) {
            return "synchronized (" + lock.substring("monitor field ".length()) + ") { … }";
        }
        if (lock.startsWith("lock field ")) {
            String f = lock.substring("lock field ".length());
            return f + ".lock() first and " + f + ".unlock() in finally";
        }
        return "the same lock, kept in a field of the log";
    }

    /** @return the locks in words, joined with "and" */
    static String describe(Set<String> locks, String simpleName) {
        Map<String, String> words = new LinkedHashMap<>();
        locks.forEach(l -> words.put(l, describe(l, simpleName)));
        return String.join(" and ", words.values());
    }
}
