package dev.threadlab.common.instructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Recognises reference-solution text: the solution packages' names, their class names, and every
 * distinctive line of their sources (a line of 25 characters or more, whitespace collapsed, that no
 * shipped source also contains, such as an interface's method signature). {@link #scan} finds any of
 * it in a tree.
 */
public final class LeakCheck {

    /** Lines shorter than this (whitespace collapsed) are too common to tell a solution by. */
    static final int DISTINCTIVE_LENGTH = 25;

    private final Set<String> distinctiveLines;
    private final Set<String> classNames;
    private final Set<String> packages;
    private final Pattern classNamePattern;

    LeakCheck(Set<String> distinctiveLines, Set<String> classNames, Set<String> packages) {
        this.distinctiveLines = Set.copyOf(distinctiveLines);
        this.classNames = Set.copyOf(classNames);
        this.packages = Set.copyOf(packages);
        this.classNamePattern = classNames.isEmpty()
                ? null
                : Pattern.compile("\\b("
                        + String.join(
                                "|", classNames.stream().map(Pattern::quote).toList()) + ")\\b");
    }

    /**
     * @param root          the course root
     * @param solutionFiles the reference sources (relative to root)
     * @param shipped       the sources that ship anyway (relative to root): their lines are not evidence
     * @param classes       the solution classes' fully qualified names
     * @param packages      the solution packages
     */
    static LeakCheck of(
            Path root,
            Collection<String> solutionFiles,
            Collection<String> shipped,
            Collection<String> classes,
            Collection<String> packages) {
        Set<String> common = new HashSet<>();
        for (String file : shipped) {
            Course.text(root.resolve(file)).lines().map(LeakCheck::normalize).forEach(common::add);
        }
        Set<String> distinctive = new TreeSet<>();
        for (String file : solutionFiles) {
            Course.text(root.resolve(file))
                    .lines()
                    .map(LeakCheck::normalize)
                    .filter(LeakCheck::telling)
                    .filter(line -> !common.contains(line))
                    .forEach(distinctive::add);
        }
        Set<String> simpleNames = new TreeSet<>();
        classes.forEach(fqn -> simpleNames.add(fqn.substring(fqn.lastIndexOf('.') + 1)));
        return new LeakCheck(distinctive, simpleNames, new TreeSet<>(packages));
    }

    static String normalize(String line) {
        return line.strip().replaceAll("\\s+", " ");
    }

    private static boolean telling(String line) {
        return line.length() >= DISTINCTIVE_LENGTH && !line.startsWith("import ") && !line.startsWith("package ");
    }

    /** @return true if this (Markdown or source) line quotes a reference solution */
    boolean quotes(String line) {
        return distinctiveLines.contains(normalize(line));
    }

    /** @return true if the text names a solution class or package */
    boolean names(String text) {
        return (classNamePattern != null && classNamePattern.matcher(text).find())
                || packages.stream().anyMatch(text::contains);
    }

    /** @return the distinctive lines (for tests and for the report of what was checked) */
    Set<String> distinctiveLines() {
        return distinctiveLines;
    }

    /**
     * @return each leak found under {@code tree}, as "file:line: what", at most 50; empty if none
     */
    public List<String> scan(Path tree) {
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> all = Files.walk(tree)) {
            for (Path file : all.filter(Files::isRegularFile).sorted().toList()) {
                String relative = SourceTree.slashes(tree.relativize(file));
                if (relative.contains("/target/") || relative.startsWith(".git/")) {
                    continue;
                }
                if (relative.matches(".*/src/main/java/.*/solution/.*")) {
                    leaks.add(relative + ": a file in a solution package");
                    continue;
                }
                String text = textOf(file);
                if (text == null) {
                    continue;
                }
                int n = 0;
                for (String line : text.split("\\R", -1)) {
                    n++;
                    if (quotes(line)) {
                        leaks.add(relative + ":" + n + ": quotes the reference: " + normalize(line));
                    } else if (names(line)) {
                        leaks.add(relative + ":" + n + ": names a reference class or package: " + normalize(line));
                    }
                    if (leaks.size() >= 50) {
                        return leaks;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return leaks;
    }

    private static String textOf(Path file) throws IOException {
        if (Files.size(file) > 4 << 20) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
            if (bytes[i] == 0) {
                return null; // binary
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
