package dev.dr.docs;

import java.util.List;
import java.util.stream.Collectors;

/** Small pieces of GitHub-flavoured Markdown the generated pages are built from. */
final class Markdown {

    private Markdown() {}

    /** A code span, with a fence long enough for any backticks inside. */
    static String code(String s) {
        String fence = s.contains("`") ? "``" : "`";
        String pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
        return fence + pad + s + pad + fence;
    }

    /** Text for a table cell: one line, pipes escaped (also inside code spans, as GFM requires). */
    static String cell(String s) {
        return s.replace("\r", "").replace("\n", " ").replace("|", "\\|");
    }

    /** Prose from a schema description: angle brackets escaped so <bucket> is not taken for HTML. */
    static String prose(String s) {
        return s.replace("<", "\\<").replace(">", "\\>");
    }

    static String table(List<String> header, List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        out.append(row(header));
        out.append(header.stream().map(h -> "---").collect(Collectors.joining(" | ", "| ", " |\n")));
        rows.forEach(r -> out.append(row(r)));
        return out.toString();
    }

    private static String row(List<String> cells) {
        return cells.stream().map(Markdown::cell).collect(Collectors.joining(" | ", "| ", " |\n"));
    }

    /** "a", "a or b", "a, b or c". */
    static String either(List<String> items, String last) {
        if (items.size() <= 1) {
            return String.join("", items);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " " + last + " " + items.get(items.size() - 1);
    }
}
