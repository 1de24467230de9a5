package dev.threadlab.daemon.exercise;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.daemon.harness.KeepAliveWatch;
import dev.threadlab.daemon.harness.ReturnFromMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The program the grading runs in a child JVM: it makes an {@link AutoSaver} of the class under
 * test, saves {@code --records} records ({@link #record(int)}), then ends as {@code --ending}
 * says, and the spec counts the records in the file afterwards.
 *
 * <ul>
 *   <li>{@code return}: {@code main} returns without calling {@code close()}.</li>
 *   <li>{@code close}: {@code main} calls {@code close()}, then returns.</li>
 *   <li>{@code wait}: {@code main} prints {@value #WAITING} and blocks until the process is
 *       ended from outside (the spec sends SIGTERM).</li>
 * </ul>
 *
 * <p>With {@code --held-back-copy COPY}, the file is a named pipe (made by the grading with
 * {@code mkfifo}) whose writes are held back until the program ends, and what gets through is
 * copied to {@code COPY}: see {@link HeldBackWrites}.
 *
 * <p>If the JVM is still running once {@code main} has returned, because a non-daemon thread is
 * alive and shutdown has not begun, a {@link KeepAliveWatch} prints {@value #KEPT_ALIVE} with the
 * threads' names and halts the JVM with status {@value #KEPT_ALIVE_EXIT}: the grading does not have
 * to wait for a timeout to know that the program would have hung.
 */
@Command(
        name = "auto-saver-program",
        mixinStandardHelpOptions = true,
        description = "Saves records through an AutoSaver, then returns, closes, or waits for a signal.")
public final class AutoSaverProgram implements Callable<Integer> {

    /** Printed once every record has been accepted by {@code save}. */
    public static final String ACCEPTED = "accepted";
    /** Printed when main starts waiting to be ended from outside. */
    public static final String WAITING = "waiting for SIGTERM";
    /** Printed by the watch when non-daemon threads keep the JVM alive after main returned. */
    public static final String KEPT_ALIVE = "KEPT ALIVE after main returned by non-daemon threads:";
    /** Exit status when the watch halts a JVM that was kept alive. */
    public static final int KEPT_ALIVE_EXIT = 3;

    /** How long the saver's close() may wait for its writer (the shutdown hook's close() too). */
    public static final Duration CLOSE_BOUND = Duration.ofSeconds(10);

    /** How the program ends. */
    public enum Ending {
        RETURN,
        CLOSE,
        WAIT
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "the AutoSaver class to run")
    String saverClass;

    @Parameters(index = "1", description = "the file to save to")
    Path file;

    @Option(names = "--records", defaultValue = "1000", description = "records to save, 0..1000000")
    int records;

    @Option(names = "--ending", required = true, description = "RETURN, CLOSE or WAIT")
    Ending ending;

    @Option(
            names = "--held-back-copy",
            description = "the file is a named pipe: hold its writes back until the "
                    + "program ends, and copy what gets through to this file")
    Path heldBackCopy;

    /**
     * @return the text of record {@code n} (1-based), as saved by this program: 71 characters, so
     *         that a thousand records are more than a pipe holds
     */
    public static String record(int n) {
        return String.format("record-%06d-%s", n, "x".repeat(57));
    }

    @Override
    public Integer call() throws Exception {
        Cli.require(
                spec, records >= 0 && records <= 1_000_000, "--records must be between 0 and 1000000, was %d", records);
        KeepAliveWatch.start(Thread.currentThread(), Duration.ZERO, AutoSaverProgram::haltKeptAlive);
        HeldBackWrites heldBack = heldBackCopy == null ? null : HeldBackWrites.open(file, heldBackCopy);
        AutoSaver saver =
                (AutoSaver) Class.forName(saverClass).getDeclaredConstructor().newInstance();
        saver.start(file, CLOSE_BOUND);
        for (int n = 1; n <= records; n++) {
            saver.save(record(n));
        }
        if (heldBack != null) {
            heldBack.rememberTheSaversHooks();
        }
        System.out.println(ACCEPTED + " " + records + " records");
        switch (ending) {
            case RETURN -> {}
            case CLOSE -> saver.close();
            case WAIT -> {
                System.out.println(WAITING);
                new CountDownLatch(1).await(); // never counted down: only a signal ends this process
            }
        }
        System.out.println("main returns");
        return 0;
    }

    private static void haltKeptAlive(List<KeepAliveWatch.Culprit> culprits) {
        System.out.println(KEPT_ALIVE + " " + culprits);
        System.out.flush();
        Runtime.getRuntime().halt(KEPT_ALIVE_EXIT);
    }

    /** Runs the program; {@code main} returns (no {@code System.exit}) unless it fails. */
    public static void main(String[] args) {
        ReturnFromMain.run(new AutoSaverProgram(), args);
    }
}
