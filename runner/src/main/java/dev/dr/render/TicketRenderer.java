package dev.dr.render;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The change-ticket document: the plan-diff retold for a change manager, in Markdown.
 * Rendered from the plan-diff document only, like the other renderers, so the ticket says
 * exactly what {@code dr plan} computed, and the planDigest it quotes is the document's own.
 * The ticket id is the document's title; it is not part of the plan-diff.
 */
public final class TicketRenderer {

    private final String ticket;

    /** @param ticket the change ticket the document is for, already checked by the caller */
    public TicketRenderer(String ticket) {
        this.ticket = ticket;
    }

    public String render(JsonNode d) {
        StringBuilder b = new StringBuilder();
        JsonNode plan = d.get("plan");
        b.append("# ").append(escape(ticket)).append(": DR drill ").append(code(plan.get("name").asString())).append("\n\n");
        b.append("> Change-ticket preview of ").append(code(plan.get("file").asString()))
                .append(", rendered by dr from the plan-diff. Producing it ran nothing and changed nothing.\n\n");
        if (!plan.get("description").asString().isEmpty()) {
            b.append(escape(plan.get("description").asString())).append("\n\n");
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

    private void summary(StringBuilder b, JsonNode d) {
        JsonNode plan = d.get("plan");
        JsonNode t = d.get("target");
        JsonNode in = d.get("inputs");
        b.append("## Summary\n\n| | |\n| --- | --- |\n");
        row(b, "Change ticket", code(ticket));
        row(b, "Plan", code(plan.get("name").asString()) + " in " + code(plan.get("file").asString())
                + (plan.get("extends").isEmpty() ? "" : " (extends " + codes(plan.get("extends")) + ")"));
        row(b, "Ticket in the plan", planTicket(plan.get("ticket").asString()));
        row(b, "Target", "account " + code(t.get("accountId").asString()) + ", region " + code(t.get("region").asString())
                + ", namespace " + code(t.get("namespace").asString()));
        row(b, "Image", code(in.get("imageRef").asString()));
        row(b, "Backup", code(in.get("backupUri").asString()));
        List<String> run = phases(d, true);
        List<String> skipped = phases(d, false);
        row(b, "What will run", run.size() + " " + plural(run.size(), "phase") + (run.isEmpty() ? "" : ": " + String.join(", ", run))
                + "; " + skipped.size() + " skipped" + (skipped.isEmpty() ? "" : ": " + String.join(", ", skipped)));
        row(b, "What will change", changeCounts(d.get("summary")));
        row(b, "Guards", guardCounts(d.get("guards")));
        row(b, "Approval", TicketPaths.approvalInOneLine(d));
        row(b, "Rollback", TicketPaths.rollbackInOneLine(d));
        row(b, "Worst-case duration", worstCase(d.get("summary").get("worstCase").asString()));
        row(b, "Plan digest", code(d.get("planDigest").asString()));
        b.append('\n');
    }

    private String planTicket(String inPlan) {
        if (inPlan.isEmpty()) {
            return "(none): the plan's `metadata.ticket` is empty";
        }
        return inPlan.equals(ticket) ? code(inPlan) + ", the same" : code(inPlan) + ", **not " + escape(ticket) + "**";
    }

    private void notices(StringBuilder b, JsonNode d) {
        if (!d.get("unsetVariables").isEmpty()) {
            b.append("> **Not final:** ").append(codes(d.get("unsetVariables")))
                    .append(" unset. `dr apply` refuses to run until they are set, and the plan digest changes when they"
                            + " are: set them and render this document again before it goes into the ticket.\n\n");
        }
        String inPlan = d.get("plan").get("ticket").asString();
        if (!inPlan.equals(ticket)) {
            b.append("> **Ticket:** the plan names ").append(inPlan.isEmpty() ? "no change ticket" : "the ticket " + code(inPlan))
                    .append(". The plan digest covers the plan's ticket, not this document's title: to run the drill under ")
                    .append(code(ticket)).append(", set it in the plan (`metadata.ticket`, or `CHANGE_TICKET` where the plan"
                            + " reads it) for both `dr plan` and `dr apply`.\n\n");
        }
        if (!d.get("warnings").isEmpty()) {
            b.append("**Warnings**\n\n");
            d.get("warnings").forEach(w -> b.append("- ").append(escape(w.asString())).append('\n'));
            b.append('\n');
        }
    }

    private void whatRuns(StringBuilder b, JsonNode d) {
        JsonNode r = d.get("run");
        b.append("## What will run\n\n");
        b.append("Boundaries: starts at ").append(r.get("startAt").isNull() ? "the first phase" : code(r.get("startAt").asString()))
                .append(", stops after ").append(r.get("stopAfter").isNull() ? "the last phase" : code(r.get("stopAfter").asString()))
                .append("; validate only ").append(yesNo(r.get("validateOnly"))).append(", teardown ").append(yesNo(r.get("teardown")))
                .append(", auto-promote ").append(yesNo(r.get("autoPromote"))).append(", promote bypass ")
                .append(yesNo(r.get("allowPromoteBypass"))).append(", full drill allowed ").append(yesNo(r.get("allowFullDrill")))
                .append(". A failed phase stops the drill: nothing after it runs.\n\n");
        if (!d.get("overrides").isEmpty()) {
            b.append("Overrides from the command line (`dr apply` needs the same):\n\n");
            for (JsonNode o : d.get("overrides")) {
                b.append("- ").append(code(o.get("path").asString() + " = " + o.get("value").asString()))
                        .append(" (").append(code(o.get("flag").asString())).append(")\n");
            }
            b.append('\n');
        }
        b.append("| Phase | Decision | Purpose |\n| --- | --- | --- |\n");
        for (JsonNode p : d.get("phases")) {
            String purpose = escape(p.get("description").asString());
            if (runs(p)) {
                b.append("| **").append(p.get("name").asString()).append("** | **run** | ").append(purpose).append(" |\n");
            } else {
                JsonNode reason = p.get("reason");
                b.append("| ").append(p.get("name").asString()).append(" | skip: ").append(code(reason.get("kind").asString()))
                        .append(" (").append(escape(reason.get("detail").asString())).append(") | ").append(purpose).append(" |\n");
            }
        }
        if (phases(d, true).isEmpty()) {
            b.append("\nNo phase runs.\n\n");
            return;
        }
        b.append("\nSteps, in the order they run:\n\n| Phase | Step | Preview |\n| --- | --- | --- |\n");
        for (JsonNode p : d.get("phases")) {
            if (!runs(p)) {
                continue;
            }
            for (JsonNode st : p.get("steps")) {
                b.append("| ").append(p.get("name").asString()).append(" | ").append(stepName(st)).append(" | ")
                        .append(st.get("preview").asString()).append("live".equals(st.path("source").asString()) ? ", live" : "")
                        .append(" |\n");
            }
        }
        b.append('\n');
    }

    private void whatChanges(StringBuilder b, JsonNode d) {
        b.append("## What will change\n\n").append(changeCounts(d.get("summary"))).append(".\n\n");
        List<String> readsOnly = new ArrayList<>();
        StringBuilder rows = new StringBuilder();
        for (JsonNode p : d.get("phases")) {
            if (!runs(p)) {
                continue;
            }
            for (JsonNode st : p.get("steps")) {
                if (st.get("changes").isEmpty()) {
                    readsOnly.add(stepName(st) + " (" + p.get("name").asString() + ")");
                }
                for (JsonNode c : st.get("changes")) {
                    rows.append("| ").append(p.get("name").asString()).append(" | ").append(stepName(st)).append(" | ")
                            .append(action(c.get("action").asString())).append(" | ").append(escape(c.get("resource").asString()))
                            .append(" |\n");
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

    private void guards(StringBuilder b, JsonNode d) {
        b.append("## Guards\n\n| Guard | Verdict | Check |\n| --- | --- | --- |\n");
        for (JsonNode g : d.get("guards")) {
            String verdict = g.get("verdict").asString();
            b.append("| ").append(g.get("name").asString()).append(" | ")
                    .append("refused".equals(verdict) || "not-checked-yet".equals(verdict) ? "**" + verdict + "**" : verdict)
                    .append(" | ").append(escape(g.get("check").asString())).append(" (").append(escape(g.get("detail").asString()))
                    .append(") |\n");
        }
        b.append("\n`ok`: holds now. `at-apply`: checked by `dr apply` right before the first change; a refusal stops the"
                + " drill with nothing run. `not-applicable`: does not concern this plan. `not-checked-yet`: not performed"
                + " by this release of dr; check it by hand. `refused`: `dr apply` will not run this plan.\n\n");
    }

    private void duration(StringBuilder b, JsonNode d) {
        b.append("## Worst-case duration\n\n")
                .append("Per phase: attempts x timeout, plus the backoff waits between attempts, plus the longest approval"
                        + " wait. The total is the sum over the phases that run.\n\n")
                .append("| Phase | Attempts | Timeout per attempt | Retries | Approval wait | Worst case |\n")
                .append("| --- | --- | --- | --- | --- | --- |\n");
        for (JsonNode p : d.get("phases")) {
            if (!runs(p)) {
                continue;
            }
            JsonNode r = p.get("retry");
            int attempts = r.get("maxAttempts").asInt();
            JsonNode bo = r.get("backoff");
            String retries = attempts == 1 ? "none" : "on " + String.join(", ", texts(r.get("retryOn"))) + "; backoff "
                    + bo.get("initial").asString() + " x" + bo.get("multiplier").asString() + " up to " + bo.get("max").asString();
            String wait = !p.has("approval") || !"dr-approve".equals(p.get("approval").get("mode").asString()) ? "none"
                    : "none".equals(p.get("approval").get("timeout").asString()) ? "no time limit"
                    : p.get("approval").get("timeout").asString();
            b.append("| ").append(p.get("name").asString()).append(" | ").append(attempts).append(" | ")
                    .append("none".equals(p.get("timeout").asString()) ? "no time limit" : p.get("timeout").asString()).append(" | ")
                    .append(retries).append(" | ").append(wait).append(" | ").append(r.get("worstCase").asString()).append(" |\n");
        }
        b.append("| **Total** | | | | | **").append(d.get("summary").get("worstCase").asString()).append("** |\n\n");
        if ("unbounded".equals(d.get("summary").get("worstCase").asString())) {
            b.append("Unbounded: a phase that runs has no timeout, or waits for an approval without a time limit.\n\n");
        }
    }

    private void digest(StringBuilder b, JsonNode d) {
        b.append("## Plan digest\n\n").append(code(d.get("planDigest").asString())).append("\n\n")
                .append("The receipts of this drill carry this digest when it is applied with the same plan files, variables and"
                        + " overrides. `dr plan ").append(d.get("plan").get("file").asString().replace("`", "'"))
                .append(" --out FILE` saves exactly this plan-diff, and `dr apply FILE` refuses to run when the plan no longer"
                        + " gives it. A change of the plan, of a plan it extends or of a variable changes the digest: render this"
                        + " document again.\n");
    }

    private static String changeCounts(JsonNode s) {
        JsonNode c = s.get("changes");
        return c.get("create").asInt() + " to create, " + c.get("update").asInt() + " to update, " + c.get("delete").asInt()
                + " to destroy, " + c.get("unknown").asInt() + " known after apply"
                + (c.path("unchanged").asInt(0) > 0 ? ", " + c.get("unchanged").asInt() + " unchanged" : "");
    }

    private static String guardCounts(JsonNode guards) {
        java.util.Map<String, Integer> n = new java.util.TreeMap<>();
        guards.forEach(g -> n.merge(g.get("verdict").asString(), 1, Integer::sum));
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

    private static List<String> phases(JsonNode d, boolean run) {
        List<String> out = new ArrayList<>();
        d.get("phases").forEach(p -> {
            if (runs(p) == run) {
                out.add(p.get("name").asString());
            }
        });
        return out;
    }

    static JsonNode phase(JsonNode d, String name) {
        for (JsonNode p : d.get("phases")) {
            if (name.equals(p.get("name").asString())) {
                return p;
            }
        }
        return null;
    }

    static boolean runs(JsonNode p) {
        return "run".equals(p.get("decision").asString());
    }

    static String stepName(JsonNode st) {
        String name = st.get("name").asString();
        String uses = st.get("uses").asString();
        return code(name) + (name.equals(uses) ? "" : " (" + code(uses) + ")");
    }

    static String stepNames(JsonNode p) {
        List<String> out = new ArrayList<>();
        p.get("steps").forEach(st -> out.add(stepName(st)));
        return String.join(", ", out);
    }

    static String valueOr(String v, String placeholder) {
        // unset and masked values show as "(...)" in the plan-diff; a command line wants a placeholder
        return v.isEmpty() || v.startsWith("(") ? placeholder : escape(v);
    }

    private static String yesNo(JsonNode v) {
        return v.asBoolean() ? "yes" : "no";
    }

    private static List<String> texts(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asString()));
        return out;
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

    private static String codes(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(code(n.asString())));
        return String.join(", ", out);
    }

    static String escape(String s) {
        return s.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }
}
