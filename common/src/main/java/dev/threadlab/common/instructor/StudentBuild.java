package dev.threadlab.common.instructor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one student's grading build — the learner's command, {@code ./mvnw verify -Plearn}, offline,
 * one module at a time — in its own process tree, never in this JVM, with bounds:
 * <ul>
 *   <li>time: the whole tree is killed once the time limit passes;</li>
 *   <li>memory: every JVM of the tree (Maven, the test JVMs, any JVM they start) gets the same maximum
 *       heap, through {@code JAVA_TOOL_OPTIONS}, and a temporary folder inside the student's slot;</li>
 *   <li>output: the tree is killed once it has printed more than the cap; the log keeps the first
 *       256 KiB and the last 64 KiB.</li>
 * </ul>
 * Every process this class starts is ended before {@link #run} returns, also when this JVM is told to
 * stop (a shutdown hook kills the trees still running).
 */
final class StudentBuild {

    /** The bounds of one student's grading. */
    record Limits(Duration time, int memoryMb, long outputBytes) {}

    /**
     * How the build ended.
     *
     * @param exitCode       the build's exit code (-1 if it was killed)
     * @param timedOut       killed at the time limit
     * @param tooMuchOutput  killed at the output cap
     * @param outputBytes    bytes printed in all
     * @param took           wall time
     * @param log            the log as kept (head, and tail if cut)
     */
    record Outcome(
            int exitCode, boolean timedOut, boolean tooMuchOutput, long outputBytes, Duration took, String log) {}

    static final int LOG_HEAD = 256 * 1024;
    static final int LOG_TAIL = 64 * 1024;

    private static final Set<ProcessHandle> RUNNING = ConcurrentHashMap.newKeySet();
    private static boolean closing; // guarded by RUNNING

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            synchronized (RUNNING) {
                                closing = true;
                            }
                            RUNNING.forEach(StudentBuild::killTree);
                        },
                        "kill-student-builds"));
    }

    private StudentBuild() {}

    /**
     * The Maven arguments that grade {@code modules} of a student edition whose {@code common} is
     * already installed in the slot's own local repository {@code repo} (everything else comes from
     * {@code tail}, the instructor's local repository, read-only): the learner's command, offline,
     * one module at a time, going on past a module that fails.
     */
    static List<String> gradingArguments(List<String> modules, Path repo, Path tail) {
        return List.of(
                "-o",
                "-B",
                "-q",
                "-T",
                "1",
                "-fae",
                "-Dstyle.color=never",
                "-Plearn",
                "-Dmaven.repo.local=" + repo.toAbsolutePath(),
                "-Dmaven.repo.local.tail=" + tail.toAbsolutePath(),
                "-pl",
                String.join(",", modules),
                "verify");
    }

    /** The Maven arguments that install the edition's root POM and common (tests skipped) into {@code repo}. */
    static List<String> prebuildArguments(Path repo, Path tail) {
        return List.of(
                "-o",
                "-B",
                "-q",
                "-T",
                "1",
                "-Dstyle.color=never",
                "-Plearn",
                "-Dmaven.repo.local=" + repo.toAbsolutePath(),
                "-Dmaven.repo.local.tail=" + tail.toAbsolutePath(),
                "-pl",
                ".,common",
                "install");
    }

    /** The instructor's local Maven repository: -Dmaven.repo.local, settings.xml's localRepository, or ~/.m2/repository. */
    static Path userRepository() {
        String property = System.getProperty("maven.repo.local");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        Path m2 = Path.of(System.getProperty("user.home"), ".m2");
        try {
            Path settings = m2.resolve("settings.xml");
            if (Files.isRegularFile(settings)) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                                "<localRepository>\\s*([^<]+?)\\s*</localRepository>")
                        .matcher(Files.readString(settings));
                if (m.find()) {
                    return Path.of(m.group(1).replace("${user.home}", System.getProperty("user.home")));
                }
            }
        } catch (IOException e) {
            // unreadable settings: the default below
        }
        return m2.resolve("repository");
    }

    /** Runs {@code ./mvnw arguments} in {@code slot} within {@code limits}, writing its (capped) log to {@code logFile}. */
    static Outcome run(Path slot, List<String> arguments, Limits limits, Path logFile) throws IOException {
        Path tmp = Files.createDirectories(slot.resolve(".tmp"));
        List<String> command =
                new ArrayList<>(List.of(slot.resolve("mvnw").toAbsolutePath().toString()));
        command.addAll(arguments);
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(slot.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        String tmpdir = tmp.toAbsolutePath().toString();
        env.put("JAVA_TOOL_OPTIONS", "-Xmx" + limits.memoryMb() + "m \"-Djava.io.tmpdir=" + tmpdir + "\"");
        env.remove("MAVEN_ARGS");
        env.remove("MAVEN_OPTS");
        long start = System.nanoTime();
        Process process;
        synchronized (RUNNING) {
            if (closing) {
                throw new IOException("this JVM is stopping: no more builds");
            }
            process = builder.start();
            RUNNING.add(process.toHandle());
        }
        ProcessHandle root = process.toHandle();
        try {
            AtomicBoolean tooMuch = new AtomicBoolean();
            LogPump pump = new LogPump(process.getInputStream(), limits.outputBytes(), () -> {
                tooMuch.set(true);
                killTree(root);
            });
            Thread pumping = Thread.ofPlatform()
                    .name("log-" + slot.getFileName())
                    .daemon()
                    .start(pump);
            boolean finished;
            try {
                finished = process.waitFor(limits.time().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                killTree(root);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while grading in " + slot, e);
            }
            boolean timedOut = !finished && !tooMuch.get();
            if (!finished) {
                killTree(root);
            }
            killTree(root); // whatever the build left running (a leaked test JVM, a worker)
            try {
                pumping.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int exit = finished && !tooMuch.get() ? process.exitValue() : -1;
            String log = pump.log();
            Files.writeString(logFile, log);
            return new Outcome(
                    exit, timedOut, tooMuch.get(), pump.total(), Duration.ofNanos(System.nanoTime() - start), log);
        } finally {
            RUNNING.remove(root);
        }
    }

    /** Kills a process and all its descendants, and waits (briefly) until they are gone. */
    static void killTree(ProcessHandle root) {
        for (int round = 0; round < 5; round++) {
            List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
            tree.add(root);
            tree.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : tree) {
                try {
                    p.onExit().get(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    // still there: the next round tries again
                }
            }
            if (!root.isAlive() && root.descendants().findAny().isEmpty()) {
                return;
            }
        }
    }

    /** Drains the build's output: keeps a head and a tail, counts the rest, calls {@code onCap} past the cap. */
    static final class LogPump implements Runnable {
        private final InputStream in;
        private final long cap;
        private final Runnable onCap;
        private final byte[] head = new byte[LOG_HEAD];
        private int headLength;
        private final byte[] tail = new byte[LOG_TAIL];
        private long tailWritten;
        private volatile long total;

        LogPump(InputStream in, long cap, Runnable onCap) {
            this.in = in;
            this.cap = cap;
            this.onCap = onCap;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[64 * 1024];
            boolean capped = false;
            try (in) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    synchronized (this) {
                        int toHead = Math.min(n, LOG_HEAD - headLength);
                        System.arraycopy(buffer, 0, head, headLength, toHead);
                        headLength += toHead;
                        for (int i = toHead; i < n; i++) {
                            tail[(int) (tailWritten++ % LOG_TAIL)] = buffer[i];
                        }
                        total += n;
                    }
                    if (!capped && total > cap) {
                        capped = true;
                        onCap.run();
                    }
                }
            } catch (IOException e) {
                // the process is gone; what was read is kept
            }
        }

        long total() {
            return total;
        }

        synchronized String log() {
            StringBuilder log = new StringBuilder(new String(head, 0, headLength, StandardCharsets.UTF_8));
            if (tailWritten > 0) {
                long omitted = total - headLength - Math.min(tailWritten, LOG_TAIL);
                if (omitted > 0) {
                    log.append("\n[… ").append(omitted).append(" bytes of output left out …]\n");
                }
                int length = (int) Math.min(tailWritten, LOG_TAIL);
                byte[] last = new byte[length];
                for (int i = 0; i < length; i++) {
                    last[i] = tail[(int) ((tailWritten - length + i) % LOG_TAIL)];
                }
                log.append(new String(last, StandardCharsets.UTF_8));
            }
            return log.toString();
        }
    }
}
