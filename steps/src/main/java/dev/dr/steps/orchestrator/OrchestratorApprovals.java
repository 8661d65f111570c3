package dev.dr.steps.orchestrator;

import dev.dr.aws.S3Settings;
import dev.dr.aws.sfn.Orchestrator;
import dev.dr.aws.sfn.OrchestratorRefused;
import dev.dr.aws.sfn.StatesArn;
import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.command.OrchestratorApproval;
import dev.dr.step.ErrorClass;
import dev.dr.step.StepFailure;
import java.time.Clock;
import java.util.Optional;

/**
 * The orchestrator mode of {@code dr approve} (the runbook's dr_approve.sh): SendTaskSuccess to the
 * {@code .waitForTaskToken} gate an execution waits at. Usage problems exit 2; the guards (an ARN
 * of another account or region: nothing called; credentials of another account, an execution
 * not running or not at the gate: nothing sent) exit 3; an AWS failure left after the SDK's
 * retries exits 1 (3 when AWS refuses the call itself, e.g. access denied). The gate's task token
 * is never printed.
 */
public final class OrchestratorApprovals implements OrchestratorApproval {

    @Override
    public int approve(Context ctx, Request r) {
        if (!StatesArn.isAccountId(r.expectedAccount())) {
            throw ExitException.invalidInput("--expected-account-id '" + r.expectedAccount()
                    + "' is not an account id (12 digits)").as("dr approve");
        }
        StatesArn arn;
        try {
            arn = StatesArn.execution(r.executionArn());
        } catch (IllegalArgumentException e) {
            throw ExitException.invalidInput("--execution-arn: " + e.getMessage()).as("dr approve");
        }
        Optional<String> refusal = arn.refusal(r.expectedAccount(), r.region());
        if (refusal.isPresent()) {
            ctx.err().println("dr approve: refused: " + refusal.get() + "; nothing called, nothing approved");
            return ExitCodes.GUARD_REFUSED;
        }
        S3Settings settings = new S3Settings(Optional.of(r.region().orElse(arn.region())), r.endpoint(), r.unsigned());
        Orchestrator.Approved a;
        try (Orchestrator o = Orchestrator.open(settings, false)) {
            a = o.approve(arn, r.expectedAccount(), r.approver(), r.ticket(), Clock.systemUTC());
        } catch (OrchestratorRefused e) {
            ctx.err().println("dr approve: refused: " + e.getMessage() + "; nothing approved");
            return ExitCodes.GUARD_REFUSED;
        } catch (StepFailure e) {
            ctx.err().println("dr approve: " + e.getMessage() + "; nothing approved");
            return e.errorClass() == ErrorClass.PERMANENT ? ExitCodes.GUARD_REFUSED : ExitCodes.PHASE_FAILED;
        }
        ctx.out().println("Approved the promotion gate" + a.state().map(s -> " (" + s + ")").orElse("") + " of execution "
                + a.execution() + " by " + a.approver() + " (ticket " + a.ticket() + ") at " + a.approvedAt() + ".");
        ctx.out().println("The state machine continues from the gate; its output is " + a.output() + ".");
        return ExitCodes.OK;
    }
}
