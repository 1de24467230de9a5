package dev.threadlab.common.runner;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import dev.threadlab.common.runner.Course.Exercise;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;
import org.jline.utils.NonBlockingReader;

/**
 * Watch mode: grades the exercise now, then again on every save of a source of its module, in
 * this warm JVM (the compiler and JUnit stay loaded, so a verdict comes within a second or two of
 * saving). Keys: {@code h} next hint, {@code l} the list, {@code n} the next exercise once this
 * one passes, {@code c} check again, {@code q} quit. On a terminal the keys act at once (JLine,
 * raw mode) and the screen is redrawn for each verdict; without one (a pipe, an IDE's console, CI)
 * or with {@code --plain} it prints plain lines and reads the same letters as lines from standard
 * input: a letter, then Enter ({@code n} Enter: the next exercise). A line's first letter counts;
 * empty lines are ignored.
 */
final class Watch implements AutoCloseable {

    /** What the loop reacts to. */
    sealed interface Event permits Saved, Key {}

    record Saved(Path file) implements Event {}

    record Key(char key) implements Event {}

    /** How long a save waits for the editor's other writes of the same save before grading. */
    private static final long SETTLE_MILLIS = 150;

    private final Course course;
    private final Progress progress;
    private final Grader grader;
    private final Terminal terminal; // null: plain lines
    private final PrintWriter out;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Runnable quitWhileBusy;
    private volatile boolean busy;
    private WatchService watcher;
    private Thread watcherThread;
    private Thread keysThread;

    private Watch(
            Course course,
            Progress progress,
            Grader grader,
            Terminal terminal,
            PrintWriter out,
            Runnable quitWhileBusy) {
        this.course = course;
        this.progress = progress;
        this.grader = grader;
        this.terminal = terminal;
        this.out = out;
        this.quitWhileBusy = quitWhileBusy;
    }

    /** On the process's terminal if there is one (and {@code plain} is false), else plain lines. */
    static Watch open(Course course, Progress progress, Grader grader, boolean plain) throws IOException {
        Terminal terminal = null;
        if (!plain) {
            Terminal candidate =
                    TerminalBuilder.builder().system(true).dumb(true).build();
            if (Terminal.TYPE_DUMB.equals(candidate.getType())
                    || Terminal.TYPE_DUMB_COLOR.equals(candidate.getType())) {
                candidate.close();
            } else {
                terminal = candidate;
            }
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        Watch watch = new Watch(course, progress, grader, terminal, out, () -> System.exit(0));
        if (terminal != null) {
            Terminal t = terminal;
            t.handle(Terminal.Signal.INT, signal -> Stop.now()); // the terminal's handler replaces the runner's
            t.enterRawMode();
            NonBlockingReader reader = t.reader();
            watch.startKeys(() -> {
                try {
                    int c = reader.read(100); // a bound, so that close() never waits on a blocked read
                    return c == NonBlockingReader.READ_EXPIRED ? NOTHING_YET : c < 0 ? -1 : c;
                } catch (IOException e) {
                    return -1;
                }
            });
        } else {
            watch.startKeys(lines(System.in));
        }
        return watch;
    }

    /** For tests: plain lines to {@code out}, keys as lines from {@code in}. */
    static Watch plain(
            Course course, Progress progress, Grader grader, PrintWriter out, InputStream in, Runnable quitWhileBusy) {
        Watch watch = new Watch(course, progress, grader, null, out, quitWhileBusy);
        watch.startKeys(lines(in));
        return watch;
    }

    private interface KeySource {
        /** @return the next key, {@link #NOTHING_YET} if none came in a while, -1 at the end of input */
        int next();
    }

    private static final int NOTHING_YET = -2;

    private volatile boolean closed;

    private static KeySource lines(InputStream in) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        return () -> {
            try {
                String line;
                do {
                    line = reader.readLine();
                } while (line != null && line.isBlank());
                return line == null ? -1 : line.strip().charAt(0);
            } catch (IOException e) {
                return -1;
            }
        };
    }

    private void startKeys(KeySource keys) {
        keysThread = Thread.ofPlatform().daemon().name("threadlab-keys").start(() -> {
            for (int c; !closed && (c = keys.next()) != -1; ) {
                if (c == NOTHING_YET) {
                    continue;
                }
                if (c == 3) { // Ctrl-C read as a key (a terminal that does not turn it into SIGINT)
                    grader.cancel();
                    Stop.now();
                }
                char key = Character.toLowerCase((char) c);
                if ((key == 'q' || c == 4) && busy) { // quit now, even mid-grading
                    grader.cancel();
                    quitWhileBusy.run();
                }
                events.add(new Key(c == 4 ? 'q' : key));
            }
        });
    }

