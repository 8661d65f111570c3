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
        assertThat(tf.split("state       = var.enable_triggers \\? \"ENABLED\" : \"DISABLED\"", -1))
                .as("both rules, the schedule and the alarm").hasSize(3);
        assertThat(tf).doesNotContain("notification_topic_arn").as("no gate, no topic");
    }

    @Test
    void theGateTopicIsAVariableWithTheGivenDefault() {
        String given = terraform("plans/full-drill.yaml", List.of("--auto-promote", "true", "--approval-topic-arn",
                Compiles.TOPIC));
        assertThat(given).contains("\"TopicArn\": \"${var.notification_topic_arn}\"")
                .contains("variable \"notification_topic_arn\" {\n  description = \"The SNS topic the promote gate publishes its"
                        + " approval request to.\"\n  type        = string\n  default     = \"" + Compiles.TOPIC + "\"\n}\n")
                .doesNotContain(TerraformSnippet.TOPIC_PLACEHOLDER);
    }

    @Test
    void terraformReadsTheDefinitionBackAsTheCompiledStateMachine() throws Exception {
        String onPath = System.getenv().getOrDefault("PATH", "");
        Path found = null;
        for (String dir : onPath.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "terraform"))) {
                found = Path.of(dir, "terraform");
                break;
            }
        }
        Assumptions.assumeTrue(found != null, "terraform is not on the PATH");
        String text = terraform("plans/full-drill.yaml", List.of("--auto-promote", "true", "--approval-topic-arn",
                Compiles.TOPIC));
        String heredoc = text.substring(text.indexOf("<<EOT\n"), text.indexOf("\nEOT\n") + 5);
        Files.writeString(tmp.resolve("main.tf"), "variable \"notification_topic_arn\" {\n  default = \"" + Compiles.TOPIC
                + "\"\n}\nlocals {\n  d = " + heredoc + "}\n");
        Process p = new ProcessBuilder(found.toString(), "console").directory(tmp.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().write("jsonencode(jsondecode(local.d))\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String asl = DrRun.inProject(Map.of(), "compile", "--target", "stepfunctions", "plans/full-drill.yaml", "--auto-promote",
                "true", "--approval-topic-arn", Compiles.TOPIC).out();
        assertThat(JsonTrees.read(JsonTrees.read(out).asString())).isEqualTo(JsonTrees.read(asl));
    }
}
