package dev.dr.render;

import dev.dr.diff.PlanDiff;
import java.util.ArrayList;
import java.util.List;

/**
 * The change-ticket document: the plan-diff retold for a change manager, in Markdown.
 * Rendered from the plan-diff records only, like the other renderers, so the ticket says
 * exactly what {@code dr plan} computed, and the planDigest it quotes is the document's own.
 * The ticket id is the document's title; it is not part of the plan-diff.
 */
public final class TicketRenderer {

    private final String ticket;

    /** @param ticket the change ticket the document is for, already checked by the caller */
    public TicketRenderer(String ticket) {
        this.ticket = ticket;
    }

    public String render(PlanDiff d) {
        StringBuilder b = new StringBuilder();
        PlanDiff.Header plan = d.plan();
        b.append("# ").append(escape(ticket)).append(": DR drill ").append(code(plan.name())).append("\n\n");
        b.append("> Change-ticket preview of ").append(code(plan.file()))
                .append(", rendered by dr from the plan-diff. Producing it ran nothing and changed nothing.\n\n");
        if (!plan.description().isEmpty()) {
            b.append(escape(plan.description())).append("\n\n");
        }
        summary(b, d);
        notices(b, d);
        whatRuns(b, d);
        whatChanges(b, d);
        guards(b, d);
        TicketPaths.approval(b, d, ticket);
        TicketPaths.rollback(b, d);
        duration(b, d);
        digest(b, d);
        return b.toString();
    }

    private void summary(StringBuilder b, PlanDiff d) {
        PlanDiff.Header plan = d.plan();
        PlanDiff.Target t = d.target();
        PlanDiff.Inputs in = d.inputs();
        b.append("## Summary\n\n| | |\n| --- | --- |\n");
        row(b, "Change ticket", code(ticket));
        row(b, "Plan", code(plan.name()) + " in " + code(plan.file())
                + (plan.bases().isEmpty() ? "" : " (extends " + codes(plan.bases()) + ")"));
        row(b, "Ticket in the plan", planTicket(plan.ticket()));
        row(b, "Target", "account " + code(t.accountId()) + ", region " + code(t.region())
                + ", namespace " + code(t.namespace()));
        row(b, "Image", code(in.imageRef()));
        row(b, "Backup", code(in.backupUri()));
        List<String> run = phases(d, true);
        List<String> skipped = phases(d, false);
        row(b, "What will run", run.size() + " " + plural(run.size(), "phase") + (run.isEmpty() ? "" : ": " + String.join(", ", run))
                + "; " + skipped.size() + " skipped" + (skipped.isEmpty() ? "" : ": " + String.join(", ", skipped)));
        row(b, "What will change", TextRenderer.changeCounts(d.summary().changes()));
        row(b, "Guards", guardCounts(d.guards()));
        row(b, "Approval", TicketPaths.approvalInOneLine(d));
        row(b, "Rollback", TicketPaths.rollbackInOneLine(d));
        row(b, "Worst-case duration", worstCase(d.summary().worstCase()));
        row(b, "Plan digest", code(d.planDigest()));
        b.append('\n');
    }

    private String planTicket(String inPlan) {
        if (inPlan.isEmpty()) {
            return "(none): the plan's `metadata.ticket` is empty";
        }
        return inPlan.equals(ticket) ? code(inPlan) + ", the same" : code(inPlan) + ", **not " + escape(ticket) + "**";
    }

    private void notices(StringBuilder b, PlanDiff d) {
        if (!d.unsetVariables().isEmpty()) {
            b.append("> **Not final:** ").append(codes(d.unsetVariables()))
                    .append(" unset. `dr apply` refuses to run until they are set, and the plan digest changes when they"
                            + " are: set them and render this document again before it goes into the ticket.\n\n");
        }
        String inPlan = d.plan().ticket();
        if (!inPlan.equals(ticket)) {
            b.append("> **Ticket:** the plan names ").append(inPlan.isEmpty() ? "no change ticket" : "the ticket " + code(inPlan))
                    .append(". The plan digest covers the plan's ticket, not this document's title: to run the drill under ")
                    .append(code(ticket)).append(", set it in the plan (`metadata.ticket`, or `CHANGE_TICKET` where the plan"
                            + " reads it) for both `dr plan` and `dr apply`.\n\n");
        }
        if (!d.warnings().isEmpty()) {
            b.append("**Warnings**\n\n");
            d.warnings().forEach(w -> b.append("- ").append(escape(w)).append('\n'));
            b.append('\n');
        }
    }

