package dev.threadlab.common.instructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The files of a course tree that belong to it: what git tracks (or would), never build output. */
final class SourceTree {

    /** Folders that are never part of the course's sources. */
    private static final Set<String> SKIPPED =
            Set.of(".git", "target", ".idea", ".vscode", ".settings", "node_modules");

    private SourceTree() {}

    /**
     * @return the course's files relative to {@code root}, sorted, with '/' separators: git's list
     *         (tracked, and untracked files that .gitignore does not exclude) where the tree is a git
     *         work tree, else every file outside build and IDE folders
     */
    static List<String> files(Path root) {
        List<String> fromGit = Files.exists(root.resolve(".git")) ? gitFiles(root) : null;
        List<String> files = fromGit != null ? fromGit : walk(root);
        return files.stream()
                .filter(f -> !f.contains("/target/") && !f.startsWith("target/"))
                .filter(f -> Files.isRegularFile(root.resolve(f)))
                .sorted()
                .distinct()
                .toList();
    }

    private static List<String> gitFiles(Path root) {
        try {
            Process git = new ProcessBuilder(
                            "git",
                            "-C",
                            root.toString(),
                            "ls-files",
                            "-z",
                            "--cached",
                            "--others",
                            "--exclude-standard")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = git.getInputStream().readAllBytes();
            if (!git.waitFor(60, TimeUnit.SECONDS) || git.exitValue() != 0) {
                git.destroyForcibly();
                return null;
            }
            List<String> files = new ArrayList<>();
            for (String f : new String(out, StandardCharsets.UTF_8).split("\0")) {
                if (!f.isEmpty()) {
                    files.add(f);
                }
            }
            return files;
        } catch (IOException e) {
            return null; // no git here: walk the tree instead
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the course's files", e);
        }
    }

    private static List<String> walk(Path root) {
        List<String> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(root)
                                    && SKIPPED.contains(dir.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        files.add(slashes(root.relativize(file)));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static String slashes(Path relative) {
        return relative.toString().replace('\\', '/');
    }
}
