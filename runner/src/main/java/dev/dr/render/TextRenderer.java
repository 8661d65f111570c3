package dev.dr.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * The plan-diff for a terminal, rendered from the plan-diff document only. ASCII, so the
 * bytes are the same whatever the locale of the machine.
 */
public final class TextRenderer {

    private final Style style;

    public TextRenderer(Style style) {
        this.style = style;
    }

    public String render(JsonNode d) {
        StringBuilder b = new StringBuilder();
        JsonNode plan = d.get("plan");
        b.append(style.bold("dr plan: " + plan.get("name").asString())).append('\n');
        line(b, "file", plan.get("file").asString() + bases(plan.get("extends")));
        if (!plan.get("description").asString().isEmpty()) {
            line(b, "about", plan.get("description").asString());
        }
        line(b, "ticket", orNone(plan.get("ticket").asString()));
        JsonNode t = d.get("target");
        line(b, "target", "account " + t.get("accountId").asString() + ", region " + t.get("region").asString()
                + ", namespace " + t.get("namespace").asString());
        JsonNode in = d.get("inputs");
        line(b, "image", orNone(in.get("imageRef").asString()));
        line(b, "backup", orNone(in.get("backupUri").asString()));
        line(b, "bucket", orNone(in.get("bucket").asString()) + ", prefix " + orNone(in.get("prefix").asString()));
        JsonNode s = d.get("sizing");
        JsonNode job = s.get("validateJob");
        line(b, "sizing", s.get("instanceType").asString() + "; validate Job requests cpu="
                + job.get("requests").get("cpu").asString() + " memory=" + job.get("requests").get("memory").asString()
                + ", limits cpu=" + job.get("limits").get("cpu").asString() + " memory="
                + job.get("limits").get("memory").asString());
        line(b, "receipts", d.get("run").get("receiptDir").asString()
                + (d.get("run").get("fromReceipt").asString().isEmpty() ? "" : ", reusing " + d.get("run").get("fromReceipt").asString()));

        if (!d.get("overrides").isEmpty()) {
            b.append("\nOverrides from the command line:\n");
            for (JsonNode o : d.get("overrides")) {
                b.append("  ").append(o.get("path").asString()).append(" = ").append(o.get("value").asString())
                        .append("  (").append(o.get("flag").asString()).append(")\n");
            }
        }
        if (!d.get("unsetVariables").isEmpty()) {
            b.append('\n').append(style.warn("Unset variables (dr apply refuses to run until they are set): "
                    + join(d.get("unsetVariables")))).append('\n');
        }
        if (!d.get("warnings").isEmpty()) {
            b.append("\nWarnings:\n");
            d.get("warnings").forEach(w -> b.append("  ").append(style.warn(w.asString())).append('\n'));
        }

        b.append("\nPhases:\n");
        int width = 0;
        for (JsonNode p : d.get("phases")) {
            width = Math.max(width, p.get("name").asString().length());
        }
        for (JsonNode p : d.get("phases")) {
            String name = pad(p.get("name").asString(), width);
            if ("skip".equals(p.get("decision").asString())) {
                JsonNode r = p.get("reason");
                b.append(style.skip("  - " + name + "  skip  " + r.get("kind").asString() + ": " + r.get("detail").asString()))
                        .append('\n');
                continue;
            }
            b.append(style.add("  + " + name + "  run")).append("   ").append(retry(p)).append('\n');
            if (p.has("approval")) {
                JsonNode a = p.get("approval");
                b.append("      approval: ").append(a.get("mode").asString())
                        .append(a.get("ticketRequired").asBoolean() ? ", ticket required" : "")
                        .append(waitText(a.get("timeout").asString())).append('\n');
            }
            for (JsonNode st : p.get("steps")) {
                step(b, st);
            }
        }

        b.append("\nGuards (at apply: checked right before the first mutation; NOT YET: not performed by this release):\n");
        int gw = 0;
        for (JsonNode g : d.get("guards")) {
            gw = Math.max(gw, g.get("name").asString().length());
        }
        for (JsonNode g : d.get("guards")) {
            String verdict = g.get("verdict").asString();
            String mark = switch (verdict) {
                case "ok" -> style.add("ok      ");
                case "refused" -> style.bad("REFUSED ");
                case "not-applicable" -> style.skip("n/a     ");
                case "not-checked-yet" -> style.warn("NOT YET ");
                default -> "at apply";
            };
            b.append("  ").append(pad(g.get("name").asString(), gw)).append("  ").append(mark).append("  ")
                    .append(g.get("check").asString()).append(" (").append(g.get("detail").asString()).append(")\n");
        }
        b.append('\n').append(style.bold(summary(d.get("summary")))).append('\n');
        b.append("planDigest: ").append(d.get("planDigest").asString()).append('\n');
        return b.toString();
    }

