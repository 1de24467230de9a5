package dev.threadlab.common.instructor;

import dev.threadlab.common.instructor.Course.Exercise;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * One student's submission: a folder (a clone counts as a folder: its checked-out files), a bare git
 * repository (its HEAD commit), or a {@code .zip}. Only the Java sources are looked at, and of those
 * only what a student writes is taken: each exercise's {@code Your…} class, found wherever the
 * submission nests the course (e.g. a zip holding one top folder), and any new file beside it.
 */
final class Submission {

    /** Biggest source file taken from a submission. */
    static final int FILE_CAP = 512 * 1024;
    /** Most files looked at in one submission. */
    static final int ENTRY_CAP = 50_000;

    private static final Set<String> SKIPPED_FOLDERS = Set.of(".git", "target", "node_modules", ".idea", ".gradle");

    /** A Java source of the submission: its path inside the submission ('/' separators) and how to read it. */
    private record Entry(String path, long size, Reader reader) {}

    @FunctionalInterface
    private interface Reader {
        byte[] read() throws IOException;
    }

    /** What was taken for the grading, and what was noticed (files too big, exercises missing). */
    record Taken(Map<Path, byte[]> files, List<String> notes, Set<String> submittedModules) {}

    private final String id;
    private final Path source;

    private Submission(String id, Path source) {
        this.id = id;
        this.source = source;
    }

