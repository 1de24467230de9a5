package dev.threadlab.common.runner;

import dev.threadlab.common.runner.Course.Exercise;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The learner's progress, in one small git-ignored file at the root, {@code .threadlab-progress}:
 * per exercise, the last verdict (state, rules passed, when), whether it has ever passed (which
 * keeps its reference solution available, whatever a later check or a reset says) and how many
 * hints were shown. Deleting it forgets the progress, nothing else.
 */
final class Progress {

    static final String FILE = ".threadlab-progress";

    private final Path file;
    private final Properties values = new Properties();

    /** What the last check said. */
    record Last(Verdict.State state, String score, long checkedAtMillis) {}

    Progress(Path root) {
        this.file = root.resolve(FILE);
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                values.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // an unreadable progress file is a forgotten one; the next save rewrites it
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
        if (verdict.state() == Verdict.State.PASSED) {
            values.setProperty(n + ".passed-once", "true");
        }
        values.setProperty(n + ".state", verdict.state().name());
        values.setProperty(n + ".rules", verdict.score());
        values.setProperty(n + ".checked", Long.toString(System.currentTimeMillis()));
        save();
    }

    synchronized int hintsSeen(Exercise exercise) {
        try {
            return Integer.parseInt(values.getProperty(exercise.id() + ".hints", "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    synchronized void hintsSeen(Exercise exercise, int seen) {
        values.setProperty(exercise.id() + ".hints", Integer.toString(seen));
        save();
    }

    /**
     * Forgets the exercise's last verdict (after a reset); the hints seen stay seen, and a pass
     * stays a pass for {@link #passedOnce}.
     */
    synchronized void forgetVerdict(Exercise exercise) {
        if (passed(exercise)) {
            values.setProperty(exercise.id() + ".passed-once", "true"); // a pass recorded before passed-once existed
        }
        values.remove(exercise.id() + ".state");
        values.remove(exercise.id() + ".rules");
        values.remove(exercise.id() + ".checked");
        save();
    }

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
