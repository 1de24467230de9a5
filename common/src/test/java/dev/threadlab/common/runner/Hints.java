package dev.threadlab.common.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An exercise's tiered hints, read from {@code <module>/hints/<id>.md} ({@link Course.Exercise#hints()}),
 * the one place they live (the module README links to it). Each {@code ## } heading starts a hint; they go from a nudge
 * to nearly the answer; a heading may number its tier ({@code ## 1. Nudge}, {@code ## Hint 1: nudge}), the
 * runner numbers them itself. Text before the first heading is the file's introduction, not a hint.
 */
record Hints(List<String> tiers) {

    static Hints read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new Hints(List.of());
        }
        List<String> tiers = new ArrayList<>();
        StringBuilder current = null;
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("## ")) {
                    if (current != null) {
                        tiers.add(current.toString().strip());
                    }
                    current = new StringBuilder(title(line)).append('\n');
                } else if (current != null) {
                    current.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (current != null) {
            tiers.add(current.toString().strip());
        }
        return new Hints(List.copyOf(tiers));
    }

    /**
     * @return the heading's title without the tier number the runner shows anyway: "chunks, then
     *         futures" for "## Hint 1: chunks, then futures", "Nudge" for "## 1. Nudge"
     */
    static String title(String heading) {
        return heading.substring(3).strip().replaceFirst("(?i)^(hint\\s*)?\\d+\\s*[.:)]\\s*", "");
    }

    int count() {
        return tiers.size();
    }
}
