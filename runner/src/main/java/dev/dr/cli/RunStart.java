package dev.dr.cli;

import dev.dr.command.Context;
import dev.dr.command.ExitException;
import dev.dr.diff.PhaseDecision;
import dev.dr.engine.Engine;
import dev.dr.engine.RunIds;
import dev.dr.plan.model.PhaseName;
import dev.dr.plan.model.Plan;
import dev.dr.receipt.ReceiptRecorder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Starting a run of dr apply: its id and folder, its operator, and the receipts of a run a guard refused. */
final class RunStart {
    private RunStart() {}

    /** The planDigest of the plan-diff a run applies, and the static digest it is bound to. */
    record Digests(String plan, String bound) {}

    /** A run's id and the folder of its receipts. */
    record Folder(String id, Path dir) {}

    /** A new run's id and folder; an invalid RUN_ID ends the command, nothing run. */
    static Folder newRun(Context ctx, Plan plan, Clock clock) {
        try {
            String id = RunIds.next(plan.metadata().name(), ctx.env(), clock);
            return new Folder(id, ctx.cwd().resolve(plan.run().receiptDir()).resolve(id));
        } catch (IllegalArgumentException e) {
            throw ExitException.invalidInput(e.getMessage() + "; nothing was run");
        }
    }

    /**
     * A refused guard: nothing runs. The receipts say so (see {@link #receipts}), except for a
     * failback that had not started, which writes nothing. Always ends the command (exit 3), the
     * last refusal as its last line.
     *
     * @param run  the run id and folder when the run had started (the re-check), else null
     * @param kept the phases a resumed run keeps: their receipts stay as they are
     */
    static ExitException guardFailed(Context ctx, Plan plan, List<PhaseDecision> decisions, Digests digests, List<String> refused,
                           Folder run, Set<PhaseName> kept) throws IOException {
        String written;
        if (kept.isEmpty() && runsFailback(decisions)) {
            // a failback refused before its first phase leaves no trace: a receipts/failback-… folder
            // would look like a failback that had started
            written = "nothing was run and nothing written";
        } else {
            written = "nothing was run; receipts in " + receipts(ctx, plan, decisions, digests, refused, run, kept);
        }
        // the reasons come last, so that the last line of the output says why
        ctx.err().println("dr: " + written);
        for (String r : refused.subList(0, refused.size() - 1)) {
            ctx.err().println("dr: guard refused: " + r);
        }
        return ExitException.guardRefused("guard refused: " + refused.get(refused.size() - 1));
    }

    private static boolean runsFailback(List<PhaseDecision> decisions) {
        return decisions.stream().anyMatch(d -> d.runs() && d.phase().name() == PhaseName.FAILBACK);
    }

    /**
     * The receipts of a refused run: the first phase that would have run failed with reason
     * kind {@code guard}, the others skipped as upstream-failed. Returns the run's folder.
     */
    private static Path receipts(Context ctx, Plan plan, List<PhaseDecision> decisions, Digests digests,
            List<String> refused, Folder run, Set<PhaseName> kept) throws IOException {
        Clock clock = Clock.systemUTC();
        Folder given = run != null ? run : newRun(ctx, plan, clock);
        String runId = given.id();
        Path runDir = given.dir();
        ReceiptRecorder recorder = new ReceiptRecorder(runDir,
                new ReceiptRecorder.RunInfo(runId, plan.metadata().name(), plan.file(), digests.plan(), digests.bound(),
                        operator(ctx.env()), Set.of(), null), clock);
        java.time.Instant now = clock.instant();
        boolean first = true;
        for (PhaseDecision d : decisions) {
            if (!d.runs() || kept.contains(d.phase().name())) {
                continue;
            }
            recorder.phaseFinished(first
                    ? new dev.dr.engine.PhaseOutcome(d.phase().name(), dev.dr.engine.PhaseOutcome.Status.FAILED, "guard",
                            String.join("; ", refused), List.of(), Map.of(), now, now)
                    : new dev.dr.engine.PhaseOutcome(d.phase().name(), dev.dr.engine.PhaseOutcome.Status.SKIPPED,
                            "upstream-failed", "a guard refused the run", List.of(), Map.of(), now, now));
            first = false;
        }
        recorder.writeSummary(Engine.Verdict.FAILED);
        return runDir;
    }

    /** DR_OPERATOR, else the user name. */
    static String operator(Map<String, String> env) {
        String op = env.get("DR_OPERATOR");
        if (op == null || op.isBlank()) {
            op = env.getOrDefault("USER", System.getProperty("user.name", "unknown"));
        }
        return op;
    }
}
