package dev.dr.render;

import static dev.dr.render.TicketRenderer.code;
import static dev.dr.render.TicketRenderer.escape;
import static dev.dr.render.TicketRenderer.phase;
import static dev.dr.render.TicketRenderer.runs;
import static dev.dr.render.TicketRenderer.stepNames;
import static dev.dr.render.TicketRenderer.valueOr;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The approval and rollback paths of the change-ticket document: how the promote gate is
 * passed, and how the change is undone (teardown, failback). From the plan-diff only.
 */
final class TicketPaths {

    private TicketPaths() {}

    static void approval(StringBuilder b, JsonNode d, String ticket) {
        b.append("## Approval path\n\n");
        boolean any = false;
        for (JsonNode p : d.get("phases")) {
            if (!runs(p) || !p.has("approval")) {
                continue;
            }
            any = true;
            JsonNode a = p.get("approval");
            String name = code(p.get("name").asString());
            String timeout = a.get("timeout").asString();
            switch (a.get("mode").asString()) {
                case "dr-approve" -> b.append("- ").append(name).append(" waits for an approval")
                        .append("none".equals(timeout) ? ", without a time limit" : " for at most " + timeout)
                        .append(". The approver records it once with `dr approve RUN_ID --approver NAME")
                        .append(a.get("ticketRequired").asBoolean() ? " --ticket " + escape(ticket) + "` (the plan requires the ticket)"
                                : "` (a ticket may be given with `--ticket`)")
                        .append("; the approval names the run's plan digest, and one given for another digest does not open"
                                + " the gate.")
                        .append("none".equals(timeout) ? "" : " Without an approval in time, the phase fails and nothing"
                                + " after it runs; approve, then continue with `dr apply FILE --resume RUN_DIR`.")
                        .append('\n');
                case "bypass-recorded" -> b.append("- ").append(name).append(" runs without waiting for an approval: the"
                        + " drill bypass (`allowPromoteBypass`) is recorded in the receipt in place of an approval. The runbook"
                        + " allows this for controlled rehearsals only, never for a production promotion.\n");
                default -> b.append("- ").append(name).append(" needs no approval.\n");
            }
        }
        for (JsonNode p : d.get("phases")) {
            if ("promote".equals(p.get("name").asString()) && !runs(p)) {
                any = true;
                b.append("- Not reached: `promote` is skipped (").append(code(p.get("reason").get("kind").asString())).append(": ")
                        .append(escape(p.get("reason").get("detail").asString()))
                        .append("). No approval is asked for, and the DR publish pointers are not made canonical.\n");
            }
        }
        if (!any) {
            b.append("- No phase of this plan waits for an approval.\n");
        }
        b.append('\n');
    }

    static void rollback(StringBuilder b, JsonNode d) {
        b.append("## Rollback path\n\n");
        JsonNode teardown = phase(d, "teardown");
        if (teardown == null) {
            b.append("- Teardown: this plan has no `teardown` phase.\n");
        } else if (runs(teardown)) {
            b.append("- Teardown: in this change. `teardown` runs last (").append(stepNames(teardown))
                    .append(") and fails unless no DR runner is left.\n");
        } else {
            b.append("- Teardown: not in this change (").append(code(teardown.get("reason").get("kind").asString())).append(": ")
                    .append(escape(teardown.get("reason").get("detail").asString()))
                    .append("). The DR environment stays up afterwards; when it is no longer needed, tear it down with"
                            + " `dr apply plans/teardown.yaml` (the runbook's `--start-at teardown --teardown true`), which"
                            + " fails unless no DR runner is left.\n");
        }
        JsonNode promote = phase(d, "promote");
        JsonNode failback = phase(d, "failback");
        if (failback != null && runs(failback)) {
            b.append("- Failback: this change is the failback itself. It asks for two confirmations (`FAILBACK`, then"
                    + " `CONFIRM-<dr_run_id>`) and stops at the first failing check, before the pointers are handed back;"
                    + " rerun it once the cause is fixed.\n");
        } else if (promote != null && runs(promote)) {
            JsonNode in = d.get("inputs");
            b.append("- Failback: after the promotion, return to primary with `dr failback --bucket ")
                    .append(valueOr(in.get("bucket").asString(), "BUCKET")).append(" --prefix ")
                    .append(valueOr(in.get("prefix").asString(), "PREFIX"))
                    .append(" --dr-run-id RUN_ID --kubeconfig-dr FILE` (`plans/failback.yaml`; `--dry-run` previews it):"
                            + " two confirmations, DR-promoted check, freeze, divergence check, pointers handed back to"
                            + " primary, then teardown.\n");
        } else {
            b.append("- Failback: not needed. This change does not promote DR, so primary's publish pointers stay"
                    + " canonical.\n");
        }
        b.append('\n');
    }

    static String approvalInOneLine(JsonNode d) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : d.get("phases")) {
            if (runs(p) && p.has("approval")) {
                String mode = p.get("approval").get("mode").asString();
                out.add(p.get("name").asString() + ": " + switch (mode) {
                    case "dr-approve" -> "waits for `dr approve`";
                    case "bypass-recorded" -> "drill bypass, recorded";
                    default -> "no approval needed";
                });
            } else if ("promote".equals(p.get("name").asString()) && !runs(p)) {
                out.add("not reached (promote skipped)");
            }
        }
        return out.isEmpty() ? "none needed" : String.join("; ", out);
    }

    static String rollbackInOneLine(JsonNode d) {
        JsonNode teardown = phase(d, "teardown");
        JsonNode promote = phase(d, "promote");
        String t = teardown == null ? "no teardown phase" : runs(teardown) ? "teardown runs last" : "teardown not in this change";
        String f = phase(d, "failback") != null && runs(phase(d, "failback")) ? "this is the failback"
                : promote != null && runs(promote) ? "failback with `dr failback`" : "no failback needed";
        return t + "; " + f;
    }
}
