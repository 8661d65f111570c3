package dev.dr.compile;

import dev.dr.plan.model.Plan;
import java.util.Optional;

/**
 * The state machine wrapped in Terraform: {@code aws_sfn_state_machine} with the compiled
 * definition, an EventBridge schedule and a CloudWatch-alarm rule that start it, both created
 * DISABLED unless {@code var.enable_triggers} (default false: the runbook's safe default). The
 * definition is a heredoc, so the {@code ${} and {@code %{} the ASL holds (the worker's shell)
 * are escaped; the gate's topic becomes {@code var.notification_topic_arn}. Deterministic text.
 */
public final class TerraformSnippet {
    /** The topic the gate names when compile was given none: replaced by the variable, which then has no default. */
    public static final String TOPIC_PLACEHOLDER = "arn:aws:sns:us-east-1:000000000000:dr-notification-topic";

    private TerraformSnippet() {}

    /**
     * @param topicArn the gate's topic as compiled in {@code asl} (given, or {@link #TOPIC_PLACEHOLDER}); empty without a gate
     * @param topicGiven whether the operator gave it (it becomes the variable's default)
     */
    public static String render(Plan plan, String file, String asl, Optional<String> topicArn, boolean topicGiven) {
        String name = "dr-" + plan.metadata().name();
        String definition = asl.replace("${", "$${").replace("%{", "%%{");
        if (topicArn.isPresent()) {
            definition = definition.replace("\"TopicArn\": \"" + topicArn.get() + "\"",
                    "\"TopicArn\": \"${var.notification_topic_arn}\"");
        }
        StringBuilder b = new StringBuilder();
        b.append("# dr compile --target stepfunctions-terraform ").append(file).append('\n');
        b.append("# The plan's state machine, started by an EventBridge schedule and by CloudWatch alarms.\n");
        b.append("# Both triggers exist but stay DISABLED unless enable_triggers = true (runbook default: false).\n\n");
        variable(b, "enable_triggers", "Start the state machine on the schedule and on the alarms (false: the rules are"
                + " created disabled).", "bool", "false");
        variable(b, "state_machine_role_arn", "The role Step Functions assumes to start the workers"
                + (topicArn.isPresent() ? " and publish the approval request." : "."), "string", null);
        variable(b, "events_role_arn", "The role EventBridge assumes to start executions (states:StartExecution).",
                "string", null);
        variable(b, "schedule_expression", "When the scheduled drill starts.", "string", "\"cron(0 6 ? * MON *)\"");
        variable(b, "alarm_names", "CloudWatch alarms whose ALARM state starts an execution.", "list(string)", null);
        if (topicArn.isPresent()) {
            variable(b, "notification_topic_arn", "The SNS topic the promote gate publishes its approval request to.", "string",
                    topicGiven ? "\"" + topicArn.get() + "\"" : null);
        }
        b.append("resource \"aws_sfn_state_machine\" \"dr\" {\n");
        b.append("  name     = \"").append(name).append("\"\n");
        b.append("  role_arn = var.state_machine_role_arn\n");
        b.append("  definition = <<EOT\n").append(definition).append("EOT\n}\n\n");
        rule(b, "schedule", name + "-schedule", "Scheduled start of " + name + ".",
                "  schedule_expression = var.schedule_expression\n");
        rule(b, "alarm", name + "-alarm", "Start of " + name + " when an alarm fires.", String.join("\n",
                "  event_pattern = jsonencode({",
                "    source        = [\"aws.cloudwatch\"]",
                "    \"detail-type\" = [\"CloudWatch Alarm State Change\"]",
                "    detail = {",
                "      alarmName = var.alarm_names",
                "      state     = { value = [\"ALARM\"] }",
                "    }",
                "  })",
                ""));
        return b.toString();
    }

    private static void variable(StringBuilder b, String name, String description, String type, String dflt) {
        b.append("variable \"").append(name).append("\" {\n");
        b.append("  description = \"").append(description).append("\"\n");
        b.append("  type        = ").append(type).append('\n');
        if (dflt != null) {
            b.append("  default     = ").append(dflt).append('\n');
        }
        b.append("}\n\n");
    }

    private static void rule(StringBuilder b, String label, String name, String description, String trigger) {
        b.append("resource \"aws_cloudwatch_event_rule\" \"").append(label).append("\" {\n");
        b.append("  name        = \"").append(name).append("\"\n");
        b.append("  description = \"").append(description).append("\"\n");
        b.append(trigger);
        b.append("  state       = var.enable_triggers ? \"ENABLED\" : \"DISABLED\"\n}\n\n");
        b.append("resource \"aws_cloudwatch_event_target\" \"").append(label).append("\" {\n");
        b.append("  rule     = aws_cloudwatch_event_rule.").append(label).append(".name\n");
        b.append("  arn      = aws_sfn_state_machine.dr.arn\n");
        b.append("  role_arn = var.events_role_arn\n");
        b.append("  input    = jsonencode({})\n}\n");
        if (label.equals("schedule")) {
            b.append('\n');
        }
    }
}
