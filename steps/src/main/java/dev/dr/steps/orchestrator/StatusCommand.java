package dev.dr.steps.orchestrator;

import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.aws.S3Uri;
import dev.dr.aws.sfn.Orchestrator;
import dev.dr.aws.sfn.StatesArn;
import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.step.ErrorClass;
import dev.dr.step.StepFailure;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code dr status}: the runbook's dr_status.sh. Lists the most recent executions of the
 * orchestrator's state machine and marks those that wait at the promotion gate, for
 * {@code dr approve --execution-arn}; under each execution whose receipt folder is known (from
 * --receipt-bucket or its input), each phase's status from the receipts its workers uploaded
 * ({@link ExecutionReceipts}). Only reads: ListExecutions, DescribeExecution,
 * GetExecutionHistory, and S3's list and get.
 *
 * <p>The text table is deterministic for the same executions: newest first (ties by name),
 * times as UTC ISO-8601 to the second, columns as wide as their longest cell, no trailing
 * blanks. The JSON document keeps the API's times to the millisecond.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "List the most recent executions (up to 20) of the orchestrator's Step Functions state machine,"
                + " mark those that wait for approval at the promotion gate, and show each phase's status from the"
                + " receipts the workers uploaded. Reads only. Exit 3 when the ARN is of"
                + " another account or region.",
        footer = {"", "Example:", "  dr status \\",
                "    --state-machine-arn arn:aws:states:us-east-1:048622080012:stateMachine:signalcraft-dr-orchestrator-state-machine \\",
                "    --region us-east-1 --expected-account-id 048622080012"})
public final class StatusCommand implements Callable<Integer> {
    private final Context ctx;

    @Mixin
    MachineOptions target;

    enum Format { text, json }

