package dev.dr.steps.orchestrator;

import dev.dr.aws.S3Settings;
import dev.dr.aws.sfn.StatesArn;
import dev.dr.command.ExitException;
import java.net.URI;
import java.util.Optional;

/**
 * What dr status and dr start check before any call: the state machine's ARN, the expected
 * account (12 digits), and that the ARN is of that account and, when given, of that region.
 */
final class MachineArgs {
    private MachineArgs() {}

    /**
     * The state machine, or empty when the ARN is of another account or region (said on the
     * command's stderr, nothing called).
     *
     * @throws ExitException a malformed ARN or account id (exit 2)
     */
    static Optional<StatesArn> machine(String command, String machineArn, String expectedAccount, String region,
            java.io.PrintWriter err) {
        StatesArn arn;
        try {
            arn = StatesArn.stateMachine(machineArn);
        } catch (IllegalArgumentException e) {
            throw ExitException.invalidInput("--state-machine-arn: " + e.getMessage()).as(command);
        }
        if (!StatesArn.isAccountId(expectedAccount)) {
            throw ExitException.invalidInput("--expected-account-id '" + expectedAccount
                    + "' is not an account id (12 digits)").as(command);
        }
        Optional<String> refusal = arn.refusal(expectedAccount, Optional.ofNullable(region));
        if (refusal.isPresent()) {
            err.println(command + ": refused: " + refusal.get() + "; nothing called");
            return Optional.empty();
        }
        return Optional.of(arn);
    }

    /** The clients' settings: the region given, else the ARN's. */
    static S3Settings settings(StatesArn arn, String region, URI endpoint, boolean unsigned) {
        return new S3Settings(Optional.of(region != null ? region : arn.region()), Optional.ofNullable(endpoint), unsigned);
    }
}