    private void whatRuns(StringBuilder b, PlanDiff d) {
        PlanDiff.Run r = d.run();
        b.append("## What will run\n\n");
        b.append("Boundaries: starts at ").append(r.startAt() == null ? "the first phase" : code(r.startAt()))
                .append(", stops after ").append(r.stopAfter() == null ? "the last phase" : code(r.stopAfter()))
                .append("; validate only ").append(yesNo(r.validateOnly())).append(", teardown ").append(yesNo(r.teardown()))
                .append(", auto-promote ").append(yesNo(r.autoPromote())).append(", promote bypass ")
                .append(yesNo(r.allowPromoteBypass())).append(", full drill allowed ").append(yesNo(r.allowFullDrill()))
                .append(". A failed phase stops the drill: nothing after it runs.\n\n");
        if (!d.overrides().isEmpty()) {
            b.append("Overrides from the command line (`dr apply` needs the same):\n\n");
            for (PlanDiff.Overridden o : d.overrides()) {
                b.append("- ").append(code(o.path() + " = " + o.value())).append(" (").append(code(o.flag())).append(")\n");
            }
            b.append('\n');
        }
        MarkdownRenderer.sources(b, d);
        b.append("| Phase | Decision | Purpose |\n| --- | --- | --- |\n");
        for (PlanDiff.Phase p : d.phases()) {
            String purpose = escape(p.description());
            if (p.runs()) {
                b.append("| **").append(p.name().id()).append("** | **run** | ").append(purpose).append(" |\n");
            } else {
                PlanDiff.Reason reason = p.reason();
                b.append("| ").append(p.name().id()).append(" | skip: ").append(code(reason.kind().id()))
                        .append(" (").append(escape(reason.detail())).append(") | ").append(purpose).append(" |\n");
            }
        }
        if (phases(d, true).isEmpty()) {
            b.append("\nNo phase runs.\n\n");
            return;
        }
        b.append("\nSteps, in the order they run:\n\n| Phase | Step | Preview |\n| --- | --- | --- |\n");
        for (PlanDiff.Phase p : running(d)) {
            for (PlanDiff.Step st : p.execution().steps()) {
                b.append("| ").append(p.name().id()).append(" | ").append(stepName(st)).append(" | ")
                        .append(st.preview().id()).append(st.live() ? ", live" : "").append(" |\n");
            }
        }
        b.append('\n');
    }

    private void whatChanges(StringBuilder b, PlanDiff d) {
        b.append("## What will change\n\n").append(TextRenderer.changeCounts(d.summary().changes())).append(".\n\n");
        List<String> readsOnly = new ArrayList<>();
        StringBuilder rows = new StringBuilder();
        for (PlanDiff.Phase p : running(d)) {
            for (PlanDiff.Step st : p.execution().steps()) {
                if (st.changes().isEmpty()) {
                    readsOnly.add(stepName(st) + " (" + p.name().id() + ")");
                }
                for (PlanDiff.StepChange c : st.changes()) {
                    rows.append("| ").append(p.name().id()).append(" | ").append(stepName(st)).append(" | ")
                            .append(action(c.action())).append(" | ").append(escape(c.resource())).append(" |\n");
                }
            }
        }
        if (rows.length() > 0) {
            b.append("| Phase | Step | Change | Resource |\n| --- | --- | --- | --- |\n").append(rows).append('\n');
        }
        if (!readsOnly.isEmpty()) {
            b.append("Read only, change nothing: ").append(String.join(", ", readsOnly)).append(".\n\n");
        }
        b.append("\"Known after apply\": what changes depends on live state that this preview did not read.\n\n");
    }

    private void guards(StringBuilder b, PlanDiff d) {
        b.append("## Guards\n\n| Guard | Verdict | Check |\n| --- | --- | --- |\n");
        for (PlanDiff.Guard g : d.guards()) {
            String verdict = g.verdict().id();
            boolean loud = g.verdict() == PlanDiff.GuardVerdict.REFUSED || g.verdict() == PlanDiff.GuardVerdict.NOT_CHECKED_YET;
            b.append("| ").append(g.name()).append(" | ").append(loud ? "**" + verdict + "**" : verdict)
                    .append(" | ").append(escape(g.check())).append(" (").append(escape(g.detail())).append(") |\n");
        }
        b.append("\n`ok`: holds now. `at-apply`: checked by `dr apply` right before the first change; a refusal stops the"
                + " drill with nothing run. `not-applicable`: does not concern this plan. `not-checked-yet`: not performed"
                + " by this release of dr; check it by hand. `refused`: `dr apply` will not run this plan.\n\n");
    }

