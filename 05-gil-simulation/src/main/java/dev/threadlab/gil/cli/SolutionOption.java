package dev.threadlab.gil.cli;

import dev.threadlab.common.cli.Cli;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The course-wide option {@code --solution reference|yours} (a picocli mixin): whose hand-off
 * the simulated GIL runs on, the reference or the learner's {@code exercise/YourHandOff}.
 * (Course-wide, so a candidate for {@code common.cli} once a second module needs it.)
 */
public final class SolutionOption {

    @Option(names = "--solution", defaultValue = "reference",
            description = "whose drop-request hand-off the GIL runs on: reference or yours "
                    + "(exercise/YourHandOff.java) (default ${DEFAULT-VALUE})")
    private String solution;

    /**
     * @param spec the command, for the usage message
     * @return the choice
     * @throws picocli.CommandLine.ParameterException if it is neither {@code reference} nor
     *                                                {@code yours} (the demo exits 2)
     */
    public HandOffChoice validated(CommandSpec spec) {
        Cli.require(spec, solution.equals("reference") || solution.equals("yours"),
                "--solution must be reference or yours, was %s", solution);
        return HandOffChoice.valueOf(solution.toUpperCase(Locale.ROOT));
    }
}
