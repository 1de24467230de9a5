package dev.threadlab.common.instructor;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.instructor.ExerciseResult.Rule;
import dev.threadlab.common.instructor.ExerciseResult.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a spec's outcome from the XML report Maven Surefire writes for it
 * ({@code target/surefire-reports/TEST-<spec>.xml}): each test case is one rule, passed, failed
 * ({@code failure}/{@code error}), or skipped ({@code skipped}: aborted with "not implemented yet",
 * or not run after an earlier rule hung). Streamed, and each message capped, so a report swollen by
 * a student's output costs little.
 */
final class SurefireReports {

    /** The longest message kept from one rule. */
    static final int MESSAGE_CAP = 64 * 1024;

    private SurefireReports() {}

    /** @return the report of {@code specClass} in a module's build folder, if the build wrote one */
    static Optional<Path> reportOf(Path moduleDir, String specClass) {
        Path report = moduleDir.resolve("target/surefire-reports/TEST-" + specClass + ".xml");
        return Files.isRegularFile(report) ? Optional.of(report) : Optional.empty();
    }

    /**
     * @param ruleOrder the spec's method names in source order: rules are returned in that order
     * @return each rule's outcome
     * @throws IOException if the report cannot be read or is not a Surefire report
     */
    static List<Rule> rules(Path report, List<String> ruleOrder) throws IOException {
        try (InputStream in = Files.newInputStream(report)) {
            return rules(in, ruleOrder);
        }
    }

    static List<Rule> rules(InputStream in, List<String> ruleOrder) throws IOException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        List<Rule> rules = new ArrayList<>();
        try {
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            String name = null;
            Status status = null;
            String message = "";
            String outcomeElement = null;
            StringBuilder text = new StringBuilder();
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String element = xml.getLocalName();
                    switch (element) {
                        case "testcase" -> {
                            name = ruleName(xml.getAttributeValue(null, "name"));
                            status = Status.PASSED;
                            message = "";
                        }
                        case "failure", "error", "skipped" -> {
                            if (name != null && outcomeElement == null) {
                                outcomeElement = element;
                                status = element.equals("skipped") ? Status.SKIPPED : Status.FAILED;
                                String attribute = xml.getAttributeValue(null, "message");
                                message = attribute == null ? "" : attribute;
                                text.setLength(0);
                            }
                        }
                        default -> {}
                    }
                } else if ((event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA)
                        && outcomeElement != null
                        && text.length() < MESSAGE_CAP) {
                    text.append(xml.getText(), 0, Math.min(xml.getTextLength(), MESSAGE_CAP - text.length()));
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    String element = xml.getLocalName();
                    if (element.equals(outcomeElement)) {
                        if (message.isBlank()) {
                            message = withoutExceptionType(firstParagraph(text.toString()));
                        }
                        outcomeElement = null;
                    } else if (element.equals("testcase") && name != null) {
                        rules.add(rule(name, status, message));
                        name = null;
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new IOException("not a readable Surefire report: " + e.getMessage(), e);
        }
        rules.sort(Comparator.comparingInt(r -> {
            int i = ruleOrder.indexOf(r.name());
            return i < 0 ? Integer.MAX_VALUE : i;
        }));
        return rules;
    }

    private static Rule rule(String name, Status status, String message) {
        String capped = message.length() > MESSAGE_CAP ? message.substring(0, MESSAGE_CAP) + " …" : message;
        int stub = capped.indexOf(NotImplementedYet.PREFIX);
        if (status != Status.PASSED && stub >= 0) {
            return new Rule(
                    name,
                    Status.NOT_IMPLEMENTED,
                    capped.substring(stub).lines().findFirst().orElse("").strip());
        }
        if (status == Status.FAILED && (capped.startsWith("hang: ") || capped.startsWith("deadlock: "))) {
            return new Rule(name, Status.HUNG, capped);
        }
        return new Rule(name, status, capped);
    }

    /** "theThreadsRunAtTheSameTime(StartAndJoin)" is the rule theThreadsRunAtTheSameTime. */
    static String ruleName(String testCase) {
        if (testCase == null) {
            return "?";
        }
        int paren = testCase.indexOf('(');
        return paren < 0 ? testCase : testCase.substring(0, paren);
    }

    /** A stack trace's first part: the message, up to the first "\tat " frame. */
    private static String firstParagraph(String trace) {
        int frame = trace.indexOf("\n\tat ");
        return (frame < 0 ? trace : trace.substring(0, frame)).strip();
    }

    /** "org.opentest4j.TestAbortedException: not implemented yet: …" is "not implemented yet: …". */
    private static String withoutExceptionType(String line) {
        return line.replaceFirst("^[\\w.$]+(Exception|Error|Throwable)(: )?", "")
                .strip();
    }
}
