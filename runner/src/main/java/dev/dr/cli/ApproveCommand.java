package dev.dr.cli;

import dev.dr.approval.Approval;
import dev.dr.approval.ApprovalStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dr approve RUN}: the runbook's manual promotion gate. Records who approves, when,
 * under which change ticket, and for the planDigest the waiting run carries; the run's
 * {@code dr apply} (waiting at the gate, or continued with {@code --resume}) then promotes,
 * and the promote receipt repeats the approval.
 */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = "Approve the gated phase (promote) of a run that waits for it. The approval is recorded once,"
                + " with the approver, the ticket and the run's planDigest, and cannot be overwritten.",
        footer = {"", "Example:", "  dr approve full-drill-20261129T101500Z-3f2a --approver alice --ticket CHG-1234"})
final class ApproveCommand implements Callable<Integer> {
    private final Context ctx;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id (under --receipt-dir) or the run's receipt folder.")
    String run;

    @Option(names = "--approver", required = true, description = "Who approves (recorded in the receipts).")
    String approver;

    @Option(names = "--ticket", description = "The change ticket (required when the plan's gate requires one).")
    String ticket;

    @Option(names = "--phase", defaultValue = "promote", description = "The gated phase (default: ${DEFAULT-VALUE}).")
    String phase;

    @Option(names = "--receipt-dir", description = "Where the run's receipts are (default: RECEIPT_DIR, else receipts).")
    String receiptDir;

    ApproveCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        if (approver.isBlank()) {
            ctx.err().println("dr approve: --approver must name who approves");
            return ExitCodes.INVALID;
        }
        Path runDir = runDir();
        if (!Files.isDirectory(runDir)) {
            ctx.err().println("dr approve: no run " + run + " (looked for " + runDir + ")");
            return ExitCodes.INVALID;
        }
        ApprovalStore store = new ApprovalStore(runDir);
        Optional<Approval> waiting = store.pendingFor(phase);
        if (waiting.isEmpty()) {
            ctx.err().println("dr approve: run " + runDir.getFileName() + " has not reached the approval gate of " + phase
                    + " (nothing waits for an approval there); nothing recorded");
            return ExitCodes.GUARD_REFUSED;
        }
        String t = ticket == null ? "" : ticket.strip();
        if ("required".equals(waiting.get().ticket()) && t.isEmpty()) {
            ctx.err().println("dr approve: the plan requires a change ticket for " + phase + ": add --ticket; nothing recorded");
            return ExitCodes.INVALID;
        }
        Approval a = new Approval(waiting.get().runId(), phase, approver.strip(), t, Clock.systemUTC().instant().toString(),
                waiting.get().planDigest());
        try {
            store.record(a);
        } catch (IOException e) {
            ctx.err().println("dr approve: " + e.getMessage() + "; nothing recorded");
            return ExitCodes.GUARD_REFUSED;
        }
        ctx.out().println("Approved " + phase + " of run " + a.runId() + " by " + a.approver()
                + (t.isEmpty() ? "" : " (ticket " + t + ")") + " for " + a.planDigest() + ".");
        ctx.out().println("A dr apply waiting at the gate continues now; otherwise continue with dr apply PLAN --resume "
                + runDir + ".");
        return ExitCodes.OK;
    }

    private Path runDir() {
        Path asPath = ctx.resolve(run);
        if (run.contains("/") || Files.isDirectory(asPath.resolve("approvals"))) {
            return asPath.normalize();
        }
        String base = receiptDir != null ? receiptDir : ctx.env().getOrDefault("RECEIPT_DIR", "receipts");
        return ctx.resolve(base).resolve(run).normalize();
    }
}