    /** Watches {@code exercise} until the learner quits; returns the exit code. */
    int run(Exercise first) throws IOException {
        Exercise exercise = first;
        watch(exercise);
        firstCheck = true; // below the overview, which stays on screen
        check(exercise, "");
        while (true) {
            Event event;
            try {
                event = events.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Stop.EXIT;
            }
            switch (event) {
                case Saved saved -> {
                    settle();
                    check(exercise, "saved " + saved.file().getFileName() + ": ");
                }
                case Key pressed -> {
                    switch (pressed.key()) {
                        case 'q' -> {
                            return 0;
                        }
                        case 'h' -> {
                            out.println();
                            Threadlab.nextHint(out, course, progress, exercise, true);
                            keys(exercise);
                        }
                        case 'l' -> {
                            out.println();
                            Threadlab.overview(out, course, progress);
                            keys(exercise);
                        }
                        case 'c', '\r', '\n' -> check(exercise, "");
                        case 'n' -> {
                            if (!progress.passed(exercise)) {
                                out.println("n moves on once this exercise passes (it has not yet).");
                                out.flush();
                                continue;
                            }
                            Exercise current = exercise;
                            List<Exercise> all = course.exercises();
                            Exercise next = all.stream()
                                    .skip(all.indexOf(current) + 1L)
                                    .filter(e -> !progress.passed(e))
                                    .findFirst()
                                    .orElse(all.stream()
                                            .filter(e -> !progress.passed(e))
                                            .findFirst()
                                            .orElse(null));
                            if (next == null) {
                                out.println("Every exercise has passed. Well done! (q quits)");
                                out.flush();
                                continue;
                            }
                            exercise = next;
                            watch(exercise);
                            check(exercise, "");
                        }
                        default -> {
                            out.println((terminal == null ? "keys (type one, then Enter): " : "keys: ")
                                    + "h hint · l list · n next (once this passes) · c check again · q quit");
                            out.flush();
                        }
                    }
                }
            }
        }
    }

    /** Lets the rest of one save arrive (editors write in several steps), keeping the keys. */
    private void settle() {
        try {
            Event more;
            while ((more = events.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                if (more instanceof Key) {
                    events.add(more); // handled after this check, in order enough for keys
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void check(Exercise exercise, String why) {
        clear();
        out.printf("threadlab · watching %s   %s%n", exercise.title(), progressBar());
        out.printf("%schecking %s …%n", why, course.root().relativize(exercise.learnerSource()));
        out.flush();
        Verdict verdict;
        busy = true;
        try {
            verdict = grader.grade(exercise);
        } finally {
            busy = false;
        }
        if (grader.wasCancelled() || Stop.stopping()) {
            return; // a newer save is queued (its check follows), or Ctrl-C
        }
        grader.standby(exercise); // ready for the next save
        progress.record(verdict);
        Threadlab.report(out, verdict, course, true);
        out.printf("(checked in %.1f s)%n", verdict.took().toMillis() / 1000.0);
        keys(exercise);
    }

    private void keys(Exercise exercise) {
        boolean passed = progress.passed(exercise);
        out.println(
                terminal == null
                        ? "[watching: save to check again; type h hint, l list" + (passed ? ", n next" : "")
                                + ", q quit, then Enter]"
                        : "── keys: h hint · l list" + (passed ? " · n next exercise" : "")
                                + " · c check again · q quit");
        out.flush();
    }

    private String progressBar() {
        List<Exercise> all = course.exercises();
        long passed = all.stream().filter(progress::passed).count();
        return Threadlab.bar(passed, all.size(), 12) + " " + passed + "/" + all.size();
    }

    private boolean firstCheck;

    private void clear() {
        if (firstCheck) {
            firstCheck = false;
            out.println();
            return;
        }
        if (terminal != null) {
            out.flush();
            terminal.puts(InfoCmp.Capability.clear_screen);
            terminal.flush();
        } else {
            out.println();
        }
    }

    /** Watches every folder of the exercise's module sources; a save of a .java file is an event. */
    private void watch(Exercise exercise) throws IOException {
        stopWatching();
        WatchService service = FileSystems.getDefault().newWatchService();
        try (Stream<Path> dirs = Files.walk(exercise.module().sources())) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                dir.register(service, ENTRY_CREATE, ENTRY_MODIFY);
            }
        }
        watcher = service;
        watcherThread = Thread.ofPlatform().daemon().name("threadlab-watch").start(() -> {
            try {
                while (true) {
                    WatchKey key = service.take();
                    Path dir = (Path) key.watchable();
                    for (WatchEvent<?> event : key.pollEvents()) {
                        if (event.context() instanceof Path name
                                && name.toString().endsWith(".java")) {
                            if (busy) {
                                grader.cancel(); // its verdict would be for an older version
                            }
                            events.add(new Saved(dir.resolve(name)));
                        }
                    }
                    key.reset();
                }
            } catch (ClosedWatchServiceException | InterruptedException e) {
                // stopped
            }
        });
    }

    private void stopWatching() {
        if (watcher != null) {
            try {
                watcher.close();
                watcherThread.join();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        stopWatching();
        if (terminal != null) {
            try {
                keysThread.join(); // it reads with a bound, so it sees `closed` soon
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            terminal.close(); // restores the terminal's settings
        }
    }
}
