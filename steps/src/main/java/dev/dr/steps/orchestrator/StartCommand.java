package dev.dr.steps.orchestrator;

import dev.dr.aws.S3Uri;
import dev.dr.aws.sfn.Orchestrator;
import dev.dr.aws.sfn.OrchestratorRefused;
import dev.dr.aws.sfn.StatesArn;
import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.step.ErrorClass;
import dev.dr.step.StepFailure;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code dr start}: starts an execution of the orchestrator's state machine (what dr compile
 * emits and its Terraform deploys), with the boundaries as its input ({@code startAt},
 * {@code stopAfter}, {@code fromReceipt}; see docs/compile.md), and prints the execution's ARN
 * for dr status and dr approve. The ARN's account and region are checked before any call, the
 * credentials' account (sts:GetCallerIdentity) before StartExecution, the one call that changes
 * anything. The machine itself refuses boundaries the plan does not allow (InvalidBoundaries),
 * as dr plan does.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start an execution of the orchestrator's Step Functions state machine with the given boundaries,"
                + " after checking the ARN's and the credentials' account; prints the execution's ARN. Exit 3 when"
                + " refused, nothing started.",
        footer = {"", "Example:", "  dr start \\",
                "    --state-machine-arn arn:aws:states:us-east-1:048622080012:stateMachine:signalcraft-dr-orchestrator-state-machine \\",
                "    --region us-east-1 --expected-account-id 048622080012 --start-at restore --stop-after validate \\",
                "    --from-receipt receipts/bringup-only-20261129T101500Z-3f2a"})
public final class StartCommand implements Callable<Integer> {
    /** Step Functions' rule for execution names. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    /** The phases a plan may name (the machine checks them against its own plan). */
    private static final Pattern PHASE = Pattern.compile("[a-z][a-z-]{0,39}");
    /** A receipt prefix, as dr compile takes it. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

    private final Context ctx;

    @Mixin
    MachineOptions target;

    @Option(names = "--start-at", paramLabel = "PHASE", description = "First phase to run (the execution input's startAt).")
    String startAt;

    @Option(names = "--stop-after", paramLabel = "PHASE", description = "Last phase to run (the execution input's stopAfter).")
    String stopAfter;

    @Option(names = "--from-receipt", paramLabel = "DIR",
            description = "Receipt folder of an earlier bringup whose outputs the run reuses (the input's fromReceipt).")
    String fromReceipt;

    @Option(names = "--receipt-bucket", paramLabel = "BUCKET",
            description = "The bucket the workers upload their receipts to (the input's receiptBucket; default: the"
                    + " machine's, Terraform's receipt_bucket). In the input, dr status finds the receipts without being told.")
    String receiptBucket;

    @Option(names = "--receipt-prefix", paramLabel = "PREFIX",
            description = "Their key prefix in that bucket (the input's receiptPrefix; default: the machine's).")
    String receiptPrefix;

    @Option(names = "--name", description = "The execution's name (letters, digits, - and _; default: one Step Functions makes up).")
    String name;

    StartCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ObjectNode input = input();
        if (name != null && !NAME.matcher(name).matches()) {
            throw ExitException.invalidInput("--name '" + name + "' is not an execution name (1 to 80 letters, digits,"
                    + " - and _)").as("dr start");
        }
        Optional<StatesArn> machine = target.machine("dr start", ctx.err());
        if (machine.isEmpty()) {
            return ExitCodes.GUARD_REFUSED;
        }
        Orchestrator.Started started;
        try (Orchestrator o = Orchestrator.open(target.settings(machine.get()), false)) {
            started = o.start(machine.get(), target.expectedAccount(), input, Optional.ofNullable(name));
        } catch (OrchestratorRefused e) {
            ctx.err().println("dr start: refused: " + e.getMessage() + "; nothing started");
            return ExitCodes.GUARD_REFUSED;
        } catch (StepFailure e) {
            ctx.err().println("dr start: " + e.getMessage() + "; nothing started");
            return e.errorClass() == ErrorClass.PERMANENT ? ExitCodes.GUARD_REFUSED : ExitCodes.PHASE_FAILED;
        }
        ctx.out().println(started.executionArn());
        ctx.err().println("Started at " + started.startDate() + " with input " + input + ". Follow it with: dr status"
                + " --state-machine-arn " + machine.get().stateMachineArn() + " --expected-account-id " + target.expectedAccount());
        return ExitCodes.OK;
    }

    /** The execution input: the boundaries given, nothing else (the machine fills in the plan's own). */
    private ObjectNode input() {
        ObjectNode in = JsonNodeFactory.instance.objectNode();
        phase(in, "startAt", "--start-at", startAt);
        phase(in, "stopAfter", "--stop-after", stopAfter);
        if (fromReceipt != null) {
            if (fromReceipt.isBlank()) {
                throw ExitException.invalidInput("--from-receipt must name a receipt folder").as("dr start");
            }
            in.put("fromReceipt", fromReceipt);
        }
        if (receiptBucket != null) {
            try {
                new S3Uri(receiptBucket, "");
            } catch (IllegalArgumentException e) {
                throw ExitException.invalidInput("--receipt-bucket: " + e.getMessage()).as("dr start");
            }
            in.put("receiptBucket", receiptBucket);
        }
        if (receiptPrefix != null) {
            if (!PREFIX.matcher(receiptPrefix).matches()) {
                throw ExitException.invalidInput("--receipt-prefix '" + receiptPrefix + "' is not a key prefix (letters, digits,"
                        + " '.', '_' and '-' in segments separated by '/', e.g. dr-receipts)").as("dr start");
            }
            in.put("receiptPrefix", receiptPrefix);
        }
        return in;
    }

    private static void phase(ObjectNode in, String key, String flag, String value) {
        if (value == null) {
            return;
        }
        if (!PHASE.matcher(value).matches()) {
            throw ExitException.invalidInput(flag + " '" + value + "' is not a phase name (e.g. restore)").as("dr start");
        }
        in.put(key, value);
    }
}
