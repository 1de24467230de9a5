package dev.threadlab.locks.exercise;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingReport;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A grading's verdict in one line, to pin a fixture's verdict against one that depends on timing. */
final class GradingVerdicts {

    private GradingVerdicts() {}

    /**
     * @param rules the rules (their numbers) whose status to show
     * @return "7=FAILED 8=PASSED | " and the verdict's first line (k of n rules pass, the headline)
     */
    static String pinned(Grading.Report report, int... rules) {
        String statuses = Arrays.stream(rules)
                .mapToObj(rule -> rule + "="
                        + report.outcomes().stream()
                                .filter(o -> o.test().startsWith(rule + ". "))
                                .map(o -> o.status().toString())
                                .findFirst()
                                .orElse("MISSING"))
                .collect(Collectors.joining(" "));
        return statuses + " | " + Grading.firstLine(GradingReport.verdict(report.outcomes()));
    }
}
