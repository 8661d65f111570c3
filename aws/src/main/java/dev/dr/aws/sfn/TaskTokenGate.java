package dev.dr.aws.sfn;

import dev.dr.json.JsonTrees;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import tools.jackson.databind.JsonNode;

/**
 * Finds, in an execution's history, the task-token gate it waits at: the state machine's side of
 * promotion approval (dr's own approval wait is {@code dev.dr.engine.ApprovalGate}).
 *
 * <h2>The contract with the state machine</h2>
 * The orchestrator's promote gate is a Task state with a callback: its resource ends in
 * {@code .waitForTaskToken}, and its {@code Parameters} hand the task token on in a field
 * named {@code TaskToken}:
 * <pre>
 * "ApprovePromotion": {
 *   "Type": "Task",
 *   "Resource": "arn:aws:states:::&lt;service&gt;:&lt;action&gt;.waitForTaskToken",
 *   "Parameters": {
 *     "TaskToken.$": "$$.Task.Token",
 *     ...
 *   },
 *   "TimeoutSeconds": 14400,
 *   "Next": "Promote"
 * }
 * </pre>
 * Step Functions resolves the parameters before it schedules the task, so the history's
 * {@code TaskScheduled} event carries, in {@code taskScheduledEventDetails.parameters} (a JSON
 * document), the field {@code TaskToken} with the token itself. The gate is open (waits) while
 * no {@code TaskSucceeded}, {@code TaskFailed}, {@code TaskTimedOut}, {@code TaskStartFailed},
 * {@code TaskSubmitFailed}, {@code TaskStateAborted} or {@code TaskStateExited} event closes
 * that task; such an event points back to the task's {@code TaskScheduled} through
 * {@code previousEventId}, directly or via the task's {@code TaskStarted} and
 * {@code TaskSubmitted} (a state's abort may point at its {@code TaskStateEntered}, which the
 * task's {@code TaskScheduled} points at in turn). Approving sends
 * {@code SendTaskSuccess} with that token; the task's output is then the approval (see
 * {@link Orchestrator#approve}).
 *
 * <p>The field belongs at the top level of the parameters. An integration whose parameters
 * are its API call's own (lambda:invoke, sqs:sendMessage) cannot take an extra top-level
 * field; there the token may sit in a nested object ({@code Payload.TaskToken},
 * {@code MessageBody.TaskToken}): the first {@code TaskToken} found, level by level, counts.
 * A state machine has one such callback task, the gate; other tasks must not pass a field
 * named {@code TaskToken}.
 *
 * <p>The token is a bearer credential for the gate: whoever holds it can open or fail it.
 * {@link Waiting} keeps it out of its {@code toString}, and nothing in dr prints it.
 */
public final class TaskTokenGate {
    private TaskTokenGate() {}

    /** The parameter that carries the task token (see the class comment). */
    public static final String TOKEN_FIELD = "TaskToken";

    /** Events that close the task (or the task state) they point back to. */
    private static final Set<HistoryEventType> CLOSING = EnumSet.of(HistoryEventType.TASK_SUCCEEDED,
            HistoryEventType.TASK_FAILED, HistoryEventType.TASK_TIMED_OUT, HistoryEventType.TASK_START_FAILED,
            HistoryEventType.TASK_SUBMIT_FAILED, HistoryEventType.TASK_STATE_ABORTED, HistoryEventType.TASK_STATE_EXITED);
    /** Events between a task's TaskScheduled and its closing event, followed back to it. */
    private static final Set<HistoryEventType> IN_BETWEEN = EnumSet.of(HistoryEventType.TASK_STARTED,
            HistoryEventType.TASK_SUBMITTED);

    /**
     * The gate an execution waits at.
     *
     * @param state    the gate's state name, when its TaskStateEntered event is in the history
     * @param since    when the task was scheduled
     * @param resource the task's resource (e.g. lambda, invoke.waitForTaskToken)
     * @param token    the task token; never print it
     */
    public record Waiting(long scheduledEventId, Optional<String> state, Instant since, String resource, String token) {
        @Override
        public String toString() {
            return "Waiting[scheduledEventId=" + scheduledEventId + ", state=" + state.orElse("?") + ", since=" + since
                    + ", resource=" + resource + ", token=(hidden)]";
        }
    }

    /**
     * The latest task that passed a {@code TaskToken} and is not closed, from a history read
     * newest event first (GetExecutionHistory with reverseOrder). Reads no further than the
     * gate's TaskStateEntered event, which usually comes right after it, so that a long history
     * is not read to its start.
     */
    public static Optional<Waiting> find(Iterable<HistoryEvent> newestFirst) {
        Set<Long> closed = new HashSet<>();
        Waiting found = null;
        long enteredId = 0;
        for (HistoryEvent e : newestFirst) {
            long id = e.id() == null ? 0 : e.id();
            long previous = e.previousEventId() == null ? 0 : e.previousEventId();
            HistoryEventType type = e.type();
            if (found != null) {
                if (id == enteredId && type == HistoryEventType.TASK_STATE_ENTERED && e.stateEnteredEventDetails() != null) {
                    return Optional.of(new Waiting(found.scheduledEventId(), Optional.ofNullable(e.stateEnteredEventDetails().name()),
                            found.since(), found.resource(), found.token()));
                }
                if (id <= enteredId) {
                    break;
                }
                continue;
            }
            boolean isClosed = closed.remove(id);
            if (CLOSING.contains(type) || (isClosed && IN_BETWEEN.contains(type))) {
                closed.add(previous);
            } else if (type == HistoryEventType.TASK_SCHEDULED && !isClosed && !closed.contains(previous)
                    && e.taskScheduledEventDetails() != null) {
                Optional<String> token = token(e.taskScheduledEventDetails().parameters());
                if (token.isPresent()) {
                    String resource = e.taskScheduledEventDetails().resourceType() + ", " + e.taskScheduledEventDetails().resource();
                    found = new Waiting(id, Optional.empty(), e.timestamp(), resource, token.get());
                    enteredId = previous;
                    if (enteredId <= 0) {
                        break;
                    }
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** The task token in a TaskScheduled event's parameters, if they carry one (see the class comment). */
    static Optional<String> token(String parameters) {
        if (parameters == null || parameters.isBlank()) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JsonTrees.read(parameters);
        } catch (RuntimeException notJson) {
            return Optional.empty();
        }
        Deque<JsonNode> level = new ArrayDeque<>();
        level.add(root);
        while (!level.isEmpty()) {
            JsonNode n = level.poll();
            if (!n.isObject()) {
                continue;
            }
            JsonNode t = n.get(TOKEN_FIELD);
            if (t != null && t.isString() && !t.asString().isBlank()) {
                return Optional.of(t.asString());
            }
            for (Map.Entry<String, JsonNode> child : n.properties()) {
                if (child.getValue().isObject()) {
                    level.add(child.getValue());
                }
            }
        }
        return Optional.empty();
    }
}
