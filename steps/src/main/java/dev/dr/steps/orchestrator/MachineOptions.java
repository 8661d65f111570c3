package dev.dr.steps.orchestrator;

import dev.dr.aws.S3Settings;
import dev.dr.aws.sfn.StatesArn;
import dev.dr.command.ExitException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options dr status and dr start share (a picocli mixin), and what they check before any
 * call: the state machine's ARN, the expected account (12 digits), and that the ARN is of that
 * account and, when given, of that region.
 */
public final class MachineOptions {

    @Option(names = "--state-machine-arn", required = true, paramLabel = "ARN",
            description = "The state machine: " + StatesArn.MACHINE_FORM + ".")
    String machineArn;

    @Option(names = "--expected-account-id", required = true, paramLabel = "ID",
            description = "The account the state machine must be in (12 digits); another is refused before any call.")
    String expectedAccount;

    @Option(names = "--region", description = "The region the state machine must be in (default: the ARN's).")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "A stand-in for the Step Functions and STS APIs instead of AWS.")
    URI endpoint;

    @Option(names = "--no-sign-request", description = "Send unsigned requests (a stand-in endpoint that takes them).")
    boolean unsigned;

    /**
     * The state machine, or empty when the ARN is of another account or region (said on
     * {@code err}, nothing called).
     *
     * @throws ExitException a malformed ARN or account id (exit 2)
     */
    Optional<StatesArn> machine(String command, PrintWriter err) {
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
    S3Settings settings(StatesArn arn) {
        return new S3Settings(Optional.of(region != null ? region : arn.region()), Optional.ofNullable(endpoint), unsigned);
    }

    String expectedAccount() {
        return expectedAccount;
    }
}
