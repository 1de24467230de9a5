package dev.threadlab.locks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java snippet in the module's README is code that exists, and so compiles, in the module:
 * its lines (indentation aside) appear, in order and together, in one of the module's sources.
 */
class ReadmeSnippetsTest {

    private static final Path MODULE = Path.of("").toAbsolutePath();

    @Test
    void everyJavaSnippetInTheReadmeIsCodeFromTheModule() throws IOException {
        List<List<String>> snippets = javaSnippets(Files.readString(MODULE.resolve("README.md")));
        List<List<String>> sources = sources();

        assertThat(snippets).as("the README should show some Java").isNotEmpty();
        for (List<String> snippet : snippets) {
            assertThat(sources)
                    .as(
                            "README snippet not found in src/ (copy it from the code, do not retype it):%n%s",
                            String.join("\n", snippet))
                    .anyMatch(source -> containsInOrder(source, snippet));
        }
    }

    static List<List<String>> javaSnippets(String markdown) {
        List<List<String>> snippets = new ArrayList<>();
        List<String> current = null;
        for (String line : markdown.split("\n")) {
            String trimmed = line.strip();
            if (current == null && trimmed.equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && trimmed.equals("```")) {
                snippets.add(current);
                current = null;
            } else if (current != null && !trimmed.isEmpty()) {
                current.add(trimmed);
            }
        }
        return snippets;
    }

    private static boolean containsInOrder(List<String> source, List<String> snippet) {
        for (int start = 0; start + snippet.size() <= source.size(); start++) {
            if (source.subList(start, start + snippet.size()).equals(snippet)) {
                return true;
            }
        }
        return false;
    }

    private static List<List<String>> sources() throws IOException {
        try (Stream<Path> files = Files.walk(MODULE.resolve("src"))) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .map(ReadmeSnippetsTest::lines)
                    .toList();
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
