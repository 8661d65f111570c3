package dev.dr.render;

import dev.dr.diff.PlanDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The plan-diff for a terminal, rendered from the plan-diff records only. ASCII, so the
 * bytes are the same whatever the locale of the machine.
 */
public final class TextRenderer {

    private final Style style;

    public TextRenderer(Style style) {
        this.style = style;
    }

    public String render(PlanDiff d) {
        StringBuilder b = new StringBuilder();
        PlanDiff.Header plan = d.plan();
        b.append(style.bold("dr plan: " + plan.name())).append('\n');
        line(b, "file", plan.file() + bases(plan.bases()));
        if (!plan.description().isEmpty()) {
            line(b, "about", plan.description());
        }
        line(b, "ticket", orNone(plan.ticket()));
        PlanDiff.Target t = d.target();
        line(b, "target", "account " + t.accountId() + from(d, "target.accountId") + ", region " + t.region()
                + from(d, "target.region") + ", namespace " + t.namespace() + from(d, "target.namespace"));
        PlanDiff.Inputs in = d.inputs();
        line(b, "image", orNone(in.imageRef()) + from(d, "inputs.imageRef"));
        line(b, "backup", orNone(in.backupUri()) + from(d, "inputs.backupUri"));
        line(b, "bucket", orNone(in.bucket()) + from(d, "inputs.bucket") + ", prefix " + orNone(in.prefix())
                + from(d, "inputs.prefix"));
        PlanDiff.Sizing s = d.sizing();
        PlanDiff.ValidateJob job = s.validateJob();
        line(b, "sizing", s.instanceType() + from(d, "sizing.instanceType") + "; validate Job " + resources(job));
        line(b, "receipts", d.run().receiptDir()
                + (d.run().fromReceipt().isEmpty() ? "" : ", reusing " + d.run().fromReceipt()));

        if (!d.overrides().isEmpty()) {
            b.append("\nOverrides from the command line:\n");
            for (PlanDiff.Overridden o : d.overrides()) {
                b.append("  ").append(o.path()).append(" = ").append(o.value()).append("  (").append(o.flag()).append(")\n");
            }
        }
        if (!d.sources().isEmpty()) {
            b.append("\nValues from the environment:\n");
            int w = d.sources().keySet().stream().mapToInt(String::length).max().orElse(0);
            d.sources().keySet().forEach(path -> b.append("  ").append(pad(path, w)).append("  from ")
                    .append(d.sourceOf(path)).append('\n'));
        }
        if (!d.unsetVariables().isEmpty()) {
            b.append('\n').append(style.warn("Unset variables (dr apply refuses to run until they are set): "
                    + String.join(", ", d.unsetVariables()))).append('\n');
        }
        if (!d.warnings().isEmpty()) {
            b.append("\nWarnings:\n");
            d.warnings().forEach(w -> b.append("  ").append(style.warn(w)).append('\n'));
        }

        b.append("\nPhases:\n");
        int width = 0;
        for (PlanDiff.Phase p : d.phases()) {
            width = Math.max(width, p.name().id().length());
        }
        for (PlanDiff.Phase p : d.phases()) {
            String name = pad(p.name().id(), width);
            if (!p.runs()) {
                PlanDiff.Reason r = p.reason();
                b.append(style.skip("  - " + name + "  skip  " + r.kind().id() + ": " + r.detail())).append('\n');
                continue;
            }
            b.append(style.add("  + " + name + "  run")).append("   ").append(retry(p.execution())).append('\n');
            PlanDiff.Approval a = p.execution().approval();
            if (a != null) {
                b.append("      approval: ").append(a.mode()).append(a.ticketRequired() ? ", ticket required" : "")
                        .append(waitText(a.timeout())).append('\n');
            }
            for (PlanDiff.Step st : p.execution().steps()) {
                step(b, st);
            }
        }

        b.append("\nGuards (at apply: checked right before the first mutation; NOT YET: not performed by this release):\n");
        int gw = 0;
        for (PlanDiff.Guard g : d.guards()) {
            gw = Math.max(gw, g.name().length());
        }
        for (PlanDiff.Guard g : d.guards()) {
            String mark = switch (g.verdict()) {
                case OK -> style.add("ok      ");
                case REFUSED -> style.bad("REFUSED ");
                case NOT_APPLICABLE -> style.skip("n/a     ");
                case NOT_CHECKED_YET -> style.warn("NOT YET ");
                case AT_APPLY -> "at apply";
            };
            b.append("  ").append(pad(g.name(), gw)).append("  ").append(mark).append("  ")
                    .append(g.check()).append(" (").append(g.detail()).append(")\n");
        }
        b.append('\n').append(style.bold(summary(d.summary()))).append('\n');
        b.append("planDigest: ").append(d.planDigest()).append('\n');
        return b.toString();
    }

