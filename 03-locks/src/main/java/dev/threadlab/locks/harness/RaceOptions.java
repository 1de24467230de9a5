package dev.threadlab.locks.harness;

import dev.threadlab.common.cli.Cli;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options of the counter races ({@code Locks_01_UnsafeCounter}, {@code Locks_02_FixedCounters}),
 * declared once and mixed into both commands with picocli's {@code @Mixin}.
 */
public final class RaceOptions {

    @Option(
            names = "--threads",
            defaultValue = "4",
            description = "threads incrementing (1-64, default ${DEFAULT-VALUE})")
    public int threads;

    @Option(
            names = "--increments",
            defaultValue = "1000000",
            description = "increments per thread (1-100000000, default ${DEFAULT-VALUE})")
    public long increments;

    /** @throws picocli.CommandLine.ParameterException if a value is out of range (exit code 2) */
    public void validate(CommandSpec spec) {
        Cli.require(spec, threads >= 1 && threads <= 64, "--threads must be between 1 and 64, was %d", threads);
        Cli.require(
                spec,
                increments >= 1 && increments <= 100_000_000,
                "--increments must be between 1 and 100000000, was %d",
                increments);
    }
}
