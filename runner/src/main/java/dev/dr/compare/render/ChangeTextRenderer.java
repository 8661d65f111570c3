package dev.dr.compare.render;

import dev.dr.render.Style;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The plan-change document for a terminal, rendered from the document only: the changes by
 * section in Terraform's signs (+ added, - removed, ~ changed), a changed target with ! and a
 * warning, then a summary line and both planDigests. ASCII; color only through {@link Style}.
 */
public final class ChangeTextRenderer {

    private final Style style;

    public ChangeTextRenderer(Style style) {
        this.style = style;
    }

    public String render(JsonNode d) {
        StringBuilder b = new StringBuilder();
        b.append(style.bold("dr diff: " + title(d))).append('\n');
        b.append("  old: ").append(side(d.get("old"))).append('\n');
        b.append("  new: ").append(side(d.get("new"))).append('\n');
        if (d.get("summary").get("targetChanged").asBoolean()) {
            b.append('\n').append(style.bad("WARNING: the target changes: this plan would run against another"
                    + " account, region, namespace or environment.")).append('\n');
        }
        String section = "";
        for (JsonNode c : d.get("changes")) {
            String s = c.get("section").asString();
            if (!s.equals(section)) {
                section = s;
                b.append('\n').append(Line.TITLES.get(s)).append(":\n");
            }
            Line line = Line.of(c);
            b.append("  ").append(styled(line)).append('\n');
            line.details().forEach(x -> b.append("      ").append(x).append('\n'));
        }
        b.append('\n').append(style.bold(summary(d))).append('\n');
        b.append("old planDigest: ").append(digest(d.get("old"))).append('\n');
        b.append("new planDigest: ").append(digest(d.get("new"))).append('\n');
        return b.toString();
    }

    private String styled(Line line) {
        String text = line.text();
        if (line.loud()) {
            return style.bad(text);
        }
        return switch (line.change()) {
            case "added" -> style.add(text);
            case "removed" -> style.bad(text);
            default -> style.warn(text);
        };
    }

    static String title(JsonNode d) {
        String o = d.get("old").get("name").asString();
        String n = d.get("new").get("name").asString();
        return o.isEmpty() ? n : n.isEmpty() || o.equals(n) ? o : o + " -> " + n;
    }

    static String side(JsonNode s) {
        StringBuilder b = new StringBuilder(s.get("file").asString());
        if (!s.get("revision").isNull()) {
            b.append(" at ").append(s.get("revision").asString());
        }
        if (!s.get("exists").asBoolean()) {
            b.append(" (absent: ").append(s.get("revision").isNull() ? "removed" : "a new plan").append(')');
        } else if (!s.get("extends").isEmpty()) {
            List<String> bases = new ArrayList<>();
            s.get("extends").forEach(x -> bases.add(x.asString()));
            b.append(" (extends ").append(String.join(", ", bases)).append(')');
        }
        return b.toString();
    }

    static String digest(JsonNode side) {
        return side.get("planDigest").isNull() ? "(none)" : side.get("planDigest").asString();
    }

    /** "Diff: N changes in behaviour; ..." with the totals that differ as old -> new. */
    static String summary(JsonNode d) {
        JsonNode s = d.get("summary");
        int n = s.get("changes").asInt();
        JsonNode o = s.get("old");
        JsonNode w = s.get("new");
        List<String> parts = new ArrayList<>();
        parts.add(n == 0 ? "no changes in behaviour" : n + (n == 1 ? " change" : " changes") + " in behaviour");
        parts.add(total(o, w, "phasesToRun", "phases to run"));
        parts.add(total(o, w, "steps", "steps"));
        parts.add(total(o, w, "worstCase", "worst case"));
        return "Diff: " + String.join("; ", parts) + ".";
    }

    private static String total(JsonNode o, JsonNode w, String key, String words) {
        String a = o.get(key).asString();
        String b = w.get(key).asString();
        return words + " " + (a.equals(b) ? a : a + " -> " + b);
    }
}
