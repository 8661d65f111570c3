package dev.dr.render;

import static dev.dr.render.TicketRenderer.code;
import static dev.dr.render.TicketRenderer.escape;
import static dev.dr.render.TicketRenderer.stepNames;
import static dev.dr.render.TicketRenderer.valueOr;

import dev.dr.diff.PlanDiff;
import dev.dr.plan.model.PhaseName;
import java.util.ArrayList;
import java.util.List;

/**
 * The approval and rollback paths of the change-ticket document: how the promote gate is
 * passed, and how the change is undone (teardown, failback). From the plan-diff records only.
 */
final class TicketPaths {

    private TicketPaths() {}

    static void approval(StringBuilder b, PlanDiff d, String ticket) {
        b.append("## Approval path\n\n");
        boolean any = false;
        for (PlanDiff.Phase p : d.phases()) {
            if (!p.runs() || p.execution().approval() == null) {
                continue;
            }
            any = true;
            PlanDiff.Approval a = p.execution().approval();
            String name = code(p.name().id());
            String timeout = a.timeout();
            switch (a.mode()) {
                case "dr-approve" -> b.append("- ").append(name).append(" waits for an approval")
                        .append("none".equals(timeout) ? ", without a time limit" : " for at most " + timeout)
                        .append(". The approver records it once with `dr approve RUN_ID --approver NAME")
                        .append(a.ticketRequired() ? " --ticket " + escape(ticket) + "` (the plan requires the ticket)"
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
        for (PlanDiff.Phase p : d.phases()) {
            if (p.name() == PhaseName.PROMOTE && !p.runs()) {
                any = true;
                b.append("- Not reached: `promote` is skipped (").append(code(p.reason().kind().id())).append(": ")
                        .append(escape(p.reason().detail()))
                        .append("). No approval is asked for, and the DR publish pointers are not made canonical.\n");
            }
        }
        if (!any) {
            b.append("- No phase of this plan waits for an approval.\n");
        }
        b.append('\n');
    }

    static void rollback(StringBuilder b, PlanDiff d) {
        b.append("## Rollback path\n\n");
        PlanDiff.Phase teardown = d.phase(PhaseName.TEARDOWN);
        if (teardown == null) {
            b.append("- Teardown: this plan has no `teardown` phase.\n");
        } else if (teardown.runs()) {
            b.append("- Teardown: in this change. `teardown` runs last (").append(stepNames(teardown))
                    .append(") and fails unless no DR runner is left.\n");
        } else {
            b.append("- Teardown: not in this change (").append(code(teardown.reason().kind().id())).append(": ")
                    .append(escape(teardown.reason().detail()))
                    .append("). The DR environment stays up afterwards; when it is no longer needed, tear it down with"
                            + " `dr apply plans/teardown.yaml` (the runbook's `--start-at teardown --teardown true`), which"
                            + " fails unless no DR runner is left.\n");
        }
        PlanDiff.Phase promote = d.phase(PhaseName.PROMOTE);
        PlanDiff.Phase failback = d.phase(PhaseName.FAILBACK);
        if (failback != null && failback.runs()) {
            b.append("- Failback: this change is the failback itself. It asks for two confirmations (`FAILBACK`, then"
                    + " `CONFIRM-<dr_run_id>`) and stops at the first failing check, before the pointers are handed back;"
                    + " rerun it once the cause is fixed.\n");
        } else if (promote != null && promote.runs()) {
            PlanDiff.Inputs in = d.inputs();
            b.append("- Failback: after the promotion, return to primary with `dr failback --bucket ")
                    .append(valueOr(in.bucket(), "BUCKET")).append(" --prefix ")
                    .append(valueOr(in.prefix(), "PREFIX"))
                    .append(" --dr-run-id RUN_ID --kubeconfig-dr FILE` (`plans/failback.yaml`; `--dry-run` previews it):"
                            + " two confirmations, DR-promoted check, freeze, divergence check, pointers handed back to"
                            + " primary, then teardown.\n");
        } else {
            b.append("- Failback: not needed. This change does not promote DR, so primary's publish pointers stay"
                    + " canonical.\n");
        }
        b.append('\n');
    }

    static String approvalInOneLine(PlanDiff d) {
        List<String> out = new ArrayList<>();
        for (PlanDiff.Phase p : d.phases()) {
            if (p.runs() && p.execution().approval() != null) {
                String mode = p.execution().approval().mode();
                out.add(p.name().id() + ": " + switch (mode) {
                    case "dr-approve" -> "waits for `dr approve`";
                    case "bypass-recorded" -> "drill bypass, recorded";
                    default -> "no approval needed";
                });
            } else if (p.name() == PhaseName.PROMOTE && !p.runs()) {
                out.add("not reached (promote skipped)");
            }
        }
        return out.isEmpty() ? "none needed" : String.join("; ", out);
    }

    static String rollbackInOneLine(PlanDiff d) {
        PlanDiff.Phase teardown = d.phase(PhaseName.TEARDOWN);
        PlanDiff.Phase promote = d.phase(PhaseName.PROMOTE);
        PlanDiff.Phase failback = d.phase(PhaseName.FAILBACK);
        String t = teardown == null ? "no teardown phase" : teardown.runs() ? "teardown runs last" : "teardown not in this change";
        String f = failback != null && failback.runs() ? "this is the failback"
                : promote != null && promote.runs() ? "failback with `dr failback`" : "no failback needed";
        return t + "; " + f;
    }
}
