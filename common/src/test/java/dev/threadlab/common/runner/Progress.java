package dev.threadlab.common.runner;

import dev.threadlab.common.runner.Course.Exercise;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * The learner's progress, in one small git-ignored file at the root, {@code .threadlab-progress}:
 * per exercise, the last verdict (state, rules passed, when), whether it has ever passed (which
 * keeps its reference solution available, whatever a later check or a reset says) and how many
 * hints were shown. Deleting it forgets the progress, nothing else.
 *
 * <p>Several runners may share it (watch mode in one terminal, a {@code check} in another): each
 * change is a read-modify-write of the file under a lock, {@link FileChannel#lock()} on
 * {@code .threadlab-progress.lock} beside it (and, as that lock is held per JVM, a monitor per file
 * within one JVM), so a change re-reads what the other runners saved and none is lost.
 */
final class Progress {

    static final String FILE = ".threadlab-progress";

    /** One monitor per progress file in this JVM: a file lock is the JVM's, not a thread's. */
    private static final ConcurrentMap<Path, Object> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final Path file;
    private final Properties values = new Properties();

    /** What the last check said. */
    record Last(Verdict.State state, String score, long checkedAtMillis) {}

    Progress(Path root) {
        this.file = root.toAbsolutePath().normalize().resolve(FILE);
        reload();
    }

    /** Reads the file again (what every runner saved so far); a missing or unreadable one is empty. */
    private void reload() {
        values.clear();
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                values.load(in);
            } catch (IOException | IllegalArgumentException e) {
                values.clear(); // an unreadable progress file is a forgotten one; the next save rewrites it
            }
        }
    }

    /**
     * Applies {@code change} to the file as it is now: under the lock, reads it, changes it, writes
     * it (atomically replaced), so that no other runner's change in between is lost.
     */
    private synchronized void update(Consumer<Properties> change) {
        synchronized (IN_THIS_JVM.computeIfAbsent(file, f -> new Object())) {
            try (FileChannel channel = FileChannel.open(
                    file.resolveSibling(FILE + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                channel.lock(); // held until the channel closes; blocks while another runner holds it
                reload();
                change.accept(values);
                save();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot update " + file, e);
            }
        }
    }

    synchronized Optional<Last> last(Exercise exercise) {
        String state = values.getProperty(exercise.id() + ".state");
        if (state == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Last(
                    Verdict.State.valueOf(state),
                    values.getProperty(exercise.id() + ".rules", ""),
                    Long.parseLong(values.getProperty(exercise.id() + ".checked", "0"))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    synchronized boolean passed(Exercise exercise) {
        return last(exercise).map(l -> l.state() == Verdict.State.PASSED).orElse(false);
    }

    /**
     * @return true if the exercise has passed at least once (a later failing check, or a reset,
     *         does not take that back): its reference solution stays available
     */
    synchronized boolean passedOnce(Exercise exercise) {
        return passed(exercise) || values.getProperty(exercise.id() + ".passed-once") != null;
    }

    synchronized void record(Verdict verdict) {
        String n = verdict.exercise().id();
        update(p -> {
            if (verdict.state() == Verdict.State.PASSED) {
                p.setProperty(n + ".passed-once", "true");
            }
            p.setProperty(n + ".state", verdict.state().name());
            p.setProperty(n + ".rules", verdict.score());
            p.setProperty(n + ".checked", Long.toString(System.currentTimeMillis()));
        });
    }

    synchronized int hintsSeen(Exercise exercise) {
        try {
            return Integer.parseInt(values.getProperty(exercise.id() + ".hints", "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    synchronized void hintsSeen(Exercise exercise, int seen) {
        update(p -> p.setProperty(exercise.id() + ".hints", Integer.toString(seen)));
    }

    /**
     * Forgets the exercise's last verdict (after a reset); the hints seen stay seen, and a pass
     * stays a pass for {@link #passedOnce}.
     */
    synchronized void forgetVerdict(Exercise exercise) {
        String n = exercise.id();
        update(p -> {
            if (Verdict.State.PASSED.name().equals(p.getProperty(n + ".state"))) {
                p.setProperty(n + ".passed-once", "true"); // a pass recorded before passed-once existed
            }
            p.remove(n + ".state");
            p.remove(n + ".rules");
            p.remove(n + ".checked");
        });
    }

    /** Writes the values; only under {@link #update}'s lock. */
    private void save() {
        StringWriter text = new StringWriter();
        text.write("# ./threadlab's record of your progress (safe to delete: it only forgets it)\n");
        new TreeMap<>(values).forEach((k, v) -> text.write(k + "=" + v + "\n"));
        Path temporary = file.resolveSibling(FILE + ".tmp");
        try {
            Files.writeString(temporary, text.toString(), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + file, e);
        }
    }
}
