package dev.threadlab.daemon.exercise;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import net.jcip.annotations.ThreadSafe;

/**
 * A file whose writes the grading holds in its hand, like a disk that stalls until the test says
 * so, and which sees who writes it. Its {@link #path()} belongs to a small file system of the
 * grading's own that passes everything to the real one (a temporary directory), except writing
 * this one file: {@code Files.newBufferedWriter(path)}, {@code Files.newOutputStream} and
 * {@code Files.write} get a stream whose {@code write} the grading controls.
 *
 * <ul>
 *   <li><b>Held</b> ({@link #hold()}, the state {@link #create} may start in): a {@code write}
 *       blocks, writing nothing, until {@link #release()}. Nothing the saver writes reaches the
 *       file before then, in every run: a stuck writer by construction.</li>
 *   <li><b>Who writes.</b> Every thread that called {@code write} is remembered, and those inside
 *       a {@code write} now are known ({@link #threadsInWrite()}): a {@code save()} or
 *       {@code close()} that writes the file itself is seen doing it, at once.</li>
 *   <li><b>An interrupt ends a held write</b> as it ends a write to a stream from
 *       {@code Files.newOutputStream} (an interruptible channel): the stream is closed and the
 *       write throws {@code ClosedByInterruptException}, the thread's interrupt status set. But
 *       the interrupted thread leaves the write only once {@link #letInterruptedWritersGoWhen its
 *       condition} holds (the grading's: "close() is now waiting"): a {@code close()} that
 *       interrupts its writer and returns without waiting for it returns, in every run, while the
 *       writer is still in the write.</li>
 *   <li>{@link #close()} makes every write fail ({@code IOException}), so no thread stays stuck
 *       after the rule.</li>
 * </ul>
 *
 * <p>Other ways to open the file ({@code FileChannel.open}, {@code file.toFile()}) throw
 * {@code UnsupportedOperationException} saying so: {@code AutoSaver}'s javadoc asks for
 * {@code Files.newBufferedWriter(file)}, whose writes an interrupt can end.
 */
@ThreadSafe
final class HeldFile implements AutoCloseable {

    /** The start of the message of a write that failed because the rule ended. */
    static final String CLOSED_BY_THE_GRADING = "the grading closed the file";

    /** The start of the message of a way of opening the file that the grading cannot hold back. */
    static final String UNSUPPORTED = "the grading's file can be opened only with Files.newBufferedWriter(file)";

    private final Path real;
    private final HeldFileSystem fileSystem;

    @GuardedBy("this")
    private boolean held;

    @GuardedBy("this")
    private boolean failed;

    @GuardedBy("this")
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @GuardedBy("this")
    private final Set<Thread> writers = Collections.newSetFromMap(new IdentityHashMap<>());

    @GuardedBy("this")
    private final Set<Thread> inWrite = Collections.newSetFromMap(new IdentityHashMap<>());

    @GuardedBy("this")
    private final Set<Thread> interrupted = Collections.newSetFromMap(new IdentityHashMap<>());

    @GuardedBy("this")
    private BooleanSupplier interruptedMayGo = () -> true;

    /** While the file is held, a write still goes through when this holds (checked every millisecond). */
    @GuardedBy("this")
    private BooleanSupplier heldWritesMayGo = null;

    private HeldFile(Path real, boolean held) {
        this.real = real.toAbsolutePath();
        this.held = held;
        this.fileSystem = new HeldFileSystem(this);
    }

    /**
     * A file named {@code name} in {@code dir} (where it is created, empty, when the saver opens it;
     * what is written is kept here).
     *
     * @param held whether writes block from the start, until {@link #release()}
     */
    static HeldFile create(Path dir, String name, boolean held) {
        return new HeldFile(dir.resolve(name), held);
    }

    /** The path to give the saver: on the grading's file system. */
    Path path() {
        return fileSystem.wrap(real);
    }

    /** From now on, a write blocks until {@link #release()}. */
    synchronized void hold() {
        held = true;
    }

    /** Lets held writes, and those to come, through. */
    synchronized void release() {
        held = false;
        notifyAll();
    }

    /**
     * Until {@code condition} holds, a thread interrupted in a write stays in it (it then throws
     * {@code ClosedByInterruptException}). Checked every millisecond by the interrupted thread.
     */
    synchronized void letInterruptedWritersGoWhen(BooleanSupplier condition) {
        interruptedMayGo = condition;
        notifyAll();
    }

