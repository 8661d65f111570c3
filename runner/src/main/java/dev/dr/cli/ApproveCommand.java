package dev.dr.cli;

import dev.dr.approval.Approval;
import dev.dr.approval.ApprovalStore;
import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.command.OrchestratorApproval;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dr approve RUN}: the runbook's manual promotion gate. Records who approves, when,
 * under which change ticket, and for the planDigest the waiting run carries; the run's
 * {@code dr apply} (waiting at the gate, or continued with {@code --resume}) then promotes,
 * and the promote receipt repeats the approval.
 *
 * <p>{@code dr approve --execution-arn ARN}: the orchestrator mode (the runbook's
 * dr_approve.sh). The drill runs as a Step Functions execution whose promote gate is a
 * {@code .waitForTaskToken} task; the approval is sent to it with SendTaskSuccess, its output
 * {@code {"approver", "ticket", "approvedAt"}}. Before that: the ARN must be of
 * {@code --expected-account-id} (and {@code --region}, when given), checked before any call;
 * the credentials must be of that account (sts:GetCallerIdentity); the execution must be
 * RUNNING and wait at the gate. Any refusal exits 3 with nothing sent (an {@link OrchestratorApproval}
 * found with ServiceLoader does this part, so the runner names no AWS client). The gate's task token
 * is never printed. Exactly one of RUN and {@code --execution-arn} is given.
 */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = {"Approve the gated phase (promote) of a run that waits for it. The approval is recorded once,"
                + " with the approver, the ticket and the run's planDigest, and cannot be overwritten.",
                "With --execution-arn instead of RUN: approve the promotion gate a Step Functions execution of the orchestrator"
                        + " waits at (SendTaskSuccess), after checking the ARN's and the credentials' account against"
                        + " --expected-account-id; exit 3, nothing sent, when refused."},
        footer = {"", "Examples:", "  dr approve full-drill-20261129T101500Z-3f2a --approver alice --ticket CHG-1234",
                "  dr approve --execution-arn arn:aws:states:us-east-1:048622080012:execution:signalcraft-dr-orchestrator-state-machine:<id> \\",
                "    --region us-east-1 --expected-account-id 048622080012 --approver alice --ticket CHG-1234"})
final class ApproveCommand implements Callable<Integer> {
    private final Context ctx;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN",
            description = "The run id (under --receipt-dir) or the run's receipt folder (not with --execution-arn).")
    String run;

    @Option(names = "--approver", required = true, description = "Who approves (recorded in the receipts).")
    String approver;

    @Option(names = "--ticket", description = "The change ticket (required when the plan's gate requires one, and with --execution-arn).")
    String ticket;

    @Option(names = "--phase", defaultValue = "promote", description = "The gated phase (default: ${DEFAULT-VALUE}).")
    String phase;

    @Option(names = "--receipt-dir", description = "Where the run's receipts are (default: RECEIPT_DIR, else receipts).")
    String receiptDir;

    @Option(names = "--execution-arn", paramLabel = "ARN",
            description = "An execution of the orchestrator's state machine instead of RUN:"
                    + " arn:aws:states:<region>:<account>:execution:<machine>:<id>.")
    String executionArn;

    @Option(names = "--expected-account-id", paramLabel = "ID",
            description = "With --execution-arn (required): the account (12 digits) the execution and the credentials must be of.")
    String expectedAccount;

    @Option(names = "--region", description = "With --execution-arn: the region the execution must be in (default: the ARN's).")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "With --execution-arn: a stand-in for the Step Functions and STS APIs instead of AWS.")
    URI endpoint;

    @Option(names = "--no-sign-request", description = "With --execution-arn: send unsigned requests (a stand-in that takes them).")
    boolean unsigned;

    ApproveCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        if ((run == null) == (executionArn == null)) {
            throw ExitException.invalidInput("give exactly one of RUN (a run of dr apply) or --execution-arn (an execution"
                    + " of the orchestrator's state machine)")
                    .as("dr approve");
        }
        if (executionArn != null) {
            return orchestrated();
        }
        List<String> orchestratorOnly = matched("--expected-account-id", "--region", "--endpoint-url", "--no-sign-request");
        if (!orchestratorOnly.isEmpty()) {
            throw ExitException.invalidInput(String.join(", ", orchestratorOnly) + " only go with --execution-arn")
                    .as("dr approve");
        }
        return local();
    }

    private List<String> matched(String... names) {
        List<String> found = new ArrayList<>();
        for (String n : names) {
            if (spec != null && spec.commandLine().getParseResult().hasMatchedOption(n)) {
                found.add(n);
            }
        }
        return found;
    }

    /**
     * The orchestrator mode: the usage both modes share is checked here, the rest by the
     * {@link OrchestratorApproval} on the class path (the steps module's, beside dr status).
     */
    private int orchestrated() {
        List<String> localOnly = matched("--phase", "--receipt-dir");
        if (!localOnly.isEmpty()) {
            throw ExitException.invalidInput(String.join(", ", localOnly)
                    + " only go with RUN, not with --execution-arn")
                    .as("dr approve");
        }
        if (approver.isBlank()) {
            throw ExitException.invalidInput("--approver must name who approves").as("dr approve");
        }
        String t = ticket == null ? "" : ticket.strip();
        if (t.isEmpty()) {
            throw ExitException.invalidInput("--execution-arn needs the change ticket: add --ticket; nothing sent")
                    .as("dr approve");
        }
        if (expectedAccount == null) {
            throw ExitException.invalidInput("--execution-arn needs --expected-account-id (the account the execution must"
                    + " be of)")
                    .as("dr approve");
        }
        OrchestratorApproval orchestrator = ServiceLoader.load(OrchestratorApproval.class, ApproveCommand.class.getClassLoader())
                .findFirst().orElseThrow(() -> ExitException.invalidInput("--execution-arn: no orchestrator support on"
                        + " dr's class path (the steps module brings it); nothing sent").as("dr approve"));
        return orchestrator.approve(ctx, new OrchestratorApproval.Request(executionArn, expectedAccount,
                Optional.ofNullable(region), Optional.ofNullable(endpoint), unsigned, approver.strip(), t));
    }

    /** The local mode: a run of dr apply waiting at its gate, under the receipts. */
    private Integer local() throws IOException {
        if (approver.isBlank()) {
            throw ExitException.invalidInput("--approver must name who approves").as("dr approve");
        }
        Path runDir = runDir();
        if (!Files.isDirectory(runDir)) {
            throw ExitException.invalidInput("no run " + run + " (looked for " + runDir + ")").as("dr approve");
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
