package dev.threadlab.common.bench;

import dev.threadlab.common.cli.Cli;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How often a benchmark measures, the same two options in every module's benchmark: add it with
 * picocli's {@code @Mixin Repetitions repetitions;} and call {@link #validate()} first.
 */
public final class Repetitions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec benchmark;

    @Option(names = "--reps", defaultValue = "5", description = "measured repetitions (1-50, default ${DEFAULT-VALUE})")
    private int reps;

    @Option(
            names = "--warmups",
            defaultValue = "1",
            description = "repetitions run first and discarded (0-10, default ${DEFAULT-VALUE})")
    private int warmups;

    /** @throws picocli.CommandLine.ParameterException (usage, exit 2) for a value out of range */
    public void validate() {
        Cli.require(benchmark, reps >= 1 && reps <= 50, "--reps must be between 1 and 50, was %d", reps);
        Cli.require(benchmark, warmups >= 0 && warmups <= 10, "--warmups must be between 0 and 10, was %d", warmups);
    }

    /** Repetitions measured. */
    public int reps() {
        return reps;
    }

    /** Repetitions run first and discarded. */
    public int warmups() {
        return warmups;
    }
}
