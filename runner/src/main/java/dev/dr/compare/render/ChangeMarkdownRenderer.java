package dev.dr.compare.render;

import tools.jackson.databind.JsonNode;

/**
 * The plan-change document as Markdown, for the pull-request comment of a plan change: both
 * sides and their digests in a table, a warning when the target changes, the changes in a
 * diff block (old value on a - line, new value on a + line), every phase's decision on both
 * sides, and the summary line. Rendered from the document only.
 */
public final class ChangeMarkdownRenderer {

    public String render(JsonNode d) {
        StringBuilder b = new StringBuilder();
        JsonNode o = d.get("old");
        JsonNode n = d.get("new");
        JsonNode so = d.get("summary").get("old");
        JsonNode sn = d.get("summary").get("new");
        b.append("## dr diff: `").append(ChangeTextRenderer.title(d)).append("`\n\n");
        b.append("| | Old | New |\n| --- | --- | --- |\n");
        row(b, "File", file(o), file(n));
        row(b, "Plan digest", code(ChangeTextRenderer.digest(o)), code(ChangeTextRenderer.digest(n)));
        row(b, "Phases to run", so.get("phasesToRun").asString(), sn.get("phasesToRun").asString());
        row(b, "Steps", so.get("steps").asString(), sn.get("steps").asString());
        row(b, "Worst case", so.get("worstCase").asString(), sn.get("worstCase").asString());
        b.append('\n');
        if (d.get("summary").get("targetChanged").asBoolean()) {
            b.append("> [!WARNING]\n> **The target changes**: this plan would run against another account, region,"
                    + " namespace or environment.\n\n");
        }
        if (!d.get("changes").isEmpty()) {
            b.append("### Changes in behaviour\n\n```diff\n");
            String section = "";
            for (JsonNode c : d.get("changes")) {
                String s = c.get("section").asString();
                if (!s.equals(section)) {
                    b.append(section.isEmpty() ? "" : "\n").append("# ").append(Line.TITLES.get(s)).append('\n');
                    section = s;
                }
                Line line = Line.of(c).fenced();
                switch (line.before().isEmpty() && line.after().isEmpty() ? "added" : line.change()) {
                    case "added", "removed" -> b.append(line.text()).append('\n');
                    default -> b.append("- ").append(line.subject()).append(": ").append(line.before()).append('\n')
                            .append("+ ").append(line.subject()).append(": ").append(line.after()).append('\n');
                }
                // a + or - detail keeps its sign in the first column, where the diff block colours it
                line.details().forEach(x -> b.append(x.startsWith("+ ") || x.startsWith("- ")
                        ? x.charAt(0) + "   " + x.substring(2) : "    " + x).append('\n'));
            }
            b.append("```\n\n");
        }
        b.append("<details><summary>Phase decisions</summary>\n\n| Phase | Old | New |\n| --- | --- | --- |\n");
        for (JsonNode p : d.get("phases")) {
            boolean changed = !p.get("old").asString().equals(p.get("new").asString());
            String name = changed ? "**" + p.get("name").asString() + "**" : p.get("name").asString();
            row(b, name, code(p.get("old").asString()), code(p.get("new").asString()));
        }
        b.append("\n</details>\n\n");
        b.append("**").append(escape(ChangeTextRenderer.summary(d))).append("**\n");
        return b.toString();
    }

    private static String file(JsonNode side) {
        String s = code(side.get("file").asString());
        if (!side.get("revision").isNull()) {
            s += " at " + code(side.get("revision").asString());
        }
        if (!side.get("exists").asBoolean()) {
            s += " (absent)";
        }
        return s;
    }

    private static void row(StringBuilder b, String k, String old, String neu) {
        b.append("| ").append(k).append(" | ").append(old).append(" | ").append(neu).append(" |\n");
    }

    private static String code(String s) {
        return s.isEmpty() ? "(none)" : "`" + s.replace("`", "'") + "`";
    }

    private static String escape(String s) {
        return s.replace("|", "\\|").replace("<", "&lt;");
    }
}