    /** The Terraform variable receipt_prefix's default, and dr compile's. */
    static final String DEFAULT_RECEIPT_PREFIX = "dr-receipts";

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--execution-arn", paramLabel = "ARN",
            description = "Only this execution of the state machine: " + StatesArn.EXECUTION_FORM + ".")
    String executionArn;

    @Option(names = "--receipt-bucket", paramLabel = "BUCKET",
            description = "Show each phase's status from the receipts the workers uploaded to"
                    + " s3://BUCKET/PREFIX/<execution id>/ (default: the receiptBucket of each execution's input, as the"
                    + " Terraform triggers and dr start --receipt-bucket give it; none: no receipts shown).")
    String receiptBucket;

    @Option(names = "--receipt-prefix", paramLabel = "PREFIX", defaultValue = DEFAULT_RECEIPT_PREFIX,
            description = "The receipts' key prefix with --receipt-bucket, or when an execution's input names none"
                    + " (default: ${DEFAULT-VALUE}, as Terraform's receipt_prefix).")
    String receiptPrefix;

    @Option(names = "--receipt-endpoint-url", paramLabel = "URL",
            description = "An S3-compatible stand-in for the receipt bucket (path-style, unsigned requests) instead of AWS.")
    URI receiptEndpoint;

    StatusCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Optional<StatesArn> checked = target.machine("dr status", ctx.err());
        if (checked.isEmpty()) {
            return ExitCodes.GUARD_REFUSED;
        }
        StatesArn arn = checked.get();
        Optional<StatesArn> only = only(arn);
        S3Settings settings = target.settings(arn);
        List<Orchestrator.Execution> executions;
        Map<String, S3Uri> folders = new LinkedHashMap<>();
        try (Orchestrator o = Orchestrator.open(settings, true)) {
            if (only.isPresent()) {
                Orchestrator.Described d = o.describe(only.get());
                executions = List.of(d.execution());
                folder(d.execution().name(), d.input()).ifPresent(f -> folders.put(d.execution().name(), f));
            } else {
                executions = o.executions(arn);
                for (Orchestrator.Execution e : executions) {
                    // the input is read only when it may name the folder
                    ObjectNode input = receiptBucket != null ? JsonNodeFactory.instance.objectNode() : o.input(e.arn());
                    folder(e.name(), input).ifPresent(f -> folders.put(e.name(), f));
                }
            }
        } catch (StepFailure e) {
            ctx.err().println("dr status: " + e.getMessage());
            return e.errorClass() == ErrorClass.PERMANENT ? ExitCodes.GUARD_REFUSED : ExitCodes.PHASE_FAILED;
        }
        Map<String, ExecutionReceipts> receipts = new LinkedHashMap<>();
        Map<String, StepFailure> unreadable = new LinkedHashMap<>();
        if (!folders.isEmpty()) {
            S3Settings s3 = new S3Settings(settings.region(), Optional.ofNullable(receiptEndpoint), receiptEndpoint != null);
            try (S3Objects objects = new S3Objects(S3Clients.open(s3, true))) {
                for (Map.Entry<String, S3Uri> f : folders.entrySet()) {
                    try {
                        receipts.put(f.getKey(), ExecutionReceipts.read(objects, f.getValue()));
                    } catch (StepFailure e) {
                        unreadable.put(f.getKey(), e);
                    }
                }
            }
        }
        if (format == Format.json) {
            ctx.out().print(json(arn, executions, receipts, unreadable));
        } else {
            ctx.out().print(text(arn, executions));
            for (Orchestrator.Execution e : executions) {
                if (receipts.containsKey(e.name())) {
                    ctx.out().print("\n" + receipts.get(e.name()).text(e.name()));
                } else if (unreadable.containsKey(e.name())) {
                    ctx.out().print("\nReceipts of " + e.name() + " in " + folders.get(e.name()) + "/: unreadable\n");
                }
            }
        }
        unreadable.forEach((name, e) -> ctx.err().println("dr status: the receipts of " + name + " are unreadable: "
                + e.getMessage()));
        for (Orchestrator.Execution e : executions) {
            if (e.gate().isPresent()) {
                ctx.err().println("To approve " + e.name() + ": dr approve --execution-arn " + e.arn() + " --expected-account-id "
                        + target.expectedAccount() + " --approver NAME --ticket TICKET");
            }
        }
        if (!unreadable.isEmpty()) {
            return unreadable.values().stream().anyMatch(e -> e.errorClass() == ErrorClass.PERMANENT)
                    ? ExitCodes.GUARD_REFUSED : ExitCodes.PHASE_FAILED;
        }
        return ExitCodes.OK;
    }

    /** --execution-arn, which must be an execution of the state machine; empty without it. */
    private Optional<StatesArn> only(StatesArn machine) {
        if (executionArn == null) {
            return Optional.empty();
        }
        StatesArn e;
        try {
            e = StatesArn.execution(executionArn);
        } catch (IllegalArgumentException bad) {
            throw ExitException.invalidInput("--execution-arn: " + bad.getMessage()).as("dr status");
        }
        if (!e.stateMachineArn().equals(machine.stateMachineArn())) {
            throw ExitException.invalidInput("--execution-arn " + executionArn + " is an execution of "
                    + e.stateMachineArn() + ", not of " + machine.stateMachineArn()).as("dr status");
        }
        return Optional.of(e);
    }

    /**
     * Where the workers of execution {@code name} uploaded its receipts: --receipt-bucket, else
     * the bucket (and prefix) its input names; empty when neither names one.
     */
    private Optional<S3Uri> folder(String name, ObjectNode input) {
        String bucket = receiptBucket;
        String prefix = receiptPrefix;
        if (bucket == null) {
            bucket = input.path("receiptBucket").isString() ? input.get("receiptBucket").asString() : "";
            if (input.path("receiptPrefix").isString() && !input.get("receiptPrefix").asString().isBlank()) {
                prefix = input.get("receiptPrefix").asString();
            }
        }
        if (bucket.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new S3Uri(bucket, prefix).resolve(name));
        } catch (IllegalArgumentException e) {
            if (receiptBucket != null) {
                throw ExitException.invalidInput("--receipt-bucket: " + e.getMessage()).as("dr status");
            }
            // one execution's odd input does not hide the others
            ctx.err().println("dr status: the receiptBucket of " + name + "'s input names no folder: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The table: execution name, status, start time (UTC), and the gate an execution waits at. */
    static String text(StatesArn machine, List<Orchestrator.Execution> executions) {
        StringBuilder b = new StringBuilder();
        if (executions.isEmpty()) {
            return b.append("No executions of ").append(machine.stateMachineArn()).append(".\n").toString();
        }
        long waiting = executions.stream().filter(e -> e.gate().isPresent()).count();
        b.append("Executions of ").append(machine.stateMachineArn()).append(" (most recent first, at most ")
                .append(Orchestrator.LISTED).append("): ").append(executions.size()).append(", ").append(waiting)
                .append(" waiting for approval\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"EXECUTION", "STATUS", "STARTED (UTC)", "APPROVAL"});
        for (Orchestrator.Execution e : executions) {
            rows.add(new String[] {e.name(), e.status(), seconds(e.started()), e.gate().map(StatusCommand::marker).orElse("-")});
        }
        int[] width = new int[3];
        for (String[] r : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            for (int i = 0; i < width.length; i++) {
                b.append(r[i]).append(" ".repeat(width[i] - r[i].length() + 2));
            }
            b.append(r[3]).append('\n');
        }
        return b.toString();
    }

    private static String marker(Orchestrator.Gate g) {
        return "waiting for approval" + g.state().map(s -> " at " + s).orElse("") + " since " + seconds(g.since());
    }

    private static String seconds(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The same as a JSON document, two-space indented, keys in a fixed order. */
    static String json(StatesArn machine, List<Orchestrator.Execution> executions) {
        return json(machine, executions, Map.of(), Map.of());
    }

    static String json(StatesArn machine, List<Orchestrator.Execution> executions, Map<String, ExecutionReceipts> receipts,
                       Map<String, StepFailure> unreadable) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("stateMachineArn", machine.stateMachineArn());
        ArrayNode list = root.putArray("executions");
        for (Orchestrator.Execution e : executions) {
            ObjectNode o = list.addObject();
            o.put("name", e.name());
            o.put("executionArn", e.arn());
            o.put("status", e.status());
            o.put("startDate", e.started() == null ? null : e.started().toString());
            o.put("stopDate", e.stopped().map(Instant::toString).orElse(null));
            o.put("waitingForApproval", e.gate().isPresent());
            if (e.gate().isPresent()) {
                ObjectNode g = o.putObject("gate");
                g.put("state", e.gate().get().state().orElse(null));
                g.put("since", e.gate().get().since() == null ? null : e.gate().get().since().toString());
            }
            if (receipts.containsKey(e.name())) {
                receipts.get(e.name()).json(o.putObject("receipts"));
            } else if (unreadable.containsKey(e.name())) {
                o.putObject("receipts").put("unreadable", unreadable.get(e.name()).getMessage());
            }
        }
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return JsonMapper.shared().writer().with(pp).writeValueAsString(root) + "\n";
    }
}