    /**
     * While the file is held, a write goes through when {@code condition} holds for the writing
     * thread (checked by it, every millisecond, while it waits).
     */
    synchronized void letHeldWritesGoWhen(BooleanSupplier condition) {
        heldWritesMayGo = condition;
        notifyAll();
    }

    /** @return whether {@code thread} has called {@code write} on this file */
    synchronized boolean wroteFrom(Thread thread) {
        return writers.contains(thread);
    }

    /** @return every thread that has called {@code write} on this file, platform or virtual */
    synchronized List<Thread> writers() {
        return List.copyOf(writers);
    }

    /**
     * Waits until a thread is inside a {@code write} (with the file held: stuck there), at most
     * {@code bound}. A saver whose writer keeps records in memory until {@code close()} writes
     * nothing before then, so that only the bound ends this wait.
     *
     * @return whether a thread is in a write
     */
    synchronized boolean awaitAThreadInWrite(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (inWrite.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** @return the threads inside a {@code write} now (held, or interrupted and not yet let go) */
    synchronized List<Thread> threadsInWrite() {
        return List.copyOf(inWrite);
    }

    /**
     * @return whether {@code thread} was interrupted while in a write: it has seen the interrupt,
     *         or it is still in the write with its interrupt status set (an interrupted thread
     *         wakes from its wait, and clears the status, only once it holds this file's lock)
     */
    synchronized boolean interruptedInAWrite(Thread thread) {
        return interrupted.contains(thread) || inWrite.contains(thread) && thread.isInterrupted();
    }

    /** @return the complete lines written so far, in order */
    synchronized List<String> lines() {
        String text = bytes.toString(StandardCharsets.UTF_8);
        int lastBreak = text.lastIndexOf('\n');
        return lastBreak < 0 ? List.of() : List.of(text.substring(0, lastBreak).split("\n", -1));
    }

    /** Every write from now on, and every write held now, fails with an {@code IOException}. */
    @Override
    public synchronized void close() {
        failed = true;
        held = false;
        notifyAll();
    }

    /** Whether {@code path}, of the real file system, is this file. */
    boolean is(Path path) {
        return path.toAbsolutePath().normalize().equals(real.normalize());
    }

    /** Opened for writing: the real file is created or emptied as the options say, and what is written is kept here. */
    OutputStream open(Set<? extends OpenOption> options) throws IOException {
        Set<OpenOption> onDisk = new HashSet<>(options);
        onDisk.add(StandardOpenOption.WRITE);
        Files.newByteChannel(real, onDisk).close(); // creates, empties or refuses as a real file would
        synchronized (this) {
            if (!options.contains(StandardOpenOption.APPEND)) {
                bytes.reset();
            }
        }
        return new HeldStream();
    }

    /** A stream to this file; closed by {@link #close} or by an interrupt in a write. */
    private final class HeldStream extends OutputStream {
        @GuardedBy("HeldFile.this")
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Thread me = Thread.currentThread();
            synchronized (HeldFile.this) {
                if (closed) {
                    throw new ClosedChannelException();
                }
                writers.add(me);
                inWrite.add(me);
                HeldFile.this.notifyAll(); // for awaitAThreadInWrite
                try {
                    boolean wasInterrupted = Thread.interrupted();
                    while (!wasInterrupted
                            && held
                            && !failed
                            && (heldWritesMayGo == null || !heldWritesMayGo.getAsBoolean())) {
                        try {
                            if (heldWritesMayGo == null) {
                                HeldFile.this.wait();
                            } else {
                                HeldFile.this.wait(1);
                            }
                        } catch (InterruptedException e) {
                            wasInterrupted = true;
                        }
                    }
                    if (wasInterrupted) {
                        closed = true; // as an interruptible channel is
                        interrupted.add(me);
                        while (!failed && !interruptedMayGo.getAsBoolean()) {
                            waitAMillisecond();
                        }
                        me.interrupt(); // the channel leaves the interrupt status set
                        throw new ClosedByInterruptException();
                    }
                    if (failed) {
                        throw new IOException(CLOSED_BY_THE_GRADING);
                    }
                    bytes.write(b, off, len);
                } finally {
                    inWrite.remove(me);
                    HeldFile.this.notifyAll();
                }
            }
        }

        @GuardedBy("HeldFile.this")
        private void waitAMillisecond() {
            try {
                HeldFile.this.wait(1);
            } catch (InterruptedException again) {
                // already interrupted: the status is set again before the write throws
            }
        }

        @Override
        public void flush() throws IOException {
            synchronized (HeldFile.this) {
                if (closed) {
                    throw new ClosedChannelException();
                }
            }
        }

        @Override
        public void close() {
            synchronized (HeldFile.this) {
                closed = true;
            }
        }
    }

    // ---- the file system: everything passed to the real one, except writing this file ----

    /** The grading's file system: paths of the default one, wrapped. */
    private static final class HeldFileSystem extends FileSystem {
        private final HeldFile file;
        private final HeldProvider provider = new HeldProvider(this);
        private final FileSystem real = FileSystems.getDefault();

        HeldFileSystem(HeldFile file) {
            this.file = file;
        }

        Path wrap(Path path) {
            return path == null ? null : new HeldPath(this, path);
        }

        Path unwrap(Path path) {
            if (path instanceof HeldPath held && held.fileSystem == this) {
                return held.real;
            }
            throw new ProviderMismatchException("not a path of the grading's file system: " + path);
        }

        @Override
        public FileSystemProvider provider() {
            return provider;
        }

        @Override
        public void close() {
            // the real file system stays open
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public boolean isReadOnly() {
            return false;
        }

        @Override
        public String getSeparator() {
            return real.getSeparator();
        }

        @Override
        public Iterable<Path> getRootDirectories() {
            List<Path> roots = new ArrayList<>();
            real.getRootDirectories().forEach(root -> roots.add(wrap(root)));
            return roots;
        }

        @Override
        public Iterable<FileStore> getFileStores() {
            return real.getFileStores();
        }

        @Override
        public Set<String> supportedFileAttributeViews() {
            return real.supportedFileAttributeViews();
        }

        @Override
        public Path getPath(String first, String... more) {
            return wrap(real.getPath(first, more));
        }

        @Override
        public PathMatcher getPathMatcher(String syntaxAndPattern) {
            PathMatcher matcher = real.getPathMatcher(syntaxAndPattern);
            return path -> matcher.matches(unwrap(path));
        }

        @Override
        public UserPrincipalLookupService getUserPrincipalLookupService() {
            return real.getUserPrincipalLookupService();
        }

        @Override
        public WatchService newWatchService() {
            throw new UnsupportedOperationException("the grading's file system cannot be watched");
        }
    }

    /** A path of the default file system, seen through the grading's. */
    private static final class HeldPath implements Path {
        private final HeldFileSystem fileSystem;
        private final Path real;

        HeldPath(HeldFileSystem fileSystem, Path real) {
            this.fileSystem = fileSystem;
            this.real = real;
        }

        private Path wrap(Path path) {
            return fileSystem.wrap(path);
        }

        @Override
        public FileSystem getFileSystem() {
            return fileSystem;
        }

        @Override
        public boolean isAbsolute() {
            return real.isAbsolute();
        }

        @Override
        public Path getRoot() {
            return wrap(real.getRoot());
        }

        @Override
        public Path getFileName() {
            return wrap(real.getFileName());
        }

        @Override
        public Path getParent() {
            return wrap(real.getParent());
        }

        @Override
        public int getNameCount() {
            return real.getNameCount();
        }

        @Override
        public Path getName(int index) {
            return wrap(real.getName(index));
        }

        @Override
        public Path subpath(int beginIndex, int endIndex) {
            return wrap(real.subpath(beginIndex, endIndex));
        }

        @Override
        public boolean startsWith(Path other) {
            return other instanceof HeldPath held && held.fileSystem == fileSystem && real.startsWith(held.real);
        }

        @Override
        public boolean endsWith(Path other) {
            return other instanceof HeldPath held && held.fileSystem == fileSystem && real.endsWith(held.real);
        }

        @Override
        public Path normalize() {
            return wrap(real.normalize());
        }

        @Override
        public Path resolve(Path other) {
            return wrap(real.resolve(fileSystem.unwrap(other)));
        }

        @Override
        public Path relativize(Path other) {
            return wrap(real.relativize(fileSystem.unwrap(other)));
        }

        @Override
        public URI toUri() {
            return URI.create("held:" + real.toUri().getRawPath());
        }

        @Override
        public Path toAbsolutePath() {
            return wrap(real.toAbsolutePath());
        }

        @Override
        public Path toRealPath(LinkOption... options) throws IOException {
            return wrap(real.toRealPath(options));
        }

        @Override
        public java.io.File toFile() {
            throw new UnsupportedOperationException(UNSUPPORTED + ", not through java.io (file.toFile()): the grading "
                    + "holds its writes back, and an interrupt can end a stuck write only on a stream from Files");
        }

        @Override
        public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
            throw new UnsupportedOperationException("the grading's file system cannot be watched");
        }

        @Override
        public int compareTo(Path other) {
            return real.compareTo(fileSystem.unwrap(other));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof HeldPath held && held.fileSystem == fileSystem && held.real.equals(real);
        }

        @Override
        public int hashCode() {
            return real.hashCode();
        }

        @Override
        public String toString() {
            return real.toString();
        }
    }

    /** Passes every operation to the default provider, on the real paths, except writing the held file. */
    private static final class HeldProvider extends FileSystemProvider {
        private final HeldFileSystem fileSystem;

        HeldProvider(HeldFileSystem fileSystem) {
            this.fileSystem = fileSystem;
        }

        private Path real(Path path) {
            return fileSystem.unwrap(path);
        }

        private static FileSystemProvider defaultProvider() {
            return FileSystems.getDefault().provider();
        }

        @Override
        public String getScheme() {
            return "held";
        }

        @Override
        public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
            throw new UnsupportedOperationException("the grading's file system is made by the grading");
        }

        @Override
        public FileSystem getFileSystem(URI uri) {
            throw new UnsupportedOperationException("the grading's file system is made by the grading");
        }

        @Override
        public Path getPath(URI uri) {
            throw new UnsupportedOperationException("the grading's file system is made by the grading");
        }

        @Override
        public OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
            Path target = real(path);
            if (!fileSystem.file.is(target)) {
                return Files.newOutputStream(target, options);
            }
            Set<OpenOption> opened = new HashSet<>(Arrays.asList(options));
            if (opened.isEmpty()) { // as Files.newOutputStream: create, or empty
                opened.add(StandardOpenOption.CREATE);
                opened.add(StandardOpenOption.TRUNCATE_EXISTING);
            }
            return fileSystem.file.open(opened);
        }

