package dev.dr.docs;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-written page with generated parts: every line {@code <!-- generate: NAME ARGS -->}
 * is replaced by what the generator of that name gives for ARGS; every other line is copied.
 * The comment lines stay out of the output, so a reader of the page sees no seams.
 */
final class Template {

    private static final Pattern DIRECTIVE = Pattern.compile("^<!-- generate: ([a-z-]+)(?: (.*?))? -->$");

    private Template() {}

    static String expand(String text, String display, Map<String, Function<String, String>> generators) {
        StringBuilder out = new StringBuilder();
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher m = DIRECTIVE.matcher(line);
            if (!m.matches()) {
                if (line.contains("<!-- generate:")) {
                    throw new DocsSourceException(display + ":" + (i + 1) + ": a generate comment must be alone on its line,"
                            + " as <!-- generate: NAME ARGS -->");
                }
                out.append(line);
                if (i < lines.length - 1) {
                    out.append('\n');
                }
                continue;
            }
            Function<String, String> g = generators.get(m.group(1));
            if (g == null) {
                throw new DocsSourceException(display + ":" + (i + 1) + ": unknown generator '" + m.group(1)
                        + "'; expected one of " + String.join(", ", new java.util.TreeSet<>(generators.keySet())));
            }
            try {
                String generated = g.apply(m.group(2) == null ? "" : m.group(2).strip());
                if (generated.isEmpty()) {
                    continue; // nothing to place: the line goes, so no blank line is left behind
                }
                out.append(generated);
                if (!generated.endsWith("\n") && i < lines.length - 1) {
                    out.append('\n');
                }
            } catch (IllegalArgumentException e) {
                throw new DocsSourceException(display + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        return out.toString();
    }
}
