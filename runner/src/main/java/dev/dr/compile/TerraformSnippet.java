package dev.dr.compile;

import dev.dr.json.JsonTrees;
import dev.dr.plan.model.Plan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * The state machine wrapped in Terraform, as the runbook's {@code terraform -chdir=ops/dr/orchestrator
 * apply -var ...} takes it: the runbook's variables (region, expected_account_id, enable_triggers,
 * the buckets, backup_uri, receipt_bucket/receipt_prefix, notification_topic_arn, dr_vpc_id,
 * dr_subnet_id), each wired to where it is used: the provider and preconditions (the account
 * and region are the plan's), the workers' environment and the machine's receipt defaults in the
 * definition, the trigger rules (an EventBridge schedule and a CloudWatch-alarm rule, created
 * DISABLED unless {@code enable_triggers}, default false) and a rule that tells the topic how each
 * execution ended. The definition is a heredoc, so the {@code ${} and {@code %{} the ASL holds (the
 * worker's shell) are escaped; a variable's value is put in with {@code jsonencode}, so that no
 * value can break the JSON. The roles Step Functions and EventBridge assume are created here
 * ({@link TerraformRoles}), so the runbook's command needs no other variable. Deterministic text.
 */
public final class TerraformSnippet {
    /** The topic the gate names when compile was given none: replaced by the variable, which then has no default. */
    public static final String TOPIC_PLACEHOLDER = "arn:aws:sns:us-east-1:000000000000:dr-notification-topic";

    /**
     * The workers' environment the runbook's variables set: the names the plans read
     * ({@code ${BACKUP_URI}}, {@code ${BUCKET}}) and those the terraform steps read ({@code TF_VAR_*}).
     */
    public static final Map<String, String> WORKER_ENV = workerEnv();

    /** Where a variable's value goes in the JSON text before the heredoc is written. */
    private static final String MARK = "\u0000tf:";

    private TerraformSnippet() {}

    private static Map<String, String> workerEnv() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("EXPECTED_ACCOUNT_ID", "expected_account_id");
        m.put("BUCKET", "publish_bucket");
        m.put("BACKUP_BUCKET", "backup_bucket");
        m.put("BACKUP_URI", "backup_uri");
        m.put("TF_VAR_vpc_id", "dr_vpc_id");
        m.put("TF_VAR_subnet_id", "dr_subnet_id");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * @param topicArn the gate's topic as compiled in {@code asl} (given, or {@link #TOPIC_PLACEHOLDER}); empty without a gate
     * @param topicGiven whether the operator gave it (it becomes the variable's default)
     * @param options the options {@code asl} was compiled with (its receipt bucket and prefix become the variables' defaults)
     * @throws IllegalArgumentException the definition holds the text this uses to place the variables
     */
    public static String render(Plan plan, String file, String asl, Optional<String> topicArn, boolean topicGiven,
                                CompileOptions options) {
        if (asl.contains("\\u0000")) {
            throw new IllegalArgumentException("the state machine holds a NUL character; it cannot be a Terraform heredoc");
        }
        String name = "dr-" + plan.metadata().name();
        ObjectNode tree = (ObjectNode) escaped(JsonTrees.read(asl));
        ObjectNode defaults = (ObjectNode) tree.get("States").get("Defaults").get("Parameters").get("defaults");
        defaults.put(StateMachineCompiler.RECEIPT_BUCKET, MARK + "receipt_bucket");
        defaults.put(StateMachineCompiler.RECEIPT_PREFIX, MARK + "receipt_prefix");
        for (JsonNode state : tree.get("States")) {
            addWorkerEnv(state);
        }
        String definition = AslJson.write(tree).replaceAll("\"\\\\u0000tf:([a-z_]+)\"", "\\${jsonencode(var.$1)}");
        if (topicArn.isPresent()) {
            definition = definition.replace("\"TopicArn\": \"" + topicArn.get() + "\"",
                    "\"TopicArn\": \"${var.notification_topic_arn}\"");
        }
        StringBuilder b = new StringBuilder();
        b.append("# dr compile --target stepfunctions-terraform ").append(file).append('\n');
        b.append("# The plan's state machine, started by an EventBridge schedule and by CloudWatch alarms.\n");
        b.append("# Both triggers exist but stay DISABLED unless enable_triggers = true (runbook default: false).\n");
        b.append("# terraform apply -var \"region=...\" -var \"expected_account_id=...\" ... (docs/compile.md).\n\n");
        b.append("terraform {\n  required_providers {\n    aws = {\n      source = \"hashicorp/aws\"\n    }\n  }\n}\n\n");
        b.append("# The provider refuses credentials of any other account before it changes anything.\n");
        b.append("provider \"aws\" {\n  region              = var.region\n  allowed_account_ids = [var.expected_account_id]\n}\n\n");
        variables(b, plan, topicArn, topicGiven, options);
        b.append("data \"aws_caller_identity\" \"current\" {}\n\n");
        b.append("resource \"aws_sfn_state_machine\" \"dr\" {\n");
        b.append("  name       = \"").append(name).append("\"\n");
        b.append("  role_arn   = aws_iam_role.state_machine.arn\n");
        b.append("  definition = <<EOT\n").append(definition).append("EOT\n\n");
        b.append("  lifecycle {\n");
        precondition(b, "data.aws_caller_identity.current.account_id == var.expected_account_id",
                "The AWS credentials are not of expected_account_id.");
        precondition(b, "var.expected_account_id == \"" + plan.target().accountId() + "\"",
                "The plan " + file + " targets account " + plan.target().accountId() + ", not expected_account_id.");
        precondition(b, "var.region == \"" + plan.target().region() + "\"",
                "The plan " + file + " targets region " + plan.target().region() + ", not region.");
        precondition(b, "startswith(var.backup_uri, \"s3://${var.backup_bucket}/\")",
                "backup_uri must be an object prefix in backup_bucket (s3://<backup_bucket>/...).");
        b.append("  }\n}\n\n");
        rule(b, "schedule", name + "-schedule", "Scheduled start of " + name + ".", false, "schedule_expression",
                "var.schedule_expression", "");
        rule(b, "alarm", name + "-alarm", "Start of " + name + " when an alarm fires.", true, null, null, String.join("\n",
                "  event_pattern = jsonencode({",
                "    source        = [\"aws.cloudwatch\"]",
                "    \"detail-type\" = [\"CloudWatch Alarm State Change\"]",
                "    detail = {",
                "      alarmName = var.alarm_names",
                "      state     = { value = [\"ALARM\"] }",
                "    }",
                "  })",
                ""));
        b.append('\n');
        notifications(b, name);
        b.append('\n');
        TerraformRoles.render(b, name, options.worker(), topicArn.isPresent());
        return b.toString().stripTrailing() + "\n";
    }

    private static void variables(StringBuilder b, Plan plan, Optional<String> topicArn, boolean topicGiven,
                                  CompileOptions options) {
        variable(b, "region", "The region of the state machine and of the DR run; the plan's is "
                + plan.target().region() + " (a worker runs in the region of its build or task).", "string", null);
        variable(b, "expected_account_id", "The only account this may be applied in (the provider refuses others); the"
                + " plan's is " + plan.target().accountId() + ".", "string", null);
        variable(b, "enable_triggers", "Start the state machine on the schedule and on the alarms (false: the rules are"
                + " created disabled).", "bool", "false");
        variable(b, "publish_bucket", "The bucket of the control-plane bundle (the workers' BUCKET).", "string", null);
        variable(b, "backup_bucket", "The bucket of the backups (the workers' BACKUP_BUCKET); backup_uri must be in it.",
                "string", null);
        variable(b, "backup_uri", "The backup a restore reads, s3://<backup_bucket>/<prefix>/backups/<backup_id> (the"
                + " workers' BACKUP_URI).", "string", null);
        variable(b, "receipt_bucket", "The bucket every worker uploads its receipts to, at"
                + " s3://<receipt_bucket>/<receipt_prefix>/<execution_id>/.", "string",
                options.receiptBucket().isEmpty() ? null : quoted(options.receiptBucket()));
        variable(b, "receipt_prefix", "The key prefix of the receipts in receipt_bucket.", "string",
                quoted(options.receiptPrefix()));
        variable(b, "notification_topic_arn", "The SNS topic told how each execution ended"
                + (topicArn.isPresent() ? ", and to which the promote gate publishes its approval request." : ".")
                + " Its policy must let events.amazonaws.com publish.", "string",
                topicGiven && topicArn.isPresent() ? quoted(topicArn.get()) : null);
        variable(b, "dr_vpc_id", "The DR VPC the terraform steps create the runners in (the workers' TF_VAR_vpc_id).",
                "string", null);
        variable(b, "dr_subnet_id", "The DR subnet of the runners (the workers' TF_VAR_subnet_id).", "string", null);
        variable(b, "schedule_expression", "When the scheduled drill starts.", "string", "\"cron(0 6 ? * MON *)\"");
        variable(b, "alarm_names", "CloudWatch alarms whose ALARM state starts an execution (none: no alarm rule).",
                "list(string)", "[]");
    }

    /** Every string of the tree with Terraform's template sequences escaped. */
    private static JsonNode escaped(JsonNode n) {
        if (n.isString()) {
            return StringNode.valueOf(n.asString().replace("${", "$${").replace("%{", "%%{"));
        }
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            for (Map.Entry<String, JsonNode> e : List.copyOf(o.properties())) {
                o.set(e.getKey(), escaped(e.getValue()));
            }
        } else if (n.isArray()) {
            ArrayNode a = (ArrayNode) n;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, escaped(a.get(i)));
            }
        }
        return n;
    }

    /** A worker Task gets the runbook variables' environment: CodeBuild's override list or the ECS container's. */
    private static void addWorkerEnv(JsonNode state) {
        JsonNode p = state.get("Parameters");
        if (p == null) {
            return;
        }
        boolean codebuild = p.has("EnvironmentVariablesOverride");
        ArrayNode env = codebuild ? (ArrayNode) p.get("EnvironmentVariablesOverride")
                : p.has("Overrides") ? (ArrayNode) p.get("Overrides").get("ContainerOverrides").get(0).get("Environment") : null;
        if (env == null) {
            return;
        }
        WORKER_ENV.forEach((name, var) -> {
            ObjectNode v = env.addObject();
            v.put("Name", name);
            if (codebuild) {
                v.put("Type", "PLAINTEXT");
            }
            v.put("Value", MARK + var);
        });
    }

    private static String quoted(String s) {
        return JsonTrees.compact(StringNode.valueOf(s)).replace("${", "$${").replace("%{", "%%{");
    }

    private static void precondition(StringBuilder b, String condition, String message) {
        b.append("    precondition {\n");
        b.append("      condition     = ").append(condition).append('\n');
        b.append("      error_message = ").append(quoted(message)).append('\n');
        b.append("    }\n");
    }

    private static void variable(StringBuilder b, String name, String description, String type, String dflt) {
        b.append("variable \"").append(name).append("\" {\n");
        b.append("  description = ").append(quoted(description)).append('\n');
        b.append("  type        = ").append(type).append('\n');
        if (dflt != null) {
            b.append("  default     = ").append(dflt).append('\n');
        }
        b.append("}\n\n");
    }

    /**
     * A trigger rule: its one-line attributes aligned as terraform fmt aligns them, {@code key} (when
     * not null) among them, then the multi-line {@code block}.
     */
    private static void rule(StringBuilder b, String label, String name, String description, boolean perAlarm, String key,
                             String value, String block) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (perAlarm) {
            attributes.put("count", "length(var.alarm_names) > 0 ? 1 : 0");
        }
        attributes.put("name", "\"" + name + "\"");
        attributes.put("description", "\"" + description + "\"");
        attributes.put("state", "var.enable_triggers ? \"ENABLED\" : \"DISABLED\"");
        if (key != null) {
            attributes.put(key, value);
        }
        int width = attributes.keySet().stream().mapToInt(String::length).max().orElse(0);
        b.append("resource \"aws_cloudwatch_event_rule\" \"").append(label).append("\" {\n");
        attributes.forEach((k, v) -> b.append("  ").append(k).append(" ".repeat(width - k.length())).append(" = ").append(v)
                .append('\n'));
        b.append(block).append("}\n\n");
        b.append("resource \"aws_cloudwatch_event_target\" \"").append(label).append("\" {\n");
        if (perAlarm) {
            b.append("  count    = length(aws_cloudwatch_event_rule.").append(label).append(")\n");
        }
        b.append("  rule     = aws_cloudwatch_event_rule.").append(label).append(perAlarm ? "[0]" : "").append(".name\n");
        b.append("  arn      = aws_sfn_state_machine.dr.arn\n");
        b.append("  role_arn = aws_iam_role.events.arn\n");
        // the receipt folder in the input too, so that dr status finds an execution's receipts from its input
        b.append("  input = jsonencode({\n");
        b.append("    receiptBucket = var.receipt_bucket\n");
        b.append("    receiptPrefix = var.receipt_prefix\n");
        b.append("  })\n}\n");
        if (label.equals("schedule")) {
            b.append('\n');
        }
    }

    /** How each execution ended goes to the topic; this rule is no trigger, so enable_triggers leaves it on. */
    private static void notifications(StringBuilder b, String name) {
        b.append("resource \"aws_cloudwatch_event_rule\" \"notify\" {\n");
        b.append("  name        = \"").append(name).append("-notify\"\n");
        b.append("  description = \"How each execution of ").append(name).append(" ended, to notification_topic_arn.\"\n");
        b.append("  event_pattern = jsonencode({\n");
        b.append("    source        = [\"aws.states\"]\n");
        b.append("    \"detail-type\" = [\"Step Functions Execution Status Change\"]\n");
        b.append("    detail = {\n");
        b.append("      stateMachineArn = [aws_sfn_state_machine.dr.arn]\n");
        b.append("      status          = [\"SUCCEEDED\", \"FAILED\", \"TIMED_OUT\", \"ABORTED\"]\n");
        b.append("    }\n");
        b.append("  })\n}\n\n");
        b.append("resource \"aws_cloudwatch_event_target\" \"notify\" {\n");
        b.append("  rule = aws_cloudwatch_event_rule.notify.name\n");
        b.append("  arn  = var.notification_topic_arn\n}\n");
    }
}