        @Override
        public SeekableByteChannel newByteChannel(
                Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
            Path target = real(path);
            boolean writing = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
            if (writing && fileSystem.file.is(target)) {
                throw new UnsupportedOperationException(UNSUPPORTED + " (or Files.newOutputStream, Files.write), "
                        + "not as a channel: the grading holds its writes back");
            }
            return Files.newByteChannel(target, options, attrs);
        }

        @Override
        public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) {
            throw new UnsupportedOperationException(UNSUPPORTED + " (or Files.newOutputStream, Files.write), "
                    + "not with FileChannel.open: the grading holds its writes back");
        }

        @Override
        public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
                throws IOException {
            DirectoryStream<Path> entries = Files.newDirectoryStream(real(dir), p -> filter.accept(fileSystem.wrap(p)));
            return new DirectoryStream<>() {
                @Override
                public Iterator<Path> iterator() {
                    Iterator<Path> each = entries.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return each.hasNext();
                        }

                        @Override
                        public Path next() {
                            return fileSystem.wrap(each.next());
                        }
                    };
                }

                @Override
                public void close() throws IOException {
                    entries.close();
                }
            };
        }

        @Override
        public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
            defaultProvider().createDirectory(real(dir), attrs);
        }

        @Override
        public void delete(Path path) throws IOException {
            defaultProvider().delete(real(path));
        }

        @Override
        public void copy(Path source, Path target, CopyOption... options) throws IOException {
            defaultProvider().copy(real(source), real(target), options);
        }

        @Override
        public void move(Path source, Path target, CopyOption... options) throws IOException {
            defaultProvider().move(real(source), real(target), options);
        }

        @Override
        public boolean isSameFile(Path path, Path path2) throws IOException {
            return defaultProvider().isSameFile(real(path), real(path2));
        }

        @Override
        public boolean isHidden(Path path) throws IOException {
            return defaultProvider().isHidden(real(path));
        }

        @Override
        public FileStore getFileStore(Path path) throws IOException {
            return defaultProvider().getFileStore(real(path));
        }

        @Override
        public void checkAccess(Path path, AccessMode... modes) throws IOException {
            defaultProvider().checkAccess(real(path), modes);
        }

        @Override
        public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
            return defaultProvider().getFileAttributeView(real(path), type, options);
        }

        @Override
        public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
                throws IOException {
            return defaultProvider().readAttributes(real(path), type, options);
        }

        @Override
        public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
                throws IOException {
            return defaultProvider().readAttributes(real(path), attributes, options);
        }

        @Override
        public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
            defaultProvider().setAttribute(real(path), attribute, value, options);
        }
    }
}
