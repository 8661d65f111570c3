package dev.dr.steps.orchestrator;

import dev.dr.aws.S3Settings;
import dev.dr.aws.sfn.Orchestrator;
import dev.dr.aws.sfn.StatesArn;
import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.step.ErrorClass;
import dev.dr.step.StepFailure;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
 * {@code dr approve --execution-arn}. Only reads: ListExecutions and GetExecutionHistory.
 *
 * <p>The text table is deterministic for the same executions: newest first (ties by name),
 * times as UTC ISO-8601 to the second, columns as wide as their longest cell, no trailing
 * blanks. The JSON document keeps the API's times to the millisecond.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "List the most recent executions (up to 20) of the orchestrator's Step Functions state machine and"
                + " mark those that wait for approval at the promotion gate. Reads only. Exit 3 when the ARN is of"
                + " another account or region.",
        footer = {"", "Example:", "  dr status \\",
                "    --state-machine-arn arn:aws:states:us-east-1:048622080012:stateMachine:signalcraft-dr-orchestrator-state-machine \\",
                "    --region us-east-1 --expected-account-id 048622080012"})
public final class StatusCommand implements Callable<Integer> {
    private final Context ctx;

    @Mixin
    MachineOptions target;

    enum Format { text, json }






    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

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
        S3Settings settings = target.settings(arn);
        List<Orchestrator.Execution> executions;
        try (Orchestrator o = Orchestrator.open(settings, true)) {
            executions = o.executions(arn);
        } catch (StepFailure e) {
            ctx.err().println("dr status: " + e.getMessage());
            return e.errorClass() == ErrorClass.PERMANENT ? ExitCodes.GUARD_REFUSED : ExitCodes.PHASE_FAILED;
        }
        if (format == Format.json) {
            ctx.out().print(json(arn, executions));
        } else {
            ctx.out().print(text(arn, executions));
        }
        for (Orchestrator.Execution e : executions) {
            if (e.gate().isPresent()) {
                ctx.err().println("To approve " + e.name() + ": dr approve --execution-arn " + e.arn() + " --expected-account-id "
                        + target.expectedAccount() + " --approver NAME --ticket TICKET");
            }
        }
        return ExitCodes.OK;
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
        }
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return JsonMapper.builder().build().writer().with(pp).writeValueAsString(root) + "\n";
    }
}
