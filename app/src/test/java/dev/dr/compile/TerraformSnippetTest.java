package dev.dr.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.DrRun;
import dev.dr.cli.Goldens;
import dev.dr.json.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dr compile --target stepfunctions-terraform: golden files, triggers disabled unless
 * enable_triggers, and (where terraform is installed) the heredoc read back by terraform gives
 * exactly the compiled state machine.
 */
class TerraformSnippetTest {
    static final List<String> GATE = List.of("--auto-promote", "true");

    @TempDir
    Path tmp;

    static String terraform(String plan, List<String> flags) {
        List<String> a = new java.util.ArrayList<>(List.of("compile", "--target", "stepfunctions-terraform", plan));
        a.addAll(flags);
        DrRun r = DrRun.inProject(Map.of(), a.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out();
    }

    static void golden(String name, String actual) throws Exception {
        Goldens.assertMatches(Compiles.GOLDEN.resolve(name), actual);
    }

    @Test
    void goldenFiles() throws Exception {
        golden("validate-only.tf", terraform("plans/validate-only.yaml", List.of()));
        golden("full-drill.auto-promote.tf", terraform("plans/full-drill.yaml", GATE));
    }

    @Test
    void theTriggersAreDisabledUnlessEnabled() {
        String tf = terraform("plans/validate-only.yaml", List.of());
        assertThat(tf).contains("variable \"enable_triggers\" {\n  description = \"Start the state machine on the schedule and"
                + " on the alarms (false: the rules are created disabled).\"\n  type        = bool\n  default     = false\n}\n");
        assertThat(Pattern.compile("\n  state +\\Q= var.enable_triggers ? \"ENABLED\" : \"DISABLED\"\\E\n").matcher(tf).results())
                .as("both trigger rules, the schedule and the alarm").hasSize(2);
        assertThat(tf).as("the notification rule is no trigger: always on")
                .containsPattern("resource \"aws_cloudwatch_event_rule\" \"notify\" \\{\n  name +[^\n]+\n  description +[^\n]+\n"
                        + "  event_pattern");
    }

    @Test
    void theGateTopicIsAVariableWithTheGivenDefault() {
        String given = terraform("plans/full-drill.yaml", List.of("--auto-promote", "true", "--approval-topic-arn",
                Compiles.TOPIC));
        assertThat(given).contains("\"TopicArn\": \"${var.notification_topic_arn}\"")
                .containsPattern("variable \"notification_topic_arn\" \\{\n  description = \"[^\n]*the promote gate publishes"
                        + " its approval request[^\n]*\"\n  type        = string\n  default     = \"" + Pattern.quote(Compiles.TOPIC)
                        + "\"\n}\n")
                .doesNotContain(TerraformSnippet.TOPIC_PLACEHOLDER);
        assertThat(terraform("plans/validate-only.yaml", List.of())).as("no gate: the topic is still told how executions end")
                .contains("variable \"notification_topic_arn\" {").contains("  arn  = var.notification_topic_arn\n");
    }

    /** The -var names of the runbook's section A command, read from its code block as the runbook has it. */
    static List<String> runbookVars() throws Exception {
        String script = Files.readString(Compiles.PROJECT.resolve("app/src/test/resources/docs/runbook-commands.sh"));
        String joined = script.replace("\\\n", " ");
        Matcher line = Pattern.compile("(?m)^terraform -chdir=ops/dr/orchestrator apply .*$").matcher(joined);
        assertThat(line.find()).as("the runbook's orchestrator terraform command").isTrue();
        List<String> names = Pattern.compile("-var \"([A-Za-z0-9_]+)=").matcher(line.group()).results()
                .map(m -> m.group(1)).toList();
        assertThat(names).as("its -var names").hasSizeGreaterThanOrEqualTo(10);
        return names;
    }

    static List<String> declared(String tf) {
        return Pattern.compile("(?m)^variable \"([A-Za-z0-9_]+)\" \\{").matcher(tf).results().map(m -> m.group(1)).toList();
    }

    /** The declared variables without a default. */
    static List<String> required(String tf) {
        return Pattern.compile("(?m)^variable \"([A-Za-z0-9_]+)\" \\{\n((?:  [^\n]*\n)*?)}").matcher(tf).results()
                .filter(m -> !m.group(2).contains("  default ")).map(m -> m.group(1)).toList();
    }

    @Test
    void everyVariableOfTheRunbooksTerraformCommandIsDeclared() throws Exception {
        List<String> vars = runbookVars();
        for (String[] c : new String[][] {{"plans/validate-only.yaml"}, {"plans/full-drill.yaml", "--auto-promote", "true"},
                {"plans/restore-only.yaml", "--worker", "ecs", "--ecs-cluster", "dr", "--ecs-task-definition", "w",
                    "--ecs-subnet", "subnet-1"}}) {
            String tf = terraform(c[0], List.of(c).subList(1, c.length));
            assertThat(declared(tf)).as(String.join(" ", c)).containsAll(vars).contains("receipt_prefix");
            assertThat(required(tf)).as("the variables without a default, which the runbook's command must give: %s",
                    String.join(" ", c)).isSubsetOf(vars);
            for (String v : vars) {
                assertThat(tf.split("var\\." + v + "\\b", -1).length - 1).as("var.%s is used in %s", v, c[0])
                        .isGreaterThan(0);
                assertThat(tf).as("the description of %s", v)
                        .containsPattern("variable \"" + v + "\" \\{\n  description = \"[^\"\n]{10,}");
            }
        }
    }

    @Test
    void theRunbooksVariablesReachTheWorkersAndTheMachine() {
        String tf = terraform("plans/restore-only.yaml", List.of());
        assertThat(tf).contains("\"receiptBucket\": ${jsonencode(var.receipt_bucket)}")
                .contains("\"receiptPrefix\": ${jsonencode(var.receipt_prefix)}")
                .contains("{\n            \"Name\": \"BACKUP_URI\",\n            \"Type\": \"PLAINTEXT\",\n"
                        + "            \"Value\": ${jsonencode(var.backup_uri)}\n          }")
                .contains("\"Name\": \"TF_VAR_vpc_id\"").contains("${jsonencode(var.dr_vpc_id)}")
                .contains("allowed_account_ids = [var.expected_account_id]")
                .contains("condition     = data.aws_caller_identity.current.account_id == var.expected_account_id")
                .contains("condition     = var.expected_account_id == \"048622080012\"");
    }

    static Path onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool);
            }
        }
        return null;
    }

    static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + "\n" + out;
    }

    @Test
    void terraformFormatsAndValidatesTheSnippet() throws Exception {
        Path tf = onPath("terraform");
        Assumptions.assumeTrue(tf != null, "terraform is not on the PATH");
        Files.writeString(tmp.resolve("main.tf"), terraform("plans/full-drill.yaml", List.of("--auto-promote", "true")));
        String fmt = run(tmp, tf.toString(), "fmt", "-check", "-diff", "main.tf");
        assertThat(fmt).as("terraform fmt -check").startsWith("0\n");
        // validate needs the aws provider: where it cannot be installed (offline, no mirror in the CLI config), that part skips
        String init = run(tmp, tf.toString(), "init", "-backend=false", "-input=false");
        Assumptions.assumeTrue(init.startsWith("0\n"), "terraform init cannot install the aws provider here: " + init);
        String validate = run(tmp, tf.toString(), "validate");
        assertThat(validate).as("terraform validate").startsWith("0\n");
    }

    @Test
    void terraformReadsTheDefinitionBackAsTheCompiledStateMachine() throws Exception {
        Path found = onPath("terraform");
        Assumptions.assumeTrue(found != null, "terraform is not on the PATH");
        String text = terraform("plans/full-drill.yaml", List.of("--auto-promote", "true", "--approval-topic-arn",
                Compiles.TOPIC, "--receipt-bucket", "dr-receipts-bucket"));
        String heredoc = text.substring(text.indexOf("<<EOT\n"), text.indexOf("\nEOT\n") + 5);
        Map<String, String> values = new java.util.TreeMap<>(Map.of("notification_topic_arn", Compiles.TOPIC,
                "receipt_bucket", "dr-receipts-bucket", "receipt_prefix", "dr-receipts", "expected_account_id", "048622080012",
                "publish_bucket", "bundles", "backup_bucket", "backups", "backup_uri", "s3://backups/jobintel/backups/b-1",
                "dr_vpc_id", "vpc-4362fc3e", "dr_subnet_id", "subnet-11001d5c"));
        StringBuilder main = new StringBuilder();
        values.forEach((k, v) -> main.append("variable \"").append(k).append("\" {\n  default = \"").append(v).append("\"\n}\n"));
        Files.writeString(tmp.resolve("main.tf"), main + "locals {\n  d = " + heredoc + "}\n");
        Process p = new ProcessBuilder(found.toString(), "console").directory(tmp.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().write("jsonencode(jsondecode(local.d))\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String asl = DrRun.inProject(Map.of(), "compile", "--target", "stepfunctions", "plans/full-drill.yaml", "--auto-promote",
                "true", "--approval-topic-arn", Compiles.TOPIC, "--receipt-bucket", "dr-receipts-bucket").out();
        JsonNode read = JsonTrees.read(JsonTrees.read(out).asString());
        int workers = 0;
        for (JsonNode state : read.get("States")) {
            JsonNode env = state.path("Parameters").path("EnvironmentVariablesOverride");
            if (!env.isArray()) {
                continue;
            }
            workers++;
            Map<String, String> set = new java.util.LinkedHashMap<>();
            for (java.util.Iterator<JsonNode> i = env.iterator(); i.hasNext(); ) {
                JsonNode v = i.next();
                String var = TerraformSnippet.WORKER_ENV.get(v.get("Name").asString());
                if (var != null) {
                    set.put(v.get("Name").asString(), v.get("Value").asString());
                    assertThat(v.get("Value").asString()).isEqualTo(values.get(var));
                    i.remove();
                }
            }
            assertThat(set.keySet()).as("the runbook's variables in the worker's environment")
                    .containsExactlyElementsOf(TerraformSnippet.WORKER_ENV.keySet());
        }
        assertThat(workers).isEqualTo(5);
        assertThat(read).as("otherwise exactly the compiled machine").isEqualTo(JsonTrees.read(asl));
    }
}
