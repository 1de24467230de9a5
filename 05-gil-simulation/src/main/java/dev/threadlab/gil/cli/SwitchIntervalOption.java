package dev.threadlab.gil.cli;

import dev.threadlab.common.cli.Cli;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The demos' {@code --interval-us} option, CPython's {@code sys.setswitchinterval} in µs (a picocli mixin). */
public final class SwitchIntervalOption {

    @Option(
            names = "--interval-us",
            defaultValue = "5000",
            description = "switch interval in µs, as sys.setswitchinterval (1-1000000, default ${DEFAULT-VALUE})")
    private long micros;

    /**
     * @param spec the command, for the usage message
     * @return the interval
     * @throws picocli.CommandLine.ParameterException if it is not 1-1000000 µs (the demo exits 2)
     */
    public Duration validated(CommandSpec spec) {
        Cli.require(
                spec,
                micros >= 1 && micros <= 1_000_000,
                "--interval-us must be between 1 and 1000000, was %d",
                micros);
        return Duration.ofNanos(micros * 1_000);
    }

    /** @return the interval in µs, as given */
    public long micros() {
        return micros;
    }
}