    /** @return the submissions in {@code folder}, one per entry (hidden entries skipped), by name */
    static List<Submission> in(Path folder) throws IOException {
        List<Submission> found = new ArrayList<>();
        try (var entries = Files.list(folder)) {
            for (Path entry : entries.sorted().toList()) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(entry) || name.toLowerCase(Locale.ROOT).endsWith(".zip")) {
                    found.add(of(entry));
                }
            }
        }
        Map<String, Submission> byId = new LinkedHashMap<>();
        for (Submission s : found) {
            if (byId.putIfAbsent(s.id(), s) != null) {
                throw new IllegalArgumentException("two submissions for student '" + s.id() + "' in " + folder);
            }
        }
        return found;
    }

    static Submission of(Path entry) {
        String name = entry.getFileName().toString().replaceFirst("(?i)\\.(zip|git)$", "");
        String id = name.replaceAll("[^A-Za-z0-9._@-]", "_");
        return new Submission(id.isEmpty() ? "student" : id, entry);
    }

    String id() {
        return id;
    }

    Path source() {
        return source;
    }

    /**
     * Takes, for every exercise in {@code exercises}, the student's learner class and the new files
     * beside it. {@code base} is the student edition the files will be laid over: a file it already
     * has (an interface, a record the exercise provides) is never taken from the submission.
     *
     * @param scratch a folder for unpacking a git repository
     */
    Taken take(List<Exercise> exercises, Path base, Path scratch) throws IOException {
        if (isBareGitRepository(source)) {
            Path zip = scratch.resolve(id + "-HEAD.zip");
            gitArchive(source, zip);
            try (ZipFile file = new ZipFile(zip.toFile())) {
                return take(exercises, base, zipEntries(file));
            }
        }
        if (Files.isDirectory(source)) {
            return take(exercises, base, folderEntries(source));
        }
        try (ZipFile file = new ZipFile(source.toFile())) {
            return take(exercises, base, zipEntries(file));
        } catch (java.util.zip.ZipException e) {
            return new Taken(Map.of(), List.of("not a readable zip file: " + e.getMessage()), Set.of());
        }
    }

    private Taken take(List<Exercise> exercises, Path base, List<Entry> entries) throws IOException {
        Map<Path, byte[]> files = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        Set<String> modules = new java.util.TreeSet<>();
        if (entries.size() >= ENTRY_CAP) {
            notes.add("only the first " + ENTRY_CAP + " Java files were looked at");
        }
        for (Exercise exercise : exercises) {
            String learner = SourceTree.slashes(exercise.learnerFile());
            Optional<Entry> found = entries.stream()
                    .filter(e -> e.path().equals(learner) || e.path().endsWith("/" + learner))
                    .min(Comparator.comparingInt(e -> e.path().length()));
            if (found.isEmpty()) {
                notes.add(exercise.title() + ": no " + learner + " in the submission");
                continue;
            }
            modules.add(exercise.module());
            String prefix = found.get().path().substring(0, found.get().path().length() - learner.length());
            String folder = learner.substring(0, learner.lastIndexOf('/') + 1);
            for (Entry e : entries) {
                if (!e.path().startsWith(prefix + folder)) {
                    continue;
                }
                String relative = e.path().substring(prefix.length());
                boolean beside = relative.indexOf('/', folder.length()) < 0;
                boolean isLearner = relative.equals(learner);
                if (!beside || (!isLearner && Files.exists(base.resolve(relative)))) {
                    continue;
                }
                if (e.size() > FILE_CAP) {
                    notes.add(relative + ": not taken, larger than " + (FILE_CAP >> 10) + " KiB");
                    continue;
                }
                byte[] content = e.reader().read();
                String declared = packageOf(new String(content, java.nio.charset.StandardCharsets.UTF_8));
                if (!declared.equals(exercise.learnerPackage())) {
                    // a class of another package (say, a stand-in for the grading's own classes) is never taken
                    notes.add(relative + ": not taken, it declares package '" + declared + "', not "
                            + exercise.learnerPackage());
                    continue;
                }
                files.put(Path.of(relative), content);
            }
        }
        return new Taken(files, notes, modules);
    }

    private static final java.util.regex.Pattern PACKAGE =
            java.util.regex.Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");

    /** The package a source declares (comments before it are allowed), "" for none. */
    static String packageOf(String source) {
        String code = source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
        java.util.regex.Matcher m = PACKAGE.matcher(code);
        return m.find() ? m.group(1) : "";
    }

    private static List<Entry> folderEntries(Path root) throws IOException {
        List<Entry> entries = new ArrayList<>();
        Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), 40, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(root)
                                && SKIPPED_FOLDERS.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                // never follow a link out of the submission
                if (attrs.isRegularFile()
                        && !Files.isSymbolicLink(file)
                        && file.toString().endsWith(".java")) {
                    entries.add(
                            new Entry(SourceTree.slashes(root.relativize(file)), attrs.size(), () -> readCapped(file)));
                }
                return entries.size() >= ENTRY_CAP ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
            }
        });
        return entries;
    }

    private static byte[] readCapped(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is not a regular file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(FILE_CAP);
        }
    }

    private static List<Entry> zipEntries(ZipFile zip) {
        List<Entry> entries = new ArrayList<>();
        var all = zip.entries();
        while (all.hasMoreElements() && entries.size() < ENTRY_CAP) {
            ZipEntry entry = all.nextElement();
            String name = entry.getName().replace('\\', '/');
            if (entry.isDirectory()
                    || !name.endsWith(".java")
                    || name.startsWith("/")
                    || name.contains("../")
                    || name.startsWith("__MACOSX/")) {
                continue; // nothing is ever written where the zip says: names are only matched
            }
            entries.add(new Entry(name, entry.getSize() < 0 ? 0 : entry.getSize(), () -> {
                try (InputStream in = zip.getInputStream(entry)) {
                    return in.readNBytes(FILE_CAP); // a lying size field cannot make this read more
                }
            }));
        }
        return entries;
    }

    static boolean isBareGitRepository(Path dir) {
        return Files.isDirectory(dir)
                && Files.isRegularFile(dir.resolve("HEAD"))
                && Files.isDirectory(dir.resolve("objects"))
                && Files.isDirectory(dir.resolve("refs"));
    }

    private static void gitArchive(Path repository, Path zip) throws IOException {
        Process git = new ProcessBuilder(
                        "git",
                        "--git-dir=" + repository.toAbsolutePath(),
                        "archive",
                        "--format=zip",
                        "-o",
                        zip.toAbsolutePath().toString(),
                        "HEAD")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!git.waitFor(120, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                throw new IOException("git archive of " + repository + " took over 2 minutes");
            }
            if (git.exitValue() != 0) {
                throw new IOException(
                        "git could not read the HEAD commit of " + repository + " (exit " + git.exitValue() + ")");
            }
        } catch (InterruptedException e) {
            git.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return id + " (" + source + ")";
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
