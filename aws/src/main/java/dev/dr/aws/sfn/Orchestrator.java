package dev.dr.aws.sfn;

import dev.dr.aws.AwsClients;
import dev.dr.aws.S3Errors;
import dev.dr.aws.S3Settings;
import dev.dr.json.JsonTrees;
import dev.dr.step.StepFailure;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryRequest;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The orchestrator mode of the promotion gate: a drill run by a Step Functions state machine
 * waits at its promote gate (see {@link TaskTokenGate} for the contract) until someone sends the
 * gate's task token back. This starts an execution, lists a state machine's executions with
 * the gate each waits at, and approves one.
 *
 * <p>Listing only reads (ListExecutions, GetExecutionHistory); starting and approving check the
 * caller's account with sts:GetCallerIdentity first, and only then send the one call that
 * changes anything, StartExecution or SendTaskSuccess. The ARN's own account and region are checked by the caller
 * ({@link StatesArn#refusal}) before any of this.
 */
public final class Orchestrator implements AutoCloseable {
    /** How many executions {@link #executions} lists, most recent first. */
    public static final int LISTED = 20;
    /** History events per page; the gate is almost always on the first page read newest first. */
    static final int HISTORY_PAGE = 100;

    private final SfnClient sfn;
    private final S3Settings settings;

    private Orchestrator(SfnClient sfn, S3Settings settings) {
        this.sfn = sfn;
        this.settings = settings;
    }

    /**
     * Clients for {@code settings}; with {@code readOnly} every Step Functions call but the
     * reading ones is refused before it is sent.
     */
    public static Orchestrator open(S3Settings settings, boolean readOnly) {
        return new Orchestrator(AwsClients.open(SfnClient.builder(), settings, readOnly), settings);
    }

    /** Where an execution waits for an approval (the token stays with {@link TaskTokenGate.Waiting}). */
    public record Gate(Optional<String> state, Instant since) {}

    /** One execution as {@code dr status} shows it; {@code gate} only for a running one at the gate. */
    public record Execution(String name, String arn, String status, Instant started, Optional<Instant> stopped,
                            Optional<Gate> gate) {}

    /**
     * The state machine's {@value #LISTED} most recent executions, newest first (ties by name),
     * and for each running one whether it waits at the promotion gate.
     */
    public List<Execution> executions(StatesArn machine) throws StepFailure {
        List<ExecutionListItem> items;
        try {
            items = sfn.listExecutions(r -> r.stateMachineArn(machine.stateMachineArn()).maxResults(LISTED)).executions();
        } catch (SdkException e) {
            throw S3Errors.classify("ListExecutions of " + machine.stateMachineArn(), e);
        }
        List<Execution> out = new ArrayList<>();
        for (ExecutionListItem i : items) {
            Optional<Gate> gate = Optional.empty();
            if (i.status() == ExecutionStatus.RUNNING) {
                gate = waiting(i.executionArn()).map(w -> new Gate(w.state(), w.since()));
            }
            out.add(new Execution(i.name(), i.executionArn(), i.statusAsString(), i.startDate(),
                    Optional.ofNullable(i.stopDate()), gate));
        }
        out.sort(Comparator.comparing(Execution::started, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(Execution::name));
        return out.size() > LISTED ? out.subList(0, LISTED) : out;
    }

    /**
     * One execution as {@link #executions} shows it, with its input (a JSON object; empty when
     * it has none or it is not an object), from DescribeExecution.
     */
    public record Described(Execution execution, ObjectNode input) {}

    /** {@code execution} (an execution ARN) and its input; reads only. */
    public Described describe(StatesArn execution) throws StepFailure {
        DescribeExecutionResponse d = describeExecution(execution.arn());
        Optional<Gate> gate = Optional.empty();
        if (d.status() == ExecutionStatus.RUNNING) {
            gate = waiting(execution.arn()).map(w -> new Gate(w.state(), w.since()));
        }
        return new Described(new Execution(d.name(), d.executionArn(), d.statusAsString(), d.startDate(),
                Optional.ofNullable(d.stopDate()), gate), input(d));
    }

    /** The input of the execution {@code executionArn}: a JSON object, empty when it has none; reads only. */
    public ObjectNode input(String executionArn) throws StepFailure {
        return input(describeExecution(executionArn));
    }

    private DescribeExecutionResponse describeExecution(String arn) throws StepFailure {
        try {
            return sfn.describeExecution(r -> r.executionArn(arn));
        } catch (SdkException e) {
            throw S3Errors.classify("DescribeExecution of " + arn, e);
        }
    }

    private static ObjectNode input(DescribeExecutionResponse d) {
        if (d.input() != null && !d.input().isBlank()) {
            try {
                if (JsonTrees.read(d.input()) instanceof ObjectNode o) {
                    return o;
                }
            } catch (RuntimeException e) {
                // an input that is not a JSON object names no receipt folder; the execution is still shown
            }
        }
        return JsonNodeFactory.instance.objectNode();
    }

    /** What {@link #start} started. */
    public record Started(String executionArn, Instant startDate) {}

    /**
     * Starts an execution of {@code machine} with {@code input} (a JSON object, e.g. the
     * boundaries), after checking that the credentials are of {@code expectedAccount}.
     *
     * @param name the execution's name, or empty for one Step Functions makes up
     * @throws OrchestratorRefused nothing was started: credentials of another account, or an execution
     *                     of that name exists already
     * @throws StepFailure an AWS call failed (after the SDK's retries)
     */
    public Started start(StatesArn machine, String expectedAccount, ObjectNode input, Optional<String> name)
            throws OrchestratorRefused, StepFailure {
        checkCaller(expectedAccount);
        StartExecutionResponse r;
        try {
            r = sfn.startExecution(b -> b.stateMachineArn(machine.stateMachineArn()).input(JsonTrees.compact(input))
                    .name(name.orElse(null)));
        } catch (ExecutionAlreadyExistsException e) {
            throw new OrchestratorRefused("an execution named " + name.orElse("?") + " of " + machine.stateMachineArn()
                    + " exists already; give another --name");
        } catch (SdkException e) {
            throw S3Errors.classify("StartExecution of " + machine.stateMachineArn(), e);
        }
        return new Started(r.executionArn(), r.startDate());
    }

    /** What {@link #approve} did. */
    public record Approved(String execution, Optional<String> state, String approver, String ticket, String approvedAt,
                           String output) {}

    /**
     * Approves the promotion gate {@code execution} waits at: checks that the credentials are
     * of {@code expectedAccount}, that the execution is RUNNING and that it waits at the gate,
     * then sends SendTaskSuccess with the gate's token and, as the task's output,
     * {@code {"approver": …, "ticket": …, "approvedAt": …}} (approvedAt an ISO-8601 UTC instant).
     *
     * @throws OrchestratorRefused nothing was sent: another account, not running, not at the gate, or
     *                     the gate closed (timed out, approved) just before the approval
     * @throws StepFailure an AWS call failed (after the SDK's retries); its message carries no token
     */
    public Approved approve(StatesArn execution, String expectedAccount, String approver, String ticket, Clock clock)
            throws OrchestratorRefused, StepFailure {
        String arn = execution.arn();
        checkCaller(expectedAccount);
        DescribeExecutionResponse d;
        try {
            d = sfn.describeExecution(r -> r.executionArn(arn));
        } catch (SdkException e) {
            throw S3Errors.classify("DescribeExecution of " + arn, e);
        }
        if (d.status() != ExecutionStatus.RUNNING) {
            throw new OrchestratorRefused("execution " + arn + " is " + d.statusAsString() + ", not RUNNING: it does not wait for an approval");
        }
        TaskTokenGate.Waiting w = waiting(arn)
                .orElseThrow(() -> new OrchestratorRefused("execution " + arn + " does not wait for an approval (no open task of it passed a "
                        + TaskTokenGate.TOKEN_FIELD + ")"));
        String approvedAt = clock.instant().toString();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("approver", approver);
        o.put("ticket", ticket);
        o.put("approvedAt", approvedAt);
        String output = JsonTrees.compact(o);
        try {
            sfn.sendTaskSuccess(r -> r.taskToken(w.token()).output(output));
        } catch (TaskDoesNotExistException | TaskTimedOutException | InvalidTokenException e) {
            throw new OrchestratorRefused("the gate of execution " + arn + " closed before the approval reached it ("
                    + (e.awsErrorDetails() == null ? e.getClass().getSimpleName() : e.awsErrorDetails().errorCode()) + ")");
        } catch (SdkException e) {
            StepFailure f = S3Errors.classify("SendTaskSuccess for the gate of execution " + arn, e);
            // a new failure without the cause: nothing of the request, the token included, travels on
            throw new StepFailure(f.errorClass(), redact(f.getMessage(), w.token()));
        }
        return new Approved(execution.execution().orElse(arn), w.state(), approver, ticket, approvedAt, output);
    }

    /** The gate {@code executionArn} waits at, from its history read newest first. */
    private Optional<TaskTokenGate.Waiting> waiting(String executionArn) throws StepFailure {
        try {
            return TaskTokenGate.find(sfn.getExecutionHistoryPaginator(GetExecutionHistoryRequest.builder()
                    .executionArn(executionArn).reverseOrder(true).includeExecutionData(true).maxResults(HISTORY_PAGE)
                    .build()).events());
        } catch (SdkException e) {
            throw S3Errors.classify("GetExecutionHistory of " + executionArn, e);
        }
    }

    /** Refuses credentials of another account than {@code expectedAccount} (sts:GetCallerIdentity). */
    private void checkCaller(String expectedAccount) throws OrchestratorRefused, StepFailure {
        GetCallerIdentityResponse me;
        try (StsClient sts = AwsClients.open(StsClient.builder(), settings, true)) {
            me = sts.getCallerIdentity();
        } catch (SdkException e) {
            throw S3Errors.classify("sts:GetCallerIdentity", e);
        }
        if (!expectedAccount.equals(me.account())) {
            throw new OrchestratorRefused("the AWS credentials in use (" + me.arn() + ") are of account " + me.account()
                    + ", not the expected account " + expectedAccount);
        }
    }

    /** {@code message} with every occurrence of {@code token} replaced. */
    static String redact(String message, String token) {
        if (message == null || token == null || token.isEmpty()) {
            return message;
        }
        return message.replace(token, "(task token)");
    }

    @Override
    public void close() {
        sfn.close();
    }
}
