package dev.dr.render;

import dev.dr.diff.PlanDiff;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The plan-diff as Markdown, for pull-request comments and change tickets; rendered from the plan-diff records only. */
public final class MarkdownRenderer {

    public String render(PlanDiff d) {
        StringBuilder b = new StringBuilder();
        PlanDiff.Header plan = d.plan();
        b.append("## dr plan: `").append(plan.name()).append("`\n\n");
        if (!plan.description().isEmpty()) {
            b.append(escape(plan.description())).append("\n\n");
        }
        PlanDiff.Target t = d.target();
        PlanDiff.Inputs in = d.inputs();
        PlanDiff.Sizing s = d.sizing();
        PlanDiff.ValidateJob job = s.validateJob();
        b.append("| | |\n| --- | --- |\n");
        row(b, "File", code(plan.file()) + (plan.bases().isEmpty() ? "" : " (extends " + codes(plan.bases()) + ")"));
        row(b, "Ticket", plan.ticket().isEmpty() ? "(none)" : escape(plan.ticket()));
        row(b, "Target", "account " + code(t.accountId()) + from(d, "target.accountId") + ", region " + code(t.region())
                + from(d, "target.region") + ", namespace " + code(t.namespace()) + from(d, "target.namespace"));
        row(b, "Image", code(in.imageRef()) + from(d, "inputs.imageRef"));
        row(b, "Backup", code(in.backupUri()) + from(d, "inputs.backupUri"));
        row(b, "Sizing", code(s.instanceType()) + from(d, "sizing.instanceType") + "; validate Job requests " + code(TextRenderer.quantities(job.requests()))
                + ", limits " + code(TextRenderer.quantities(job.limits())));
        row(b, "Plan digest", code(d.planDigest()));
        b.append('\n');
        if (!d.overrides().isEmpty()) {
            b.append("**Overrides from the command line**\n\n");
            for (PlanDiff.Overridden o : d.overrides()) {
                b.append("- ").append(code(o.path() + " = " + o.value())).append(" (").append(code(o.flag())).append(")\n");
            }
            b.append('\n');
        }
        sources(b, d);
        if (!d.unsetVariables().isEmpty()) {
            b.append("> **Unset variables** (dr apply refuses to run until they are set): ")
                    .append(codes(d.unsetVariables())).append("\n\n");
        }
        if (!d.warnings().isEmpty()) {
            b.append("**Warnings**\n\n");
            d.warnings().forEach(w -> b.append("- ").append(escape(w)).append('\n'));
            b.append('\n');
        }
        b.append("### Phases\n\n| Phase | Decision | Details |\n| --- | --- | --- |\n");
        for (PlanDiff.Phase p : d.phases()) {
            if (!p.runs()) {
                b.append("| ").append(p.name().id()).append(" | skip | ").append(code(p.reason().kind().id()))
                        .append(": ").append(escape(p.reason().detail())).append(" |\n");
            } else {
                b.append("| **").append(p.name().id()).append("** | **run** | ")
                        .append(escape(TextRenderer.retry(p.execution()))).append(" |\n");
            }
        }
        for (PlanDiff.Phase p : d.phases()) {
            if (!p.runs()) {
                continue;
            }
            b.append("\n#### ").append(p.name().id()).append("\n\n");
            PlanDiff.Approval a = p.execution().approval();
            if (a != null) {
                b.append("Approval: ").append(code(a.mode())).append(a.ticketRequired() ? ", ticket required" : "")
                        .append(TextRenderer.waitText(a.timeout())).append(".\n\n");
            }
            b.append("```diff\n");
            for (PlanDiff.Step st : p.execution().steps()) {
                b.append("+ ").append(st.name());
                b.append("  preview: ").append(st.preview().id()).append('\n');
                for (Map.Entry<String, JsonNode> e : st.settings().entrySet()) {
                    b.append("    ").append(e.getKey()).append(" = ").append(TextRenderer.value(e.getValue())).append('\n');
                }
                if (st.changes().isEmpty()) {
                    b.append("    (reads only; changes nothing)\n");
                }
                for (PlanDiff.StepChange c : st.changes()) {
                    // the diff block colours + and - lines; ~ and ? stay plain
                    String line = TextRenderer.change(c, Style.PLAIN);
                    b.append(line.startsWith("+") || line.startsWith("-") ? line.charAt(0) + "   " + line.substring(2)
                            : "    " + line).append('\n');
                }
            }
            b.append("```\n");
        }
        b.append("\n### Guards\n\n| Guard | Verdict | Check |\n| --- | --- | --- |\n");
        for (PlanDiff.Guard g : d.guards()) {
            b.append("| ").append(g.name()).append(" | ").append(g.verdict().id()).append(" | ")
                    .append(escape(g.check())).append(" (").append(escape(g.detail())).append(") |\n");
        }
        b.append("\n**").append(escape(TextRenderer.summary(d.summary()))).append("**\n");
        return b.toString();
    }

    /** The plan values set environment variables gave, each with the variables. */
    static void sources(StringBuilder b, PlanDiff d) {
        if (d.sources().isEmpty()) {
            return;
        }
        b.append("**Values from the environment**\n\n");
        d.sources().keySet().forEach(path -> b.append("- ").append(code(path)).append(" from ")
                .append(code(d.sourceOf(path))).append('\n'));
        b.append('\n');
    }

    private static String from(PlanDiff d, String path) {
        String from = TextRenderer.from(d, path);
        return from.isEmpty() ? "" : escape(from);
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    private static String code(String s) {
        return s.isEmpty() ? "(none)" : "`" + s.replace("`", "'") + "`";
    }

    private static String codes(List<String> values) {
        StringBuilder b = new StringBuilder();
        values.forEach(v -> b.append(b.length() == 0 ? "" : ", ").append(code(v)));
        return b.toString();
    }

    private static String escape(String s) {
        return s.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }
}