    private void duration(StringBuilder b, PlanDiff d) {
        b.append("## Worst-case duration\n\n")
                .append("Per phase: attempts x timeout, plus the backoff waits between attempts, plus the longest approval"
                        + " wait. The total is the sum over the phases that run.\n\n")
                .append("| Phase | Attempts | Timeout per attempt | Retries | Approval wait | Worst case |\n")
                .append("| --- | --- | --- | --- | --- | --- |\n");
        for (PlanDiff.Phase p : running(d)) {
            PlanDiff.Execution e = p.execution();
            PlanDiff.Retry r = e.retry();
            int attempts = r.maxAttempts();
            PlanDiff.Backoff bo = r.backoff();
            String retries = attempts == 1 ? "none" : "on " + String.join(", ", r.retryOn()) + "; backoff "
                    + bo.initial() + " x" + bo.multiplierText() + " up to " + bo.max() + TextRenderer.budgetFrom(r);
            PlanDiff.Approval a = e.approval();
            String wait = a == null || !"dr-approve".equals(a.mode()) ? "none"
                    : "none".equals(a.timeout()) ? "no time limit" : a.timeout();
            b.append("| ").append(p.name().id()).append(" | ").append(attempts).append(" | ")
                    .append("none".equals(e.timeout()) ? "no time limit" : e.timeout()).append(" | ")
                    .append(retries).append(" | ").append(wait).append(" | ").append(r.worstCase()).append(" |\n");
        }
        b.append("| **Total** | | | | | **").append(d.summary().worstCase()).append("** |\n\n");
        if ("unbounded".equals(d.summary().worstCase())) {
            b.append("Unbounded: a phase that runs has no timeout, or waits for an approval without a time limit.\n\n");
        }
    }

    private void digest(StringBuilder b, PlanDiff d) {
        b.append("## Plan digest\n\n").append(code(d.planDigest())).append("\n\n")
                .append("The receipts of this drill carry this digest when it is applied with the same plan files, variables and"
                        + " overrides. `dr plan ").append(d.plan().file().replace("`", "'"))
                .append(" --out FILE` saves exactly this plan-diff, and `dr apply FILE` refuses to run when the plan no longer"
                        + " gives it. A change of the plan, of a plan it extends or of a variable changes the digest: render this"
                        + " document again.\n");
    }

    private static String guardCounts(List<PlanDiff.Guard> guards) {
        java.util.Map<String, Integer> n = new java.util.TreeMap<>();
        guards.forEach(g -> n.merge(g.verdict().id(), 1, Integer::sum));
        List<String> out = new ArrayList<>();
        // the order of concern: a refusal first, then what nobody checks
        for (String v : List.of("refused", "not-checked-yet", "at-apply", "ok", "not-applicable")) {
            if (n.containsKey(v)) {
                out.add(("refused".equals(v) ? "**" + n.get(v) + " refused**" : n.get(v) + " " + v));
            }
        }
        return String.join(", ", out);
    }

    private static String action(String a) {
        return switch (a) {
            case "create" -> "create";
            case "update" -> "update";
            case "delete" -> "**destroy**";
            case "unchanged" -> "unchanged";
            default -> "known after apply";
        };
    }

    private static String worstCase(String w) {
        return "unbounded".equals(w) ? "**unbounded**" : w;
    }

    private static List<String> phases(PlanDiff d, boolean run) {
        return d.phases().stream().filter(p -> p.runs() == run).map(p -> p.name().id()).toList();
    }

    static List<PlanDiff.Phase> running(PlanDiff d) {
        return d.phases().stream().filter(PlanDiff.Phase::runs).toList();
    }

    static String stepName(PlanDiff.Step st) {
        return code(st.name()) + (st.name().equals(st.uses()) ? "" : " (" + code(st.uses()) + ")");
    }

    static String stepNames(PlanDiff.Phase p) {
        return String.join(", ", p.execution().steps().stream().map(TicketRenderer::stepName).toList());
    }

    static String valueOr(String v, String placeholder) {
        // unset and masked values show as "(...)" in the plan-diff; a command line wants a placeholder
        return v.isEmpty() || v.startsWith("(") ? placeholder : escape(v);
    }

    private static String yesNo(boolean v) {
        return v ? "yes" : "no";
    }

    private static String plural(int n, String word) {
        return n == 1 ? word : word + "s";
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    static String code(String s) {
        return s.isEmpty() ? "(none)" : "`" + s.replace("`", "'").replace("|", "\\|") + "`";
    }

    private static String codes(List<String> values) {
        return String.join(", ", values.stream().map(TicketRenderer::code).toList());
    }

    static String escape(String s) {
        return s.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }
}
