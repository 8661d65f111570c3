package dev.dr.cli;

import dev.dr.approval.ApprovalStore;
import dev.dr.approval.FileApprovalGate;
import dev.dr.command.Context;
import dev.dr.plan.model.Phase;
import dev.dr.plan.model.PhaseName;
import dev.dr.plan.model.Plan;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;

/**
 * The approval gate of a run: a gated phase waits until {@code dr approve} records an approval
 * for the run's planDigest, or for one a resumed run ran under before (its static digest is the
 * same; only live state moved). A drill with allowPromoteBypass passes the gate, and its
 * receipt records the bypass.
 */
final class RunApproval {
    private RunApproval() {}

    static dev.dr.engine.ApprovalGate gate(Context ctx, Plan plan, Path runDir, String planDigest,
                                           Set<String> earlierDigests, Clock clock) {
        FileApprovalGate files = new FileApprovalGate(new ApprovalStore(runDir), planDigest, earlierDigests, clock,
                line -> {
                    ctx.err().println("  " + line);
                    ctx.err().flush();
                });
        Set<PhaseName> bypassed = bypassed(plan);
        return (phase, id) -> bypassed.contains(phase.name()) ? null : files.await(phase, id);
    }

    /** Phases whose approval gate the plan bypasses (a drill with allowPromoteBypass). */
    static Set<PhaseName> bypassed(Plan plan) {
        Set<PhaseName> out = EnumSet.noneOf(PhaseName.class);
        if (plan.run().allowPromoteBypass()) {
            for (Phase p : plan.phases()) {
                if (p.approval() != null && p.approval().required()) {
                    out.add(p.name());
                }
            }
        }
        return out;
    }
}