    private void step(StringBuilder b, JsonNode st) {
        b.append("      ").append(style.add("+ " + st.get("name").asString()));
        if (!st.get("name").asString().equals(st.get("uses").asString())) {
            b.append(" (").append(st.get("uses").asString()).append(')');
        }
        b.append("  preview: ").append(st.get("preview").asString())
                .append("live".equals(st.path("source").asString()) ? ", live" : "").append('\n');
        JsonNode settings = st.get("settings");
        int w = 0;
        for (String k : settings.propertyNames()) {
            w = Math.max(w, k.length());
        }
        for (String k : settings.propertyNames()) {
            b.append("          ").append(pad(k, w)).append(" = ").append(value(settings.get(k))).append('\n');
        }
        if (st.get("changes").isEmpty()) {
            b.append("          ").append(style.skip("(reads only; changes nothing)")).append('\n');
        }
        for (JsonNode c : st.get("changes")) {
            b.append("          ").append(change(c, style)).append('\n');
        }
    }

    /** One change line, in Terraform's signs: + create, ~ update, - delete, ? decided by live state. */
    static String change(JsonNode c, Style style) {
        String resource = c.get("resource").asString();
        return switch (c.get("action").asString()) {
            case "create" -> style.add("+ create " + resource);
            case "update" -> style.warn("~ update " + resource);
            case "delete" -> style.bad("- delete " + resource);
            case "unchanged" -> style.skip("= unchanged " + resource);
            default -> "? " + resource + "  " + c.get("detail").asString();
        };
    }

    static String retry(JsonNode p) {
        JsonNode r = p.get("retry");
        StringBuilder s = new StringBuilder();
        int attempts = r.get("maxAttempts").asInt();
        s.append(attempts == 1 ? "1 attempt" : attempts + " attempts");
        if (attempts > 1) {
            JsonNode bo = r.get("backoff");
            s.append(" on ").append(join(r.get("retryOn"))).append(", backoff ").append(bo.get("initial").asString())
                    .append(" x").append(bo.get("multiplier").asString()).append(" up to ").append(bo.get("max").asString());
        }
        s.append(", timeout ").append(p.get("timeout").asString()).append(", worst case ").append(r.get("worstCase").asString());
        return s.toString();
    }

    static String summary(JsonNode s) {
        List<String> parts = new ArrayList<>();
        parts.add(s.get("phasesToRun").asInt() + " " + plural(s.get("phasesToRun").asInt(), "phase") + " to run, "
                + s.get("phasesSkipped").asInt() + " skipped");
        parts.add(s.get("steps").asInt() + " " + plural(s.get("steps").asInt(), "step"));
        JsonNode c = s.get("changes");
        parts.add(c.get("create").asInt() + " to create, " + c.get("update").asInt() + " to update, "
                + c.get("delete").asInt() + " to destroy, " + c.get("unknown").asInt() + " known after apply"
                + (c.path("unchanged").asInt(0) > 0 ? ", " + c.get("unchanged").asInt() + " unchanged" : ""));
        parts.add("worst case " + s.get("worstCase").asString());
        if (s.get("unsetVariables").asInt() > 0) {
            parts.add(s.get("unsetVariables").asInt() + " unset " + plural(s.get("unsetVariables").asInt(), "variable"));
        }
        return "Plan: " + String.join("; ", parts) + ".";
    }

    /** How long an approval gate waits, in words. */
    static String waitText(String timeout) {
        return "none".equals(timeout) ? ", waits without a time limit" : ", waits at most " + timeout;
    }

    static String plural(int n, String word) {
        return n == 1 ? word : word + "s";
    }

    static String value(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isString()) {
            String s = v.asString();
            return s.startsWith("(") && s.endsWith(")") ? s : "\"" + s + "\"";
        }
        return v.toString();
    }

    static String join(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asString()));
        return String.join(", ", out);
    }

    private static String bases(JsonNode arr) {
        return arr.isEmpty() ? "" : " (extends " + join(arr) + ")";
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? "(none)" : s;
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append("  ").append(pad(key + ":", 10)).append(value).append('\n');
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
