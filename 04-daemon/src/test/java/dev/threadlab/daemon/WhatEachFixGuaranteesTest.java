package dev.threadlab.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.daemon.harness.LogFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Demos 02 and 03: the daemon log writer loses its last batch when nothing closes it; a shutdown
 * hook saves it on a normal end and on SIGTERM, never on SIGKILL; an explicit close saves it only
 * when main gets to call it.
 */
class WhatEachFixGuaranteesTest {

    @Test
    void aDaemonLogWriterLosesAtLeastItsLastPartialBatchWhenMainReturns() throws Exception {
        Path file = Files.createTempFile("daemon-02-test-", ".log");
        try {
            ChildRuns.Ended run = ChildRuns.runToEnd(
                    Daemon_02_LostLogLines.class,
                    "--lines",
                    "1000",
                    "--batch",
                    "64",
                    "--fix",
                    "none",
                    "--file",
                    file.toString());
            assertThat(run.exit()).as("output:%n%s", run.text()).isZero();
            List<String> lines = LogFiles.completeLines(file);

            assertThat(1000 - lines.size())
                    .as("lost lines: at least 1000 %% 64 = 40, the partial batch a daemon's finally never writes")
                    .isGreaterThanOrEqualTo(40);
            assertThat(lines)
                    .as("what was written is the start of the log, in order")
                    .isEqualTo(IntStream.rangeClosed(1, lines.size())
                            .mapToObj(i -> String.format("line %07d", i))
                            .toList());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void everyFixKeepsExactlyThePromisesItMakes() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.execute(
                new Daemon_03_WhatEachFixGuarantees(),
                new PrintWriter(out),
                new PrintWriter(err),
                "--lines",
                "1000",
                "--batch",
                "64",
                "--runs",
                "1",
                "--jobs",
                "3");

        List<String[]> rows = out.toString()
                .lines()
                .filter(l -> l.matches("^(none|hook|close) .*"))
                .map(l -> l.trim().split("\\s+"))
                .toList();
        assertThat(rows).as("one row per fix and ending:%n%s", out).hasSize(9);
        for (String[] row : rows) {
            String fix = row[0];
            String ending = row[1];
            boolean promised = row[2].equals("yes");
            int lost = Integer.parseInt(row[6]);
            if (promised) {
                assertThat(lost)
                        .as("fix %s promises no loss when the program ends by %s:%n%s", fix, ending, out)
                        .isZero();
            } else {
                assertThat(lost)
                        .as(
                                "fix %s makes no promise for %s, and the last partial batch (40) is lost:%n%s",
                                fix, ending, out)
                        .isGreaterThanOrEqualTo(40);
            }
        }
        assertThat(List.of(rows.stream()
                        .filter(r -> r[2].equals("yes"))
                        .map(r -> r[0] + " " + r[1])
                        .toArray()))
                .as("what each fix promises")
                .containsExactly("hook normal", "hook sigterm", "close normal");
        assertThat(exit)
                .as("exit status 0: every promise kept, every child ended as intended:%n%s%s", out, err)
                .isZero();
    }
}
