package dev.dr.render;

import tools.jackson.databind.JsonNode;

/** The plan-diff as Markdown, for pull-request comments and change tickets; rendered from the document only. */
public final class MarkdownRenderer {

    public String render(JsonNode d) {
        StringBuilder b = new StringBuilder();
        JsonNode plan = d.get("plan");
        b.append("## dr plan: `").append(plan.get("name").asString()).append("`\n\n");
        if (!plan.get("description").asString().isEmpty()) {
            b.append(escape(plan.get("description").asString())).append("\n\n");
        }
        JsonNode t = d.get("target");
        JsonNode in = d.get("inputs");
        JsonNode s = d.get("sizing");
        JsonNode job = s.get("validateJob");
        b.append("| | |\n| --- | --- |\n");
        row(b, "File", code(plan.get("file").asString())
                + (plan.get("extends").isEmpty() ? "" : " (extends " + codes(plan.get("extends")) + ")"));
        row(b, "Ticket", plan.get("ticket").asString().isEmpty() ? "(none)" : escape(plan.get("ticket").asString()));
        row(b, "Target", "account " + code(t.get("accountId").asString()) + ", region " + code(t.get("region").asString())
                + ", namespace " + code(t.get("namespace").asString()));
        row(b, "Image", code(in.get("imageRef").asString()));
        row(b, "Backup", code(in.get("backupUri").asString()));
        row(b, "Sizing", code(s.get("instanceType").asString()) + "; validate Job requests "
                + code("cpu=" + job.get("requests").get("cpu").asString() + " memory=" + job.get("requests").get("memory").asString())
                + ", limits " + code("cpu=" + job.get("limits").get("cpu").asString() + " memory=" + job.get("limits").get("memory").asString()));
        row(b, "Plan digest", code(d.get("planDigest").asString()));
        b.append('\n');
        if (!d.get("overrides").isEmpty()) {
            b.append("**Overrides from the command line**\n\n");
            for (JsonNode o : d.get("overrides")) {
                b.append("- ").append(code(o.get("path").asString() + " = " + o.get("value").asString()))
                        .append(" (").append(code(o.get("flag").asString())).append(")\n");
            }
            b.append('\n');
        }
        if (!d.get("unsetVariables").isEmpty()) {
            b.append("> **Unset variables** (dr apply refuses to run until they are set): ")
                    .append(codes(d.get("unsetVariables"))).append("\n\n");
        }
        if (!d.get("warnings").isEmpty()) {
            b.append("**Warnings**\n\n");
            d.get("warnings").forEach(w -> b.append("- ").append(escape(w.asString())).append('\n'));
            b.append('\n');
        }
        b.append("### Phases\n\n| Phase | Decision | Details |\n| --- | --- | --- |\n");
        for (JsonNode p : d.get("phases")) {
            if ("skip".equals(p.get("decision").asString())) {
                b.append("| ").append(p.get("name").asString()).append(" | skip | ").append(code(p.get("reason").get("kind").asString()))
                        .append(": ").append(escape(p.get("reason").get("detail").asString())).append(" |\n");
            } else {
                b.append("| **").append(p.get("name").asString()).append("** | **run** | ")
                        .append(escape(TextRenderer.retry(p))).append(" |\n");
            }
        }
        for (JsonNode p : d.get("phases")) {
            if (!"run".equals(p.get("decision").asString())) {
                continue;
            }
            b.append("\n#### ").append(p.get("name").asString()).append("\n\n");
            if (p.has("approval")) {
                JsonNode a = p.get("approval");
                b.append("Approval: ").append(code(a.get("mode").asString()))
                        .append(a.get("ticketRequired").asBoolean() ? ", ticket required" : "")
                        .append(TextRenderer.waitText(a.get("timeout").asString())).append(".\n\n");
            }
            b.append("```diff\n");
            for (JsonNode st : p.get("steps")) {
                b.append("+ ").append(st.get("name").asString());
                b.append("  preview: ").append(st.get("preview").asString()).append('\n');
                JsonNode settings = st.get("settings");
                for (String k : settings.propertyNames()) {
                    b.append("    ").append(k).append(" = ").append(TextRenderer.value(settings.get(k))).append('\n');
                }
                if (st.get("changes").isEmpty()) {
                    b.append("    (reads only; changes nothing)\n");
                }
                for (JsonNode c : st.get("changes")) {
                    // the diff block colours + and - lines; ~ and ? stay plain
                    String line = TextRenderer.change(c, Style.PLAIN);
                    b.append(line.startsWith("+") || line.startsWith("-") ? line.charAt(0) + "   " + line.substring(2)
                            : "    " + line).append('\n');
                }
            }
            b.append("```\n");
        }
        b.append("\n### Guards\n\n| Guard | Verdict | Check |\n| --- | --- | --- |\n");
        for (JsonNode g : d.get("guards")) {
            b.append("| ").append(g.get("name").asString()).append(" | ").append(g.get("verdict").asString()).append(" | ")
                    .append(escape(g.get("check").asString())).append(" (").append(escape(g.get("detail").asString())).append(") |\n");
        }
        b.append("\n**").append(escape(TextRenderer.summary(d.get("summary")))).append("**\n");
        return b.toString();
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    private static String code(String s) {
        return s.isEmpty() ? "(none)" : "`" + s.replace("`", "'") + "`";
    }

    private static String codes(JsonNode arr) {
        StringBuilder b = new StringBuilder();
        arr.forEach(n -> b.append(b.length() == 0 ? "" : ", ").append(code(n.asString())));
        return b.toString();
    }

    private static String escape(String s) {
        return s.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }
}
