package dev.dr.compile;

import dev.dr.aws.sfn.TaskTokenGate;
import dev.dr.plan.model.Phase;
import dev.dr.plan.model.Plan;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The promote gate as {@code dr status} and {@code dr approve --execution-arn} expect it
 * ({@link TaskTokenGate}): a {@code .waitForTaskToken} task whose resolved parameters carry the
 * task token in a field {@value TaskTokenGate#TOKEN_FIELD}. SNS takes no extra top-level field,
 * so the token rides in the Message object, which TaskTokenGate searches level by level; the
 * message also tells the approver which command answers it. The task's output is the approval
 * ({@code approver}, {@code ticket}, {@code approvedAt}), kept at {@code $.approval} for the
 * promote worker.
 */
final class PromoteGate {
    static final String FAILED_STATE = "Approval failed";
    private static final int SUBJECT_LIMIT = 100;

    private PromoteGate() {}

    static ObjectNode state(Plan plan, Phase promote, String topicArn, String next) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode s = f.objectNode();
        s.put("Type", "Task");
        s.put("Comment", "The promote gate: waits (" + StateMachineCompiler.timeout(promote) + ") until dr approve"
                + " --execution-arn sends the task token back with the approver and the ticket.");
        s.put("Resource", StateMachineCompiler.GATE_RESOURCE);
        ObjectNode p = s.putObject("Parameters");
        p.put("TopicArn", topicArn);
        String subject = "dr: promote of " + plan.metadata().name() + " waits for approval";
        p.put("Subject", subject.length() > SUBJECT_LIMIT ? subject.substring(0, SUBJECT_LIMIT) : subject);
        ObjectNode m = p.putObject("Message");
        m.put(TaskTokenGate.TOKEN_FIELD + ".$", "$$.Task.Token");
        m.put("executionArn.$", "$$.Execution.Id");
        m.put("plan", plan.file());
        m.put("phase", promote.name().id());
        m.put("ticketRequired", promote.approval().ticketRequired());
        m.put("approve.$", "States.Format('dr approve --execution-arn {} --expected-account-id "
                + Shell.intrinsic(plan.target().accountId()) + " --approver NAME --ticket TICKET', $$.Execution.Id)");
        if (promote.approval().timeout() != null) {
            s.put("TimeoutSeconds", PhaseTasks.seconds(promote.approval().timeout()));
        }
        s.put("ResultPath", "$.approval");
        s.set("Catch", PhaseTasks.catchAll(FAILED_STATE));
        s.put("Next", next);
        return s;
    }

    /** The gate closed without an approval (timed out, or failed with SendTaskFailure): promote did not run. */
    static ObjectNode failed() {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("Type", "Pass");
        s.put("Comment", "No approval: promote did not run, so it has no receipt.");
        ObjectNode f = s.putObject("Parameters");
        f.put("phase", "promote");
        f.put("error.$", "$.caught.Error");
        f.put("cause.$", "$.caught.Cause");
        f.put("summary.$", "States.Format('the promote gate closed without an approval ({}); promote did not run',"
                + " $.caught.Error)");
        s.put("ResultPath", "$.failure");
        s.put("Next", StateMachineCompiler.FAILED);
        return s;
    }
}
