package dev.dr.compile;

import java.util.ArrayList;
import java.util.List;

/**
 * The two IAM roles of the orchestrator's Terraform, least privilege for what the compiled
 * machine does: Step Functions starts (and, for {@code .sync}, watches through its managed
 * EventBridge rule) the workers, a CodeBuild project or ECS tasks of one task definition, and
 * publishes the promote gate's request to the topic; EventBridge starts executions of this one
 * machine. Formatted as terraform fmt leaves it.
 */
final class TerraformRoles {
    private TerraformRoles() {}

    static void render(StringBuilder b, String name, Worker worker, boolean gate) {
        role(b, "state_machine", name + "-state-machine", "states.amazonaws.com");
        List<String> statements = new ArrayList<>();
        if (worker instanceof Worker.CodeBuild c) {
            statements.add(statement("Workers", "[\"codebuild:StartBuild\", \"codebuild:StopBuild\", \"codebuild:BatchGetBuilds\"]",
                    "\"arn:aws:codebuild:${var.region}:${var.expected_account_id}:project/" + c.project() + "\"", null));
            statements.add(statement("SyncRule", "[\"events:PutTargets\", \"events:PutRule\", \"events:DescribeRule\"]",
                    "\"arn:aws:events:${var.region}:${var.expected_account_id}:rule/StepFunctionsGetEventForCodeBuildStartBuildRule\"",
                    null));
        } else if (worker instanceof Worker.Ecs e) {
            String family = e.taskDefinition();
            String taskDefinition = family.startsWith("arn:") ? family
                    : "arn:aws:ecs:${var.region}:${var.expected_account_id}:task-definition/" + family + (family.contains(":") ? "" : ":*");
            statements.add(statement("Workers", "[\"ecs:RunTask\"]", "\"" + taskDefinition + "\"", null));
            statements.add(statement("WorkerTasks", "[\"ecs:StopTask\", \"ecs:DescribeTasks\"]", "\"*\"", null));
            statements.add(statement("PassTaskRoles", "[\"iam:PassRole\"]", "\"*\"",
                    "{ StringLike = { \"iam:PassedToService\" = \"ecs-tasks.amazonaws.com\" } }"));
            statements.add(statement("SyncRule", "[\"events:PutTargets\", \"events:PutRule\", \"events:DescribeRule\"]",
                    "\"arn:aws:events:${var.region}:${var.expected_account_id}:rule/StepFunctionsGetEventsForECSTaskRule\"", null));
        }
        if (gate) {
            statements.add(statement("ApprovalRequest", "[\"sns:Publish\"]", "var.notification_topic_arn", null));
        }
        policy(b, "state_machine", statements);
        role(b, "events", name + "-events", "events.amazonaws.com");
        policy(b, "events", List.of(statement("StartExecution", "[\"states:StartExecution\"]", "aws_sfn_state_machine.dr.arn",
                null)));
    }

    private static void role(StringBuilder b, String label, String name, String service) {
        b.append("resource \"aws_iam_role\" \"").append(label).append("\" {\n");
        b.append("  name = \"").append(name).append("\"\n");
        b.append("  assume_role_policy = jsonencode({\n");
        b.append("    Version = \"2012-10-17\"\n");
        b.append("    Statement = [{\n");
        b.append("      Effect    = \"Allow\"\n");
        b.append("      Principal = { Service = \"").append(service).append("\" }\n");
        b.append("      Action    = \"sts:AssumeRole\"\n");
        b.append("    }]\n");
        b.append("  })\n}\n\n");
    }

    private static String statement(String sid, String actions, String resource, String condition) {
        StringBuilder s = new StringBuilder();
        String pad = condition == null ? "" : " ";
        s.append("      {\n");
        s.append("        Sid      ").append(pad).append("= \"").append(sid).append("\"\n");
        s.append("        Effect   ").append(pad).append("= \"Allow\"\n");
        s.append("        Action   ").append(pad).append("= ").append(actions).append('\n');
        s.append("        Resource ").append(pad).append("= ").append(resource).append('\n');
        if (condition != null) {
            s.append("        Condition = ").append(condition).append('\n');
        }
        s.append("      },\n");
        return s.toString();
    }

    private static void policy(StringBuilder b, String label, List<String> statements) {
        b.append("resource \"aws_iam_role_policy\" \"").append(label).append("\" {\n");
        b.append("  name = \"dr-orchestrator\"\n");
        b.append("  role = aws_iam_role.").append(label).append(".id\n");
        b.append("  policy = jsonencode({\n");
        b.append("    Version = \"2012-10-17\"\n");
        b.append("    Statement = [\n");
        statements.forEach(b::append);
        b.append("    ]\n");
        b.append("  })\n}\n\n");
    }
}
