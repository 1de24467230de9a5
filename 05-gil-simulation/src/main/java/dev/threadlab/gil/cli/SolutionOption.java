package dev.threadlab.gil.cli;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.exercise.NotImplementedYet;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The course-wide option {@code --solution reference|yours} (a picocli mixin): whose hand-off
 * the simulated GIL runs on, the reference or the learner's {@code exercise/YourHandOff}.
 * (Course-wide, so a candidate for {@code common.cli} once a second module needs it.)
 */
public final class SolutionOption {

    @Option(
            names = "--solution",
            defaultValue = "reference",
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
        Cli.require(
                spec,
                solution.equals("reference") || solution.equals("yours"),
                "--solution must be reference or yours, was %s",
                solution);
        return HandOffChoice.valueOf(solution.toUpperCase(Locale.ROOT));
    }

    /**
     * Runs a demo; if it failed because a method of {@code YourHandOff} is not written yet, says so
     * in one line on the error stream and returns 1, instead of a stack trace.
     *
     * @param spec the command, for its error stream
     * @param demo the demo's body
     * @return the demo's exit code, or 1 if the learner's hand-off is not written yet
     * @throws Exception whatever else the demo threw
     */
    public Integer explainingAStub(CommandSpec spec, Callable<Integer> demo) throws Exception {
        try {
            return demo.call();
        } catch (RuntimeException e) {
            Optional<NotImplementedYet> stub = find(e);
            if (stub.isEmpty()) {
                throw e;
            }
            spec.commandLine()
                    .getErr()
                    .printf(
                            "--solution %s: exercise/YourHandOff.java is not written yet (\"%s\"). "
                                    + "Write it first (./threadlab check 05.3), or run with --solution reference.%n",
                            solution, stub.get().getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
    }

    /** @return a {@link NotImplementedYet} among {@code failure}, its causes and suppressed exceptions */
    private static Optional<NotImplementedYet> find(Throwable failure) {
        Deque<Throwable> toSee = new ArrayDeque<>();
        toSee.add(failure);
        for (int seen = 0; !toSee.isEmpty() && seen < 50; seen++) {
            Throwable t = toSee.poll();
            if (t instanceof NotImplementedYet stub) {
                return Optional.of(stub);
            }
            if (t.getCause() != null) {
                toSee.add(t.getCause());
            }
            toSee.addAll(List.of(t.getSuppressed()));
        }
        return Optional.empty();
    }
}
