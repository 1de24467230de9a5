package dev.threadlab.common.instructor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The student edition of a Markdown file: nothing that points at, or quotes, a reference solution. */
final class Markdown {

    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,}).*");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s.*");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\s*\\|.*");
    private static final Pattern LIST_ITEM = Pattern.compile("^\\s*([-*+]|\\d+[.)])\\s.*");
    private static final Pattern POINTS_AT_A_SOLUTION = Pattern.compile("/solution/|`solution`|\\bsolution package\\b");

    private Markdown() {}

    private enum Kind {
        FENCE,
        BLANK,
        HEADING,
        ROW,
        ITEM,
        PARAGRAPH
    }

    private record Block(Kind kind, List<String> lines) {
        String text() {
            return String.join("\n", lines);
        }
    }

    /**
     * @param rootReadme  true for the course's root README: it also says which edition this is, lists
     *                    only the exported modules and loses its section for instructors
     * @param exported    the modules in the edition
     * @param allModules  every module of the course
     */
    static String studentEdition(
            String text,
            boolean rootReadme,
            LeakCheck leaks,
            Set<String> solutionNames,
            List<String> exported,
            List<String> allModules) {
        List<Block> blocks = parse(text);
        List<String> absent =
                allModules.stream().filter(m -> !exported.contains(m)).toList();
        List<Block> kept = new ArrayList<>();
        int droppingSectionAt = 0; // heading level of a section being dropped, 0 for none
        boolean addedNote = false;
        for (Block block : blocks) {
            if (block.kind() == Kind.HEADING) {
                int level = headingLevel(block.lines().get(0));
                if (droppingSectionAt > 0 && level <= droppingSectionAt) {
                    droppingSectionAt = 0;
                }
                if (rootReadme
                        && droppingSectionAt == 0
                        && block.lines().get(0).toLowerCase(Locale.ROOT).contains("instructor")) {
                    droppingSectionAt = level;
                }
            }
            if (droppingSectionAt > 0) {
                continue;
            }
            boolean drop = switch (block.kind()) {
                case BLANK, HEADING -> false;
                case FENCE -> block.lines().stream().anyMatch(l -> leaks.quotes(l) || leaks.names(l));
                case ROW, ITEM, PARAGRAPH ->
                    pointsAtASolution(block, leaks)
                            || (rootReadme && block.kind() != Kind.PARAGRAPH && linksTo(block, absent));
            };
            if (drop) {
                if (block.kind() == Kind.FENCE) {
                    dropIntroduction(kept);
                }
                continue;
            }
            kept.add(block);
            if (rootReadme
                    && !addedNote
                    && block.kind() == Kind.HEADING
                    && headingLevel(block.lines().get(0)) == 1) {
                kept.add(new Block(Kind.BLANK, List.of("")));
                kept.add(new Block(
                        Kind.PARAGRAPH,
                        List.of(
                                "> **Student edition** (modules " + String.join(", ", exported)
                                        + "): the reference solutions are not included. Write each exercise in its module's `Your…` class",
                                "> and grade it as the module's README says, e.g. `./mvnw -q -pl " + exported.get(0)
                                        + " -am verify -Plearn`.")));
                addedNote = true;
            }
        }
        StringBuilder out = new StringBuilder();
        boolean lastBlank = true;
        for (Block block : kept) {
            boolean blank = block.kind() == Kind.BLANK;
            if (blank && lastBlank) {
                continue;
            }
            out.append(block.text()).append('\n');
            lastBlank = blank;
        }
        String result = out.toString();
        if (!text.endsWith("\n") && result.endsWith("\n")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }

    private static boolean pointsAtASolution(Block block, LeakCheck leaks) {
        String text = block.text();
        return POINTS_AT_A_SOLUTION.matcher(text).find()
                || leaks.names(text)
                || block.lines().stream().anyMatch(leaks::quotes);
    }

    private static boolean linksTo(Block block, List<String> modules) {
        for (String module : modules) {
            if (Pattern.compile("\\]\\((\\./)?" + Pattern.quote(module) + "[/)]")
                    .matcher(block.text())
                    .find()) {
                return true;
            }
        }
        return false;
    }

    /** A paragraph ending with ':' just before a dropped code block introduced it: it goes too. */
    private static void dropIntroduction(List<Block> kept) {
        int i = kept.size() - 1;
        while (i >= 0 && kept.get(i).kind() == Kind.BLANK) {
            i--;
        }
        if (i >= 0
                && kept.get(i).kind() == Kind.PARAGRAPH
                && kept.get(i).text().strip().endsWith(":")) {
            kept.remove(i);
        }
    }

    private static int headingLevel(String line) {
        Matcher m = HEADING.matcher(line);
        return m.matches() ? m.group(1).length() : 0;
    }

    private static List<Block> parse(String text) {
        String[] lines = text.split("\\r?\\n", -1);
        int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
        List<Block> blocks = new ArrayList<>();
        int i = 0;
        while (i < count) {
            String line = lines[i];
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
                String marker = fence.group(1);
                List<String> body = new ArrayList<>(List.of(line));
                i++;
                while (i < count) {
                    body.add(lines[i]);
                    boolean closes = lines[i].strip().startsWith(marker)
                            && lines[i].strip()
                                    .replace(String.valueOf(marker.charAt(0)), "")
                                    .isEmpty();
                    i++;
                    if (closes) {
                        break;
                    }
                }
                blocks.add(new Block(Kind.FENCE, body));
            } else if (line.isBlank()) {
                blocks.add(new Block(Kind.BLANK, List.of(line)));
                i++;
            } else if (HEADING.matcher(line).matches()) {
                blocks.add(new Block(Kind.HEADING, List.of(line)));
                i++;
            } else if (TABLE_ROW.matcher(line).matches()) {
                blocks.add(new Block(Kind.ROW, List.of(line)));
                i++;
            } else if (LIST_ITEM.matcher(line).matches()) {
                List<String> item = new ArrayList<>(List.of(line));
                i++;
                while (i < count
                        && !lines[i].isBlank()
                        && Character.isWhitespace(lines[i].charAt(0))
                        && !LIST_ITEM.matcher(lines[i]).matches()
                        && !FENCE.matcher(lines[i]).matches()) {
                    item.add(lines[i++]);
                }
                blocks.add(new Block(Kind.ITEM, item));
            } else {
                List<String> paragraph = new ArrayList<>(List.of(line));
                i++;
                while (i < count
                        && !lines[i].isBlank()
                        && !HEADING.matcher(lines[i]).matches()
                        && !FENCE.matcher(lines[i]).matches()
                        && !TABLE_ROW.matcher(lines[i]).matches()
                        && !LIST_ITEM.matcher(lines[i]).matches()) {
                    paragraph.add(lines[i++]);
                }
                blocks.add(new Block(Kind.PARAGRAPH, paragraph));
            }
        }
        return blocks;
    }
}
