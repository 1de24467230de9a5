package dev.threadlab.daemon.harness;

import dev.threadlab.common.cli.Cli;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * How much demos 02 and 03 log, and in what batches: the options they share, as a picocli
 * {@code @Mixin}, so that demo 03 passes to its children exactly what demo 02 accepts.
 */
public final class LogSize {

    @Option(
            names = "--lines",
            defaultValue = "1000",
            description = "lines to log, 1..1000000 (default: ${DEFAULT-VALUE})")
    public int lines;

    @Option(
            names = "--batch",
            defaultValue = "64",
            description = "lines per write, 1..100000 (default: ${DEFAULT-VALUE})")
    public int batch;

    /**
     * Checks the ranges.
     *
     * @param spec the command using this mixin, for the usage message
     * @throws picocli.CommandLine.ParameterException if a value is out of range
     */
    public void validate(CommandSpec spec) {
        Cli.require(spec, lines >= 1 && lines <= 1_000_000, "--lines must be between 1 and 1000000, was %d", lines);
        Cli.require(spec, batch >= 1 && batch <= 100_000, "--batch must be between 1 and 100000, was %d", batch);
    }

    /** @return these options as command-line arguments, for a child running demo 02 */
    public List<String> asArguments() {
        return List.of("--lines", Integer.toString(lines), "--batch", Integer.toString(batch));
    }
}