    private void step(StringBuilder b, PlanDiff.Step st) {
        b.append("      ").append(style.add("+ " + st.name()));
        if (!st.name().equals(st.uses())) {
            b.append(" (").append(st.uses()).append(')');
        }
        b.append("  preview: ").append(st.preview().id()).append(st.live() ? ", live" : "").append('\n');
        int w = 0;
        for (String k : st.settings().keySet()) {
            w = Math.max(w, k.length());
        }
        for (Map.Entry<String, JsonNode> e : st.settings().entrySet()) {
            b.append("          ").append(pad(e.getKey(), w)).append(" = ").append(value(e.getValue())).append('\n');
        }
        if (st.changes().isEmpty()) {
            b.append("          ").append(style.skip("(reads only; changes nothing)")).append('\n');
        }
        for (PlanDiff.StepChange c : st.changes()) {
            b.append("          ").append(change(c, style)).append('\n');
        }
    }

    /** One change line, in Terraform's signs: + create, ~ update, - delete, ? decided by live state. */
    static String change(PlanDiff.StepChange c, Style style) {
        String resource = c.resource();
        return switch (c.action()) {
            case "create" -> style.add("+ create " + resource);
            case "update" -> style.warn("~ update " + resource);
            case "delete" -> style.bad("- delete " + resource);
            case "unchanged" -> style.skip("= unchanged " + resource);
            default -> "? " + resource + "  " + c.detail();
        };
    }

    static String retry(PlanDiff.Execution p) {
        PlanDiff.Retry r = p.retry();
        StringBuilder s = new StringBuilder();
        int attempts = r.maxAttempts();
        s.append(attempts == 1 ? "1 attempt" : attempts + " attempts");
        if (attempts > 1) {
            PlanDiff.Backoff bo = r.backoff();
            s.append(" on ").append(String.join(", ", r.retryOn())).append(", backoff ").append(bo.initial())
                    .append(" x").append(bo.multiplierText()).append(" up to ").append(bo.max());
        }
        s.append(budgetFrom(r));
        s.append(", timeout ").append(p.timeout()).append(", worst case ").append(r.worstCase());
        return s.toString();
    }

    /** " (from DR_VALIDATE_MAX_RETRIES=4)" when set variables gave the budget, else empty. */
    static String budgetFrom(PlanDiff.Retry r) {
        if (r.from().isEmpty()) {
            return "";
        }
        List<String> vars = new ArrayList<>();
        r.from().forEach((name, value) -> vars.add(name + "=" + value));
        return " (from " + String.join(", ", vars) + ")";
    }

    /** " (from TF_VAR_instance_type)" after a value that set variables gave, else empty. */
    static String from(PlanDiff d, String path) {
        java.util.SortedMap<String, String> vars = d.sources().get(path);
        return vars == null ? "" : " (from " + String.join(", ", vars.keySet()) + ")";
    }

    static String summary(PlanDiff.Summary s) {
        List<String> parts = new ArrayList<>();
        parts.add(s.phasesToRun() + " " + plural(s.phasesToRun(), "phase") + " to run, " + s.phasesSkipped() + " skipped");
        parts.add(s.steps() + " " + plural(s.steps(), "step"));
        parts.add(changeCounts(s.changes()));
        parts.add("worst case " + s.worstCase());
        if (s.unsetVariables() > 0) {
            parts.add(s.unsetVariables() + " unset " + plural(s.unsetVariables(), "variable"));
        }
        return "Plan: " + String.join("; ", parts) + ".";
    }

    /** The changes by action, unchanged ones only when a live preview found some. */
    static String changeCounts(PlanDiff.Changes c) {
        return c.create() + " to create, " + c.update() + " to update, " + c.delete() + " to destroy, " + c.unknown()
                + " known after apply" + (c.unchanged() > 0 ? ", " + c.unchanged() + " unchanged" : "");
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

    /** "requests cpu=250m memory=512Mi, limits cpu=1 memory=2Gi"; a quantity the plan leaves unset is empty. */
    static String resources(PlanDiff.ValidateJob job) {
        return "requests " + quantities(job.requests()) + ", limits " + quantities(job.limits());
    }

    static String quantities(PlanDiff.Resources r) {
        return "cpu=" + (r.cpu() == null ? "" : r.cpu()) + " memory=" + (r.memory() == null ? "" : r.memory());
    }

    private static String bases(List<String> files) {
        return files.isEmpty() ? "" : " (extends " + String.join(", ", files) + ")";
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
