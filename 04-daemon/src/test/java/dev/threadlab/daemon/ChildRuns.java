package dev.threadlab.daemon;

import dev.threadlab.common.testsupport.ChildJvm;
import java.time.Duration;
import java.util.List;

/** How this module's tests run a program to its end in a child JVM (through common's {@link ChildJvm}). */
public final class ChildRuns {

    /** Bound for every wait on a child; generous, because the machine may be busy. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    /**
     * Child JVMs here only need to start fast: C1 compiler only, the simplest collector, the JDK's
     * class-data archive (the default, said explicitly), and a small heap (the programs keep a few
     * thousand short lines at most).
     */
    public static final List<String> FAST_START =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xms16m", "-Xmx64m");

    private ChildRuns() {}

    /** A child that has ended: its exit status and everything it printed (stdout and stderr). */
    public record Ended(int exit, List<String> output) {
        /** @return the output as one text, for failure messages */
        public String text() {
            return String.join("\n", output);
        }

        /** @return the index of the first line containing {@code text}, or fails naming it */
        public int indexOf(String text) {
            for (int i = 0; i < output.size(); i++) {
                if (output.get(i).contains(text)) {
                    return i;
                }
            }
            throw new AssertionError("no line contains \"" + text + "\" in:\n" + text());
        }
    }

    /**
     * Runs {@code mainClass} with {@code args} in a child JVM and waits for it to end by itself.
     *
     * @throws AssertionError if it is still running after {@link #PATIENCE}, with its output and a
     *                        thread dump (then it is killed)
     */
    public static Ended runToEnd(Class<?> mainClass, String... args) throws InterruptedException {
        try (ChildJvm child = ChildJvm.start(mainClass, FAST_START, args)) {
            return awaitEnd(child);
        }
    }

    /**
     * Waits for a child started with {@link #FAST_START} to end by itself (several can be started
     * at once, then awaited one by one: their JVMs start side by side).
     *
     * @throws AssertionError if it is still running after {@link #PATIENCE}, with its output and a
     *                        thread dump
     */
    public static Ended awaitEnd(ChildJvm child) throws InterruptedException {
        int exit = child.awaitExit(PATIENCE);
        return new Ended(exit, child.output());
    }
}
