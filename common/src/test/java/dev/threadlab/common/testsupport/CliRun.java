package dev.threadlab.common.testsupport;

import dev.threadlab.common.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * One run of a demo's command line, in-process, through {@link Cli#execute}: its exit code and
 * what it printed to its out and err writers. For the tests that check every demo's argument
 * handling (bad input: the problem, the usage, exit code 2).
 *
 * <pre>{@code
 * CliRun run = CliRun.of(new Basics_01_PrintNumbers(), "--threads", "0");
 * assertThat(run.exitCode()).isEqualTo(2);
 * assertThat(run.err()).contains("--threads must be between 1 and 16, was 0").contains("Usage:");
 * }</pre>
 *
 * @param exitCode what {@link Cli#execute} returned (0 success, 2 bad input, 1 failure)
 * @param out      everything written to the command's out writer
 * @param err      everything written to the command's err writer
 */
public record CliRun(int exitCode, String out, String err) {

    /** Parses {@code args} into {@code command} (a picocli command) and runs it. */
    public static CliRun of(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(command, new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** @return the text of each line printed through a {@code Console}, without its time and thread tags */
    public List<String> texts() {
        return out.lines()
                .map(line -> line.replaceFirst("^\\[\\s*\\d+ ms\\] \\S+\\s+", ""))
                .toList();
    }
}
